/// An equal-width histogram of one metric of one strategy, as `distribution.csv` writes it.
public struct DistributionBins: Sendable, Equatable {
    public var strategy: String
    /// `terminal_wealth`, `loss` or `slashing_loss`.
    public var metric: String
    public var lower: [Double]
    public var upper: [Double]
    public var counts: [Int]
    /// `count / (N * width)`; nil where the bin has no width (every value equal).
    public var densities: [Double?]

    /// Bins between the sample's minimum and maximum.
    public static let binCount = 100

    public init(strategy: String, metric: String, values: [Double]) {
        precondition(!values.isEmpty, "histogram of no values")
        self.strategy = strategy
        self.metric = metric
        var lo = values[0], hi = values[0]
        for x in values { lo = min(lo, x); hi = max(hi, x) }
        let n = Double(values.count)
        if lo == hi {
            lower = [lo]; upper = [hi]; counts = [values.count]; densities = [nil]
            return
        }
        let bins = Self.binCount
        let width = (hi - lo) / Double(bins)
        var c = [Int](repeating: 0, count: bins)
        for x in values { c[min(Int((x - lo) / width), bins - 1)] += 1 }
        lower = (0..<bins).map { lo + Double($0) * width }
        upper = (0..<bins).map { $0 == bins - 1 ? hi : lo + Double($0 + 1) * width }
        counts = c
        densities = zip(c, zip(lower, upper)).map { count, edges in
            Double(count) / (n * (edges.1 - edges.0))
        }
    }
}
