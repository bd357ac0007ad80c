import Foundation
import Testing
@testable import RestakeRisk

/// VaR, ES (MODEL.md v2 tail set) and their uncertainty on samples with known answers.
@Suite struct TailRiskTests {
    typealias T = StatisticsTestSupport

    /// Losses 1...10: VaR is `L_(ceil(aN))`, ES the mean of the worst `N - floor(aN)`:
    /// a = 0.9 (aN = 9 whole): VaR 9, ES 10 over one path (v1 averaged 9 and 10);
    /// a = 0.95 (9.5): VaR 10, ES 10; a = 0.85 (8.5): VaR 9, ES (9 + 10) / 2.
    @Test func tailSetIsTheWorstNMinusFloorANOutcomes() {
        let losses = (1...10).map(Double.init)
        let cases: [(a: Double, varValue: Double, es: Double, tail: Int)] =
            [(0.9, 9, 10, 1), (0.95, 10, 10, 1), (0.85, 9, 9.5, 2), (0.5, 5, 8, 5)]
        for c in cases {
            let r = TailRisk(alpha: c.a, sortedLosses: losses)
            #expect(r.valueAtRisk == c.varValue, "VaR_\(c.a)")
            #expect(r.expectedShortfall == c.es, "ES_\(c.a)")
            #expect(r.tailCount == c.tail, "tail of \(c.a)")
            #expect(r.pathCount == 10)
        }
    }

    /// `aN` that is whole but for rounding stays whole: 0.57 * 100 is 56.99999999999999 and
    /// 0.7 * 90 is 62.99999999999999 in floating point; the tail is still `N - aN` paths and VaR
    /// the `aN`-th value, as for products that round exactly (0.99 * 10^5).
    @Test func wholeProductsStayWhole() {
        #expect(0.57 * 100 != 57 && 0.7 * 90 != 63)
        for (a, n, whole) in [(0.57, 100, 57), (0.7, 90, 63), (0.99, 100_000, 99_000), (0.999, 1000, 999)] {
            #expect(EmpiricalQuantile.tailStart(a, count: n) == whole)
            #expect(EmpiricalQuantile.rank(a, count: n) == whole)
            let r = TailRisk(alpha: a, sortedLosses: (1...n).map(Double.init))
            #expect(r.tailCount == n - whole && r.valueAtRisk == Double(whole))
            #expect(r.expectedShortfall == Double(whole + 1 + n) / 2)
        }
        // A product that is not whole takes floor and ceiling.
        #expect(EmpiricalQuantile.tailStart(0.955, count: 100) == 95)
        #expect(EmpiricalQuantile.rank(0.955, count: 100) == 96)
        // A level so close to 1 that aN rounds to N still leaves the worst path in the tail.
        #expect(EmpiricalQuantile.tailStart(1 - 1e-12, count: 10) == 9)
    }

    /// Where the interval's order statistic falls outside 1...N its bound is nil, never clamped:
    /// N = 1000, a = 0.999 has ranks 997 and 1001 (upper missing); N = 10, a = 0.05 has ranks
    /// -1 and 2 (lower missing); a clamped [L_997, L_1000] would cover the quantile with
    /// probability P(997 <= B <= 999), B ~ Bin(1000, 0.999): 61%, not 95%.
    @Test func outOfSampleBoundsAreNil() {
        let thousand = (1...1000).map(Double.init)
        let high = TailRisk(alpha: 0.999, sortedLosses: thousand)
        #expect(high.intervalRanks == (997, 1001))
        #expect(high.valueAtRiskInterval.lower == 997 && high.valueAtRiskInterval.upper == nil)
        let clampedCoverage = T.binomialCDF(999, 1000, 0.999) - T.binomialCDF(996, 1000, 0.999)
        #expect(abs(clampedCoverage - 0.613) < 0.001)

        let low = TailRisk(alpha: 0.05, sortedLosses: (1...10).map(Double.init))
        #expect(low.intervalRanks.lower < 1 && low.valueAtRiskInterval.lower == nil)
        #expect(low.valueAtRiskInterval.upper == Double(low.intervalRanks.upper))

        let inside = TailRisk(alpha: 0.95, sortedLosses: thousand)
        #expect(inside.intervalRanks == (936, 964))
        #expect(inside.valueAtRiskInterval.lower == 936 && inside.valueAtRiskInterval.upper == 964)
    }

    /// The ES standard error is nil below 10 tail paths: N = 1000 gives 5 at a = 0.995, 10 at 0.99.
    @Test func standardErrorNeedsTenTailPaths() {
        let losses = (1...1000).map(Double.init)
        let five = TailRisk(alpha: 0.995, sortedLosses: losses)
        #expect(five.tailCount == 5 && five.expectedShortfallStandardError == nil)
        let ten = TailRisk(alpha: 0.99, sortedLosses: losses)
        #expect(ten.tailCount == 10 && ten.expectedShortfallStandardError != nil)
    }

    /// Coverage of the VaR interval by repeated sampling: 2,000 samples of 1,000 exponential
    /// losses; the interval [L_(l), L_(u)] covers the true quantile `-log(1 - a)` exactly when
    /// `l <= B <= u - 1` for `B ~ Bin(N, a)` the count below it, so its exact coverage is known;
    /// the observed coverage must lie within 4 binomial standard errors of it, and it must be
    /// near the nominal 95%.
    @Test func valueAtRiskIntervalCoversAsClaimed() throws {
        let n = 1000, replications = 2000
        for a in [0.95, 0.99] {
            let ranks = TailRisk(alpha: a, sortedLosses: Array(repeating: 0, count: n)).intervalRanks
            let exact = T.binomialCDF(ranks.upper - 1, n, a) - T.binomialCDF(ranks.lower - 1, n, a)
            #expect(exact > 0.94 && exact < 0.98, "exact coverage \(exact) at \(a)")
            let truth = -log1p(-a)
            var sampler = TestSampler(seed: 0xC0FFEE + UInt64(a * 1000))
            var covered = 0
            for _ in 0..<replications {
                let r = TailRisk(alpha: a, sortedLosses: sampler.sortedExponentials(n))
                let lo = try #require(r.valueAtRiskInterval.lower), hi = try #require(r.valueAtRiskInterval.upper)
                if lo <= truth && truth < hi { covered += 1 }
            }
            let observed = Double(covered) / Double(replications)
            let se = (exact * (1 - exact) / Double(replications)).squareRoot()
            #expect(abs(observed - exact) <= 4 * se, "a = \(a): coverage \(observed), exact \(exact), SE \(se)")
        }
    }

    /// ES and its standard error against closed forms for exponential losses, N = 10,000,
    /// a = 0.98 (a tail of k = 200), 1,000 samples. By memorylessness the tail is the order
    /// statistic `X_(N-k)` plus k independent Exp(1) excesses, so
    /// - `Var(ES) = sum_{j=k+1}^{N} 1/j^2 + 1/k` exactly: the samples' variance of ES must match;
    /// - the reported variance is `(s^2 + a g^2) / k` with s^2 and g the excesses' sample variance
    ///   and mean, so its expectation is `(1 + a (1 + 1/k)) / k` exactly (asymptotically
    ///   `(1 + a) / k`, the closed form of the asymptotic variance);
    /// - ES is unbiased for its expectation `E[X_(N-k)] + 1 = sum_{j=k+1}^{N} 1/j + 1`.
    /// Each within 4 standard errors of the replications.
    @Test func expectedShortfallStandardErrorMatchesClosedForm() throws {
        let n = 10_000, a = 0.98, replications = 1000
        let k = n - 9800
        var sampler = TestSampler(seed: 20_260_612)
        var estimates: [Double] = [], variances: [Double] = []
        for _ in 0..<replications {
            let r = TailRisk(alpha: a, sortedLosses: sampler.sortedExponentials(n))
            #expect(r.tailCount == k)
            estimates.append(r.expectedShortfall)
            let se = try #require(r.expectedShortfallStandardError)
            variances.append(se * se)
        }
        let inverseSquares = ((k + 1)...n).reduce(0.0) { $0 + 1 / Double($1 * $1) }
        let exactVariance = inverseSquares + 1 / Double(k)
        let (meanES, observedVariance) = T.meanVariance(estimates)
        let varianceSE = T.varianceStandardError(estimates)
        #expect(abs(observedVariance - exactVariance) <= 4 * varianceSE,
                "Var(ES) \(observedVariance), exact \(exactVariance), SE \(varianceSE)")
        let exactMean = ((k + 1)...n).reduce(0.0) { $0 + 1 / Double($1) } + 1
        let meanSE = (exactVariance / Double(replications)).squareRoot()
        #expect(abs(meanES - exactMean) <= 4 * meanSE, "E[ES] \(meanES), exact \(exactMean)")
        let (meanReported, reportedVariance) = T.meanVariance(variances)
        let expectedReported = (1 + a * (1 + 1 / Double(k))) / Double(k)
        let reportedSE = (reportedVariance / Double(replications)).squareRoot()
        #expect(abs(meanReported - expectedReported) <= 4 * reportedSE,
                "mean reported SE^2 \(meanReported), exact \(expectedReported), SE \(reportedSE)")
        // The asymptotic closed form and the exact variance agree to O(1/N).
        #expect(abs((1 + a) / Double(k) - exactVariance) / exactVariance < 0.01)
    }
}
