import Testing
@testable import RestakeRisk

/// Latent-factor correlation: the GEMM layout, the law of its draws, and its equivalence to `systemic`.
@Suite struct LatentFactorModelTests {
    static let names = ["ETH", "EIGEN", "stETH", "LRT", "bridge", "da-layer", "op-a"]
    /// Two latent factors: market and software.
    static let rows: [[Double]] = [[0.6, 0], [0.6, 0.1], [0.5, 0], [0.6, 0.2], [0.3, 0.4], [0, 0.4], [-0.2, 0.7]]

    static func model() throws -> LatentFactorModel {
        try LatentFactorModel(loadings: rows, names: names, latentNames: ["market", "software"])
    }

    @Test func applyComputesBgPlusDe() throws {
        let m = try Self.model()
        let k = m.dimension, d = m.latentCount, n = 37
        var rng = TestRandom(state: 3)
        let e = (0..<(k * n)).map { _ in rng.symmetricUnit() }
        let g = (0..<(d * n)).map { _ in rng.symmetricUnit() }
        var z = e
        z.withUnsafeMutableBufferPointer { zp in
            g.withUnsafeBufferPointer { m.apply(factorMajor: zp.baseAddress!, latent: $0.baseAddress!, paths: n) }
        }
        for i in 0..<k {
            for p in 0..<n {
                var expected = m.idiosyncraticScale(factor: i) * e[i * n + p]
                for f in 0..<d { expected += m.loading(factor: i, latent: f) * g[f * n + p] }
                #expect(abs(z[i * n + p] - expected) <= 1e-15 * 4, "factor \(i) path \(p)")
            }
        }
    }

    /// The padded form gives the in-place form's values (times the mixing scale when given)
    /// for any split of the rows.
    @Test(arguments: [false, true])
    func paddedApplyMatchesInPlace(mixed: Bool) throws {
        let m = try Self.model()
        let k = m.dimension, d = m.latentCount, n = 37
        var rng = TestRandom(state: 9)
        let e = (0..<(k * n)).map { _ in rng.symmetricUnit() }
        let g = (0..<(d * n)).map { _ in rng.symmetricUnit() }
        let mixing = (0..<n).map { _ in 1.5 + rng.symmetricUnit() }
        var expected = e
        expected.withUnsafeMutableBufferPointer { zp in
            g.withUnsafeBufferPointer { m.apply(factorMajor: zp.baseAddress!, latent: $0.baseAddress!, paths: n) }
        }
        if mixed { for i in 0..<(k * n) { expected[i] *= mixing[i % n] } }
        var z = e
        var padded = [Double](repeating: .nan, count: k * LatentFactorModel.paddedStride(paths: n))
        z.withUnsafeMutableBufferPointer { zp in
            g.withUnsafeBufferPointer { gp in
                mixing.withUnsafeBufferPointer { mp in
                    padded.withUnsafeMutableBufferPointer { pp in
                        for rows in [0..<3, 3..<4, 4..<k] {
                            m.apply(rows: rows, factorMajor: zp.baseAddress! + rows.lowerBound * n, latent: gp.baseAddress!,
                                    paths: n, through: pp.baseAddress!, scaledBy: mixed ? mp.baseAddress! : nil)
                        }
                    }
                }
            }
        }
        #expect(z.elementsEqual(expected) { $0.bitPattern == $1.bitPattern })
    }

    @Test func impliedCorrelationAndValidation() throws {
        let m = try Self.model()
        let c = m.impliedCorrelation
        #expect(c[0, 0] == 1 && abs(c[0, 3] - 0.36) < 1e-15 && abs(c[4, 6] - (-0.06 + 0.28)) < 1e-15)
        #expect(m.smallestEigenvalue > -1e-12)
        #expect(m.idiosyncraticScale(factor: 6) == (1 - 0.04 - 0.49).squareRoot())
        #expect(throws: LatentFactorError.loadingsExceedOne(factor: "b", sumOfSquares: 0.8 * 0.8 + 0.7 * 0.7)) {
            try LatentFactorModel(loadings: [[0.1, 0.1], [0.8, 0.7]], names: ["a", "b"], latentNames: ["x", "y"])
        }
        #expect(throws: LatentFactorError.nonFinite(factor: "a", latent: "y")) {
            try LatentFactorModel(loadings: [[0.1, .nan]], names: ["a"], latentNames: ["x", "y"])
        }
        // A loading of exactly 1 leaves no idiosyncratic part.
        let one = try LatentFactorModel(systemic: [1, 0.5], names: ["a", "b"])
        #expect(one.idiosyncraticScale(factor: 0) == 0)
    }

    /// Sample correlations within 4 SE of sum_f b_if b_jf (SE of a sample correlation: (1 - rho^2)/sqrt(n)).
    @Test(arguments: [nil, 4.0] as [Double?])
    func sampleCorrelationMatchesLoadings(dof: Double?) throws {
        let m = try Self.model()
        let sampler = CorrelatedSampler(correlation: .latent(m), studentDegreesOfFreedom: dof)
        let moments = sampler.moments(seed: 77, paths: 62_500, steps: 4, threads: 2)
        let n = Double(moments.count)
        let target = m.impliedCorrelation
        for i in 0..<m.dimension {
            for j in 0..<i {
                let rho = target[i, j]
                // Under the t copula the sample correlation's SE is larger (kurtosis): 4 dof has
                // infinite fourth moment, so use a wider, still stated, allowance there.
                let se = (1 - rho * rho) / n.squareRoot() * (dof == nil ? 1 : 3)
                #expect(abs(moments.correlation(i, j) - rho) < 4 * se, "(\(i), \(j)): \(moments.correlation(i, j)) vs \(rho)")
            }
            if dof == nil {
                let variance = moments.covariance[i * m.dimension + i]
                #expect(abs(variance - 1) < 4 * (2 / n).squareRoot(), "variance of \(i): \(variance)")
                #expect(abs(moments.mean[i]) < 4 / n.squareRoot())
            }
        }
    }

    @Test func oneFactorLatentHasTheSystemicLaw() throws {
        let loadings = [0.2, 0.5, 0.8, 0.3, 0.0, 0.6]
        let names = (0..<6).map { "f\($0)" }
        let latent = CorrelatedSampler(correlation: .latent(try LatentFactorModel(systemic: loadings, names: names)))
        let cholesky = CorrelatedSampler(factor: try CholeskyFactor(CorrelationMatrix(loadings: loadings, names: names)))
        let a = latent.moments(seed: 5, paths: 62_500, steps: 4, threads: 2)
        let b = cholesky.moments(seed: 6, paths: 62_500, steps: 4, threads: 2)
        let n = Double(a.count)
        for i in 0..<6 {
            for j in 0...i {
                let rho = i == j ? 1 : loadings[i] * loadings[j]
                // Difference of two independent estimates: sqrt(2) SE; variances have SE sqrt(2/n).
                let se = i == j ? (2 / n).squareRoot() : (1 - rho * rho) / n.squareRoot()
                let ca = i == j ? a.covariance[i * 6 + i] : a.correlation(i, j)
                let cb = i == j ? b.covariance[i * 6 + i] : b.correlation(i, j)
                #expect(abs(ca - cb) < 4 * 2.0.squareRoot() * se, "(\(i), \(j)): latent \(ca), cholesky \(cb)")
            }
        }
    }

    @Test func bitIdenticalAcrossThreadCounts() throws {
        let sampler = CorrelatedSampler(correlation: .latent(try Self.model()), studentDegreesOfFreedom: 5)
        let one = sampler.moments(seed: 9, paths: 5_000, steps: 3, threads: 1)
        #expect(sampler.moments(seed: 9, paths: 5_000, steps: 3, threads: 2) == one)
        #expect(sampler.moments(seed: 9, paths: 5_000, steps: 3, threads: 3) == one)
        #expect(sampler.moments(seed: 10, paths: 5_000, steps: 3, threads: 2) != one)
    }

    @Test func identityDrawsAreUncorrelatedAndReportTheIdentity() {
        let sampler = CorrelatedSampler(correlation: .identity(dimension: 4), studentDegreesOfFreedom: 3)
        #expect(sampler.scratchCount(paths: 1024) == 0)
        #expect(sampler.smallestEigenvalue == 1)
        let m = sampler.moments(seed: 4, paths: 62_500, steps: 4, threads: 2)
        let n = Double(m.count)
        for i in 0..<4 { for j in 0..<i { #expect(abs(m.correlation(i, j)) < 4 * 3 / n.squareRoot()) } }
    }

    @Test func scratchSizes() throws {
        let m = try Self.model()
        // g (2 latent factors) and a chunk of padded rows: all 7 factors fit in one chunk.
        #expect(CorrelatedSampler(correlation: .latent(m)).scratchCount(paths: 1024) == 2 * 1024 + 7 * 1032)
        #expect(CorrelatedSampler(correlation: .latent(m)).dimension == 7)
    }
}
