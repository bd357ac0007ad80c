extension FanHistogram {
    /// The lower empirical q-quantile, with a rank error below the mass of one bin.
    public func quantile(_ q: Double) -> Double {
        quantileWithBound(q).value
    }

    /// The quantile and a bound on its rank error: the mass of the bin it was read from.
    ///
    /// The k-th of a bin's n values is placed at the middle of the k-th of n equal slices of the
    /// bin (bounded by the extremes seen in the outer bins); a point-mass bin `[v, v.nextUp)`
    /// returns v exactly, with no rank error.
    public func quantileWithBound(_ q: Double) -> (value: Double, rankErrorBound: Double) {
        precondition(total > 0, "quantile of an empty histogram")
        let r = UInt64(EmpiricalQuantile.rank(q, count: Int(total)))
        var before: UInt64 = 0
        for b in 0..<binCount where counts[b] > 0 {
            let n = counts[b]
            if before + n >= r {
                let lo = Swift.max(b == 0 ? minimum : edges[b - 1], minimum)
                let hi = Swift.min(b == binCount - 1 ? maximum : edges[b], maximum)
                if hi <= lo || hi == lo.nextUp { return (lo, 0) }
                let f = (Double(r - before) - 0.5) / Double(n)
                return (lo + (hi - lo) * f, Double(n) / Double(total))
            }
            before += n
        }
        preconditionFailure("rank beyond histogram total")
    }
}
