/// A histogram of one metric of one strategy, as `distribution.csv` writes it.
///
/// 100 equal-width bins span the central range `[x_(ceil(0.001 N)), x_(ceil(0.999 N))]`, so a
/// handful of extreme paths (heavy-tailed prices can send equity to enormous values) cannot
/// squeeze the whole distribution into one bin; the paths below and above it get one outer bin
/// each, from the sample's minimum and up to its maximum. Densities are `count / (N * width)`.
public struct DistributionBins: Sendable, Equatable {
    public var strategy: String
    /// `terminal_wealth`, `loss` or `slashing_loss`.
    public var metric: String
    public var lower: [Double]
    public var upper: [Double]
    public var counts: [Int]
    /// `count / (N * width)`; nil where the bin has no width (every value equal).
    public var densities: [Double?]

    /// Bins across the central range.
    public static let binCount = 100
    /// The central range's quantile levels.
    public static let centralRange = (0.001, 0.999)

    /// Bins for finite values sorted ascending (non-finite values never reach here: equity is
    /// capped by the kernel).
    public init(strategy: String, metric: String, sorted values: [Double]) {
        precondition(!values.isEmpty, "histogram of no values")
        self.strategy = strategy
        self.metric = metric
        lower = []; upper = []; counts = []; densities = []
        let n = Double(values.count)
        let minimum = values.first!, maximum = values.last!
        let lo = EmpiricalQuantile.lower(Self.centralRange.0, sorted: values)
        let hi = EmpiricalQuantile.lower(Self.centralRange.1, sorted: values)
        func append(_ a: Double, _ b: Double, _ count: Int) {
            lower.append(a); upper.append(b); counts.append(count)
            densities.append(b > a ? Double(count) / (n * (b - a)) : nil)
        }
        if lo == hi {
            // Central range of one value: one bin for it, outer bins for the rest.
            let below = values.firstIndex { $0 >= lo }!
            let above = values.count - (values.lastIndex { $0 <= hi }! + 1)
            if below > 0 { append(minimum, lo, below) }
            append(lo, hi, values.count - below - above)
            if above > 0 { append(hi, maximum, above) }
            return
        }
        let bins = Self.binCount
        let width = (hi - lo) / Double(bins)
        var c = [Int](repeating: 0, count: bins)
        var below = 0, above = 0
        for x in values {
            if x < lo { below += 1 } else if x > hi { above += 1 } else { c[min(Int((x - lo) / width), bins - 1)] += 1 }
        }
        if below > 0 { append(minimum, lo, below) }
        for i in 0..<bins {
            append(lo + Double(i) * width, i == bins - 1 ? hi : lo + Double(i + 1) * width, c[i])
        }
        if above > 0 { append(hi, maximum, above) }
    }
}
