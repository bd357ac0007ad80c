import Glibc
import Testing
@testable import RestakeRisk

/// The t copula's mixing draw: exact in law for integer dof (products of uniforms) and otherwise.
@Suite struct ChiSquaredFillTests {
    static func fill(dof: Double, n: Int, seed: UInt64) -> [Double] {
        var s = RandomStream(seed: seed, stream: UInt64(dof * 100))
        var x = [Double](repeating: 0, count: n)
        // Block-sized calls, as the kernel makes them.
        x.withUnsafeMutableBufferPointer { buf in
            var done = 0
            while done < n {
                let c = min(1024, n - done)
                s.fillChiSquared(buf.baseAddress! + done, count: c, dof: dof)
                done += c
            }
        }
        return x
    }

    @Test(arguments: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 11.0, 20.0, 21.0, 4.5, 0.7, 30.0])
    func moments(dof: Double) {
        let x = Self.fill(dof: dof, n: 1_000_000, seed: 31)
        #expect(x.allSatisfy { $0 >= 0 && $0.isFinite })
        GammaBetaSamplingTests.checkMoments(x, mean: dof, variance: 2 * dof, "chi2(\(dof))")
    }

    /// Closed-form CDFs: dof 1 is erf(sqrt(x/2)); even dof is 1 - e^(-x/2) sum_{j < dof/2} (x/2)^j / j!.
    static func cdf(_ x: Double, dof: Int) -> Double {
        if dof == 1 { return Glibc.erf((x / 2).squareRoot()) }
        var term = 1.0, sum = 1.0
        for j in 1..<(dof / 2) { term *= (x / 2) / Double(j); sum += term }
        return 1 - Glibc.exp(-x / 2) * sum
    }

    @Test(arguments: [1, 2, 4, 6, 20])
    func kolmogorovSmirnov(dof: Int) {
        let n = 500_000
        var x = Self.fill(dof: Double(dof), n: n, seed: 47)
        x.sort()
        var d = 0.0
        for i in 0..<n {
            let f = Self.cdf(x[i], dof: dof)
            d = max(d, Double(i + 1) / Double(n) - f, f - Double(i) / Double(n))
        }
        #expect(d * Double(n).squareRoot() < 1.95, "dof \(dof): KS statistic \(d)")
    }

    @Test func sequenceIsReproducibleAndIndependentOfChunking() {
        // The same stream and block size give the same bits; another stream differs.
        #expect(Self.fill(dof: 4, n: 5000, seed: 1) == Self.fill(dof: 4, n: 5000, seed: 1))
        #expect(Self.fill(dof: 4, n: 5000, seed: 1) != Self.fill(dof: 4, n: 5000, seed: 2))
    }
}
