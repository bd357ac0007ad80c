extension SparseAttribution {
    /// The threshold a run keeps entries above: a pilot sample's k-th largest `L_s`, with k well
    /// above the pilot's expected share of the level's tail.
    ///
    /// The pilot's paths are among the run's, drawn like all others, so the number of them in
    /// the run's tail of level a is hypergeometric with mean `m (1 - a)` and variance below it.
    /// The threshold misses a tail path only if at least k pilot paths lie strictly above the
    /// run's VaR; with `k = m (1 - a) + 10 sqrt(m (1 - a)) + 10` Bernstein's inequality puts
    /// that below 1e-11 for any loss law. The run checks coverage anyway and, if it fails,
    /// simulates its blocks again with the exact threshold.
    ///
    /// - Parameters:
    ///   - pilot: `L_s` of the pilot paths, in any order.
    ///   - level: the lowest level whose tail must keep its entries.
    /// - Returns: 0 (keep every slashed path) when the pilot is too small to give a margin.
    public static func pilotThreshold(_ pilot: [Double], level: Double) -> Double {
        precondition(level > 0 && level < 1, "tail level \(level) outside (0, 1)")
        let m = Double(pilot.count)
        let mean = m * (1 - level)
        let k = Int((mean + 10 * mean.squareRoot() + 10).rounded(.up))
        guard k < pilot.count else { return 0 }
        let ascending = RadixSort.sorted(pilot)
        return Swift.max(ascending[pilot.count - k], 0)
    }

    /// Whether the kept entries hold every path of the tail of level `level` over these paths.
    ///
    /// The tail is the `N - floor(a N)` largest `L_s`; it is covered when at least that many
    /// paths reach the threshold, since every path at or above it kept its entries.
    public func covers(level: Double, slashingLoss: UnsafeBufferPointer<Double>) -> Bool {
        guard threshold > 0, !slashingLoss.isEmpty else { return true }
        let n = slashingLoss.count
        let tail = n - EmpiricalQuantile.tailStart(level, count: n)
        var reaching = 0
        for x in slashingLoss where x >= threshold { reaching += 1 }
        return reaching >= tail
    }

    /// The largest threshold that covers the tail of level `level`: that tail's smallest `L_s`.
    static func coveringThreshold(level: Double, slashingLoss: UnsafeBufferPointer<Double>) -> Double {
        let sorted = RadixSort.sorted(slashingLoss)
        return Swift.max(sorted[EmpiricalQuantile.tailStart(level, count: sorted.count)], 0)
    }
}
