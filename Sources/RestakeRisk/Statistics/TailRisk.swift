import RealModule

/// Value at risk and expected shortfall of a loss sample at one level, with their uncertainty.
public struct TailRisk: Sendable, Equatable {
    /// The level `a` (e.g. 0.99).
    public var alpha: Double
    /// `VaR_a = L_(ceil(a N))`, the lower empirical a-quantile of the losses.
    public var valueAtRisk: Double
    /// `ES_a`, the mean of `L_(i)` for `i >= ceil(a N)`.
    public var expectedShortfall: Double
    /// A distribution-free 95% confidence interval for the a-quantile, from order statistics; a
    /// bound is nil where its order statistic falls outside 1...N (no clamped bound claims a
    /// coverage it does not have).
    public var valueAtRiskInterval: (lower: Double?, upper: Double?) {
        (intervalLower, intervalUpper)
    }
    /// The standard error of `ES_a`; nil when the tail holds a single path.
    public var expectedShortfallStandardError: Double?

    var intervalLower: Double?
    var intervalUpper: Double?

    /// The z value of a two-sided 95% interval.
    static let z95 = 1.959963984540054

    /// Computes VaR, ES and their uncertainty from losses sorted in ascending order.
    ///
    /// The VaR interval takes the order statistics at ranks `N a -/+ 1.96 sqrt(N a (1 - a))`
    /// (the normal approximation of the binomial count of losses below the true quantile, rounded
    /// outwards and clamped to the sample). The ES standard error is
    /// `sqrt((Var(L | tail) + a (ES - VaR)^2) / (N (1 - a)))`, the asymptotic variance of the
    /// empirical ES (Brazauskas et al. 2008; Yamai and Yoshiba 2002), with the tail's own
    /// sample size standing in for `N (1 - a)`.
    public init(alpha: Double, sortedLosses sorted: UnsafeBufferPointer<Double>) {
        precondition(alpha > 0 && alpha < 1, "alpha \(alpha) outside (0, 1)")
        let n = sorted.count
        precondition(n > 0, "tail risk of an empty sample")
        let r = EmpiricalQuantile.rank(alpha, count: n)
        self.alpha = alpha
        valueAtRisk = sorted[r - 1]
        let tailCount = n - r + 1
        var sum = 0.0
        for i in (r - 1)..<n { sum += sorted[i] }
        let es = sum / Double(tailCount)
        expectedShortfall = es

        let center = alpha * Double(n)
        let half = Self.z95 * (Double(n) * alpha * (1 - alpha)).squareRoot()
        let lo = min(max(Int((center - half).rounded(.down)), 1), n)
        let hi = min(max(Int((center + half).rounded(.up)), 1), n)
        intervalLower = sorted[lo - 1]
        intervalUpper = sorted[hi - 1]

        if tailCount > 1 {
            var ss = 0.0
            for i in (r - 1)..<n { let d = sorted[i] - es; ss += d * d }
            let tailVariance = ss / Double(tailCount - 1)
            let gap = es - valueAtRisk
            let v = (tailVariance + alpha * gap * gap) / Double(tailCount)
            expectedShortfallStandardError = v.squareRoot()
        } else {
            expectedShortfallStandardError = nil
        }
    }

    public static func == (a: TailRisk, b: TailRisk) -> Bool {
        a.alpha == b.alpha && a.valueAtRisk == b.valueAtRisk
            && a.expectedShortfall == b.expectedShortfall
            && a.intervalLower == b.intervalLower && a.intervalUpper == b.intervalUpper
            && a.expectedShortfallStandardError == b.expectedShortfallStandardError
    }
}
