import Testing
@testable import RestakeRisk

/// The sampling core: batched correlated draws recover their target and never depend on threads.
@Suite struct CorrelatedSamplerTests {
    /// A full 5x5 target with negative, zero and strong entries (positive definite: it factors).
    static let target = CorrelationMatrix(
        matrix: [[1.0, 0.6, 0.3, -0.2, 0.0],
                 [0.6, 1.0, 0.5, 0.0, 0.1],
                 [0.3, 0.5, 1.0, 0.4, -0.3],
                 [-0.2, 0.0, 0.4, 1.0, 0.2],
                 [0.0, 0.1, -0.3, 0.2, 1.0]],
        names: ["a", "b", "c", "d", "e"])

    @Test func sampleCorrelationOfAMillionDrawsRecoversTheTarget() throws {
        let sampler = CorrelatedSampler(factor: try CholeskyFactor(Self.target))
        // 62,500 paths x 16 steps = 10^6 draws of the 5-vector.
        let m = sampler.moments(seed: 2024, paths: 62_500, steps: 16, threads: 2)
        #expect(m.count == 1_000_000)
        let n = Double(m.count)
        for i in 0..<5 {
            // Mean 0 (SE 1/sqrt(n)) and variance 1 (SE sqrt(2/n) for a normal).
            #expect(abs(m.mean[i]) < 4 / n.squareRoot(), "mean of factor \(i): \(m.mean[i])")
            #expect(abs(m.covariance[i * 5 + i] - 1) < 4 * (2 / n).squareRoot(), "variance of factor \(i)")
            for j in 0..<i {
                let rho = Self.target[i, j]
                // The sample correlation of bivariate normals has SE (1 - rho^2) / sqrt(n).
                let se = (1 - rho * rho) / n.squareRoot()
                #expect(abs(m.correlation(i, j) - rho) < 4 * se,
                        "correlation (\(i), \(j)): \(m.correlation(i, j)) vs \(rho)")
            }
        }
    }

    @Test func drawsAreBitIdenticalForAnyThreadCount() throws {
        let sampler = CorrelatedSampler(factor: try CholeskyFactor(Self.target), studentDegreesOfFreedom: 5)
        // 5,000 paths: four full blocks and a partial one.
        let one = sampler.moments(seed: 7, paths: 5_000, steps: 3, threads: 1)
        let two = sampler.moments(seed: 7, paths: 5_000, steps: 3, threads: 2)
        let three = sampler.moments(seed: 7, paths: 5_000, steps: 3, threads: 3)
        #expect(one == two)
        #expect(one == three)
        #expect(sampler.checksum(seed: 7, paths: 5_000, steps: 3, threads: 1)
                == sampler.checksum(seed: 7, paths: 5_000, steps: 3, threads: 2))
        // A different seed gives different draws (the comparison above can fail).
        #expect(sampler.moments(seed: 8, paths: 5_000, steps: 3, threads: 2) != one)
    }

    @Test func studentTDrawsHaveTheTargetCorrelationAndHeavierTails() throws {
        // Under the t copula every factor is divided by the same sqrt(W / nu): correlations are
        // unchanged and each factor's variance is nu / (nu - 2). nu = 10 keeps the fourth moment
        // finite, so the variance's SE exists: sqrt((kurtosis - 1) / n) * variance, kurtosis 3 + 6/(nu - 4) = 4.
        let nu = 10.0
        let sampler = CorrelatedSampler(factor: try CholeskyFactor(Self.target), studentDegreesOfFreedom: nu)
        let m = sampler.moments(seed: 99, paths: 62_500, steps: 16, threads: 2)
        let n = Double(m.count)
        let variance = nu / (nu - 2)
        for i in 0..<5 {
            #expect(abs(m.covariance[i * 5 + i] - variance) < 4 * (3 / n).squareRoot() * variance,
                    "variance of factor \(i): \(m.covariance[i * 5 + i]) vs \(variance)")
        }
        // Correlation 0.6 between a and b; heavy tails widen its SE, allow 4 x 2 normal SEs.
        #expect(abs(m.correlation(1, 0) - 0.6) < 8 * (1 - 0.36) / n.squareRoot())
    }
}
