/// Order statistics of a sample, as MODEL.md defines them.
public enum EmpiricalQuantile {
    /// The one-based rank `ceil(q * n)` of the lower empirical q-quantile, clamped to `1...n`.
    ///
    /// `q * n` is computed in floating point; a product within a few ulps of an integer is taken
    /// as that integer, so `q = 0.99, n = 100` gives rank 99 and not 100.
    @inlinable
    public static func rank(_ q: Double, count n: Int) -> Int {
        precondition(n > 0, "rank of an empty sample")
        precondition(q >= 0 && q <= 1, "quantile level \(q) outside [0, 1]")
        let x = q * Double(n)
        let nearest = x.rounded()
        let r = abs(x - nearest) <= 4 * x.ulp ? Int(nearest) : Int(x.rounded(.up))
        return min(max(r, 1), n)
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
