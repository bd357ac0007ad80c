/// Order statistics of a sample, as MODEL.md defines them.
public enum EmpiricalQuantile {
    /// `q * n` as a whole number where it is one but for rounding, else its exact floating value.
    ///
    /// `0.99 * 100_000` is `98999.99999999999` in floating point; taking its floor would move
    /// the ES tail set by one path and its ceiling the VaR by one rank. A product within 1e-9
    /// relative of an integer is that integer: levels are given to far fewer digits than that.
    @inlinable
    public static func scaledLevel(_ q: Double, count n: Int) -> Double {
        let x = q * Double(n)
        let nearest = x.rounded()
        return abs(x - nearest) <= 1e-9 * Swift.max(x, 1) ? nearest : x
    }

    /// The one-based rank `ceil(q * n)` of the lower empirical q-quantile, clamped to `1...n`.
    @inlinable
    public static func rank(_ q: Double, count n: Int) -> Int {
        precondition(n > 0, "rank of an empty sample")
        precondition(q >= 0 && q <= 1, "quantile level \(q) outside [0, 1]")
        let r = Int(scaledLevel(q, count: n).rounded(.up))
        return Swift.min(Swift.max(r, 1), n)
    }

    /// The number of sorted values below a tail of level q: `floor(q * n)`, clamped to
    /// `0...n-1` so the tail `[floor(q n), n)` (zero-based) always holds at least the worst value.
    @inlinable
    public static func tailStart(_ q: Double, count n: Int) -> Int {
        precondition(n > 0, "tail of an empty sample")
        precondition(q >= 0 && q <= 1, "tail level \(q) outside [0, 1]")
        let f = Int(scaledLevel(q, count: n).rounded(.down))
        return Swift.min(Swift.max(f, 0), n - 1)
    }

    /// The lower empirical q-quantile `x_(ceil(q n))` of values sorted in ascending order.
    @inlinable
    public static func lower(_ q: Double, sorted: UnsafeBufferPointer<Double>) -> Double {
        sorted[rank(q, count: sorted.count) - 1]
    }

    /// The lower empirical q-quantile of values sorted in ascending order.
    public static func lower(_ q: Double, sorted: [Double]) -> Double {
        sorted.withUnsafeBufferPointer { lower(q, sorted: $0) }
    }
}
