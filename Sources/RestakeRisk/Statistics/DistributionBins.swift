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
    /// capped by the kernel); the sorted column is read, never sorted again.
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
        // A value's bin (-1 below the central range, `bins` above it) never decreases along the
        // sorted values, so each bin's count is the distance between two binary searches.
        let bins = lo == hi ? 1 : Self.binCount
        let width = (hi - lo) / Double(bins)
        func bin(_ x: Double) -> Int {
            x < lo ? -1 : x > hi ? bins : lo == hi ? 0 : Swift.min(Int((x - lo) / width), bins - 1)
        }
        let starts = values.withUnsafeBufferPointer { v in
            (0...(bins + 1)).map { k in
                var a = 0, b = v.count
                while a < b { let m = (a + b) / 2; if bin(v[m]) >= k - 1 { b = m } else { a = m + 1 } }
                return a
            }
        }
        // starts[k] is the first value in bin k - 1.
        let below = starts[1], above = values.count - starts[bins + 1]
        if below > 0 { append(minimum, lo, below) }
        for i in 0..<bins {
            let a = lo == hi ? lo : lo + Double(i) * width
            let b = lo == hi ? hi : (i == bins - 1 ? hi : lo + Double(i + 1) * width)
            append(a, b, starts[i + 2] - starts[i + 1])
        }
        if above > 0 { append(hi, maximum, above) }
    }
}
