import Testing
@testable import RestakeRisk

@Suite struct GammaBetaSamplingTests {
    static let n = 1_000_000

    /// Checks sample mean and variance against exact values, each within 4 standard errors.
    ///
    /// The SE of the sample variance uses the sample fourth central moment: sqrt((m4 - s^4)/n).
    static func checkMoments(_ x: [Double], mean: Double, variance: Double, _ label: String) {
        let n = Double(x.count)
        let m = x.reduce(0, +) / n
        var m2 = 0.0, m4 = 0.0
        for v in x {
            let d = (v - m) * (v - m)
            m2 += d; m4 += d * d
        }
        m2 /= n; m4 /= n
        #expect(abs(m - mean) < 4 * (variance / n).squareRoot(), "\(label): mean \(m) vs \(mean)")
        #expect(abs(m2 - variance) < 4 * ((m4 - m2 * m2) / n).squareRoot(), "\(label): variance \(m2) vs \(variance)")
    }

    @Test(arguments: [0.05, 0.3, 0.999, 1.0, 2.5, 7.5, 120.0])
    func gammaMoments(shape: Double) {
        var s = RandomStream(seed: 8, stream: UInt64(shape * 1000))
        let x = (0..<Self.n).map { _ in s.nextGamma(shape: shape) }
        #expect(x.allSatisfy { $0 >= 0 && $0.isFinite })
        Self.checkMoments(x, mean: shape, variance: shape, "Gamma(\(shape))")
    }

    @Test(arguments: [0.8, 3.0, 4.0, 30.0])
    func chiSquaredMoments(dof: Double) {
        var s = RandomStream(seed: 9, stream: UInt64(dof * 10))
        var x = [Double](repeating: 0, count: Self.n)
        x.withUnsafeMutableBufferPointer { s.fillChiSquared($0.baseAddress!, count: $0.count, dof: dof) }
        Self.checkMoments(x, mean: dof, variance: 2 * dof, "chi2(\(dof))")
        var single = RandomStream(seed: 1, stream: 1)
        let y = (0..<Self.n).map { _ in single.nextChiSquared(dof: dof) }
        Self.checkMoments(y, mean: dof, variance: 2 * dof, "next chi2(\(dof))")
    }

    @Test(arguments: [(2.0, 38.0), (1.5, 6.0), (0.5, 0.5), (0.2, 3.0), (5.0, 1.0)])
    func betaMoments(a: Double, b: Double) {
        var s = RandomStream(seed: 10, stream: UInt64(a * 100 + b))
        let x = (0..<Self.n).map { _ in s.nextBeta(a, b) }
        #expect(x.allSatisfy { $0 >= 0 && $0 <= 1 })
        let mean = a / (a + b)
        let variance = a * b / ((a + b) * (a + b) * (a + b + 1))
        Self.checkMoments(x, mean: mean, variance: variance, "Beta(\(a), \(b))")
    }
}
