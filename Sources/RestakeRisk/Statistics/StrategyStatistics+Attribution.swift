extension StrategyStatistics {
    /// Euler attribution of `ES_a(L_s)` at every level: each source's mean loss over the tail set.
    ///
    /// The tail set of level a is the `N - floor(a N)` worst paths by `L_s`, ties broken by path
    /// index (a later path sorts later), exactly the losses `ES_a` averages, so the
    /// contributions sum to it. Its smallest loss v is read off the sorted column: every path
    /// above v is in the set, and the paths at v fill the rest, latest first. Paths with
    /// `L_s = 0` contribute nothing, so one backward pass over the sparse entries does every level.
    /// `E[L_s,j]` comes from the exact per-source sums, which cover every path.
    ///
    /// The entries must cover every level's tail (`SparseAttribution.covers`): a run keeps them
    /// for its lowest level, and a merge checks them before it gets here.
    static func attribute(paths: StrategyPaths, sortedSlashing sorted: [Double], firstPath: Int,
                          alphas: [Double]) -> [[AttributionEntry]] {
        let n = paths.count
        let sparse = paths.attribution
        let width = sparse.sources.count
        let levels = alphas.count
        var threshold = [Double](), tiesLeft = [Int](), tailCount = [Int]()
        for alpha in alphas {
            let start = EmpiricalQuantile.tailStart(alpha, count: n)
            let v = sorted[start]
            var a = start, b = n
            while a < b { let m = (a + b) / 2; if sorted[m] > v { b = m } else { a = m + 1 } }
            threshold.append(v); tailCount.append(n - start); tiesLeft.append(a - start)
            precondition(sparse.threshold == 0 || v >= sparse.threshold,
                         "attribution entries kept above \(sparse.threshold) miss the tail of level \(alpha) (VaR \(v))")
        }
        let expected = sparse.expectedLosses(pathCount: n)
        var tail = [Double](repeating: 0, count: width * levels)
        var inTail = [Bool](repeating: false, count: levels)
        sparse.entryPaths.withUnsafeBufferPointer { entryPaths in
            sparse.entrySources.withUnsafeBufferPointer { entrySources in
                sparse.entryLosses.withUnsafeBufferPointer { entryLosses in
                    var e = entryPaths.count - 1
                    while e >= 0 {
                        let p = entryPaths[e]
                        let x = paths.slashingLoss[p - firstPath]
                        for l in 0..<levels {
                            if x > threshold[l] {
                                inTail[l] = true
                            } else if x == threshold[l] && tiesLeft[l] > 0 {
                                inTail[l] = true
                                tiesLeft[l] -= 1
                            } else {
                                inTail[l] = false
                            }
                        }
                        while e >= 0 && entryPaths[e] == p {
                            let j = Int(entrySources[e]), loss = entryLosses[e]
                            for l in 0..<levels where inTail[l] { tail[l * width + j] += loss }
                            e -= 1
                        }
                    }
                }
            }
        }
        return (0..<levels).map { l in
            (0..<width).map {
                AttributionEntry(source: sparse.sources[$0], expectedLoss: expected[$0],
                                 esContribution: tail[l * width + $0] / Double(tailCount[l]))
            }
        }
    }
}
