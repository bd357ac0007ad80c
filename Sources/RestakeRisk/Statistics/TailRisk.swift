/// Value at risk and expected shortfall of a loss sample at one level, with their uncertainty.
public struct TailRisk: Sendable, Equatable {
    /// The level `a` (e.g. 0.99).
    public var alpha: Double
    /// `N`, the sample size.
    public var pathCount: Int
    /// `VaR_a = L_(ceil(a N))`, the lower empirical a-quantile of the losses.
    public var valueAtRisk: Double
    /// `ES_a`, the mean of `L_(i)` for `i > floor(a N)`: the worst `tailCount` losses.
    public var expectedShortfall: Double
    /// `N - floor(a N)` (at least 1): how many losses `ES_a` averages.
    public var tailCount: Int
    /// The one-based ranks of the VaR interval's order statistics, before any check against
    /// `1...N`: a rank outside it is why a bound is missing.
    public var intervalRanks: (lower: Int, upper: Int)
    /// A distribution-free 95% confidence interval for the a-quantile, from order statistics; a
    /// bound is nil where its order statistic falls outside 1...N (no clamped bound claims a
    /// coverage it does not have).
    public var valueAtRiskInterval: (lower: Double?, upper: Double?)
    /// The standard error of `ES_a`; nil when fewer than `minimumTailForStandardError` losses
    /// are in the tail (the asymptotic formula means nothing there).
    public var expectedShortfallStandardError: Double?

    /// The z value of a two-sided 95% interval.
    static let z95 = 1.959963984540054
    /// The fewest tail losses for which an ES standard error is given.
    public static let minimumTailForStandardError = 10

    /// Computes VaR, ES and their uncertainty from losses sorted in ascending order.
    ///
    /// The VaR interval takes the order statistics at ranks `floor(N a - h)` and `ceil(N a + h)`,
    /// `h = 1.96 sqrt(N a (1 - a))` (the normal approximation of the binomial count of losses
    /// below the true quantile, rounded outwards). The ES standard error is
    /// `sqrt((Var(L | tail) + a (ES - VaR)^2) / k)` with `k = tailCount`: the asymptotic variance
    /// of the empirical ES (Brazauskas et al. 2008; Yamai and Yoshiba 2002), the tail's own size
    /// standing in for `N (1 - a)`. For exponential losses it is `sqrt((1 + a) / k)`.
    public init(alpha: Double, sortedLosses sorted: UnsafeBufferPointer<Double>) {
        precondition(alpha > 0 && alpha < 1, "alpha \(alpha) outside (0, 1)")
        let n = sorted.count
        precondition(n > 0, "tail risk of an empty sample")
        self.alpha = alpha
        pathCount = n
        valueAtRisk = sorted[EmpiricalQuantile.rank(alpha, count: n) - 1]
        let start = EmpiricalQuantile.tailStart(alpha, count: n)
        let k = n - start
        tailCount = k
        var sum = 0.0
        for i in start..<n { sum += sorted[i] }
        let es = sum / Double(k)
        expectedShortfall = es

        let center = EmpiricalQuantile.scaledLevel(alpha, count: n)
        let half = Self.z95 * (Double(n) * alpha * (1 - alpha)).squareRoot()
        let lo = Int((center - half).rounded(.down)), hi = Int((center + half).rounded(.up))
        intervalRanks = (lo, hi)
        valueAtRiskInterval = ((1...n).contains(lo) ? sorted[lo - 1] : nil,
                               (1...n).contains(hi) ? sorted[hi - 1] : nil)

        if k >= Self.minimumTailForStandardError {
            var ss = 0.0
            for i in start..<n { let d = sorted[i] - es; ss += d * d }
            let tailVariance = ss / Double(k - 1)
            let gap = es - valueAtRisk
            expectedShortfallStandardError = ((tailVariance + alpha * gap * gap) / Double(k)).squareRoot()
        } else {
            expectedShortfallStandardError = nil
        }
    }

    /// Computes VaR, ES and their uncertainty from losses sorted in ascending order.
    public init(alpha: Double, sortedLosses sorted: [Double]) {
        self = sorted.withUnsafeBufferPointer { TailRisk(alpha: alpha, sortedLosses: $0) }
    }

    public static func == (a: TailRisk, b: TailRisk) -> Bool {
        a.alpha == b.alpha && a.pathCount == b.pathCount && a.valueAtRisk == b.valueAtRisk
            && a.expectedShortfall == b.expectedShortfall && a.tailCount == b.tailCount
            && a.intervalRanks == b.intervalRanks
            && a.valueAtRiskInterval.lower == b.valueAtRiskInterval.lower
            && a.valueAtRiskInterval.upper == b.valueAtRiskInterval.upper
            && a.expectedShortfallStandardError == b.expectedShortfallStandardError
    }
}
