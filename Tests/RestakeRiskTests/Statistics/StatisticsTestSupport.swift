import Foundation
@testable import RestakeRisk

/// Samples with known laws for the statistics tests, from a fixed-seed generator independent of
/// the engine's streams.
struct TestSampler {
    var bits: SplitMix64

    init(seed: UInt64) { bits = SplitMix64(seed: seed) }

    /// Uniform on (0, 1): 53 random bits, never 0.
    mutating func uniform() -> Double {
        (Double(bits.next() >> 11) + 0.5) * 0x1p-53
    }

    /// Exponential with mean 1.
    mutating func exponential() -> Double { -log(uniform()) }

    /// n exponential losses, sorted ascending.
    mutating func sortedExponentials(_ n: Int) -> [Double] {
        (0..<n).map { _ in exponential() }.sorted()
    }
}

enum StatisticsTestSupport {
    /// `P(B <= k)` for `B ~ Binomial(n, p)`, by summing the mass function in log space.
    static func binomialCDF(_ k: Int, _ n: Int, _ p: Double) -> Double {
        if k < 0 { return 0 }
        if k >= n { return 1 }
        var sum = 0.0
        for i in 0...k {
            let logC = lgamma(Double(n + 1)) - lgamma(Double(i + 1)) - lgamma(Double(n - i + 1))
            sum += exp(logC + Double(i) * log(p) + Double(n - i) * log1p(-p))
        }
        return min(sum, 1)
    }

    /// Mean and sample variance.
    static func meanVariance(_ xs: [Double]) -> (mean: Double, variance: Double) {
        let n = Double(xs.count)
        let m = xs.reduce(0, +) / n
        return (m, xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (n - 1))
    }

    /// The standard error of a sample variance, from the sample's fourth central moment.
    static func varianceStandardError(_ xs: [Double]) -> Double {
        let (m, v) = meanVariance(xs)
        let m4 = xs.reduce(0) { $0 + pow($1 - m, 4) } / Double(xs.count)
        return ((m4 - v * v) / Double(xs.count)).squareRoot()
    }
}
