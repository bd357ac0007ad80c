extension BlockWorkspace {
    /// Sums each path's slashed amounts over its sources into `totals` and gathers the nonzero
    /// ones of every path with a positive total into `entryStart` / `entrySource` / `entryLoss`,
    /// in ascending (path, source) order.
    ///
    /// Every pass runs over one source's row of the block's paths: walking a path's sources
    /// instead strides by the block size and misses the cache once per source (a 200-AVS
    /// portfolio spent a quarter of its run there). Each path's total adds its sources in
    /// ascending order, as a per-path loop would, so the sums are the same bits.
    func gatherSlashing(_ st: StrategyState, count m: Int, totals: UnsafeMutablePointer<Double>) {
        let n = blockSize, sources = st.sourceCount
        totals.update(repeating: 0, count: m)
        for a in 0..<sources {
            let row = st.slashed + a * n
            for p in 0..<m { totals[p] += row[p] }
        }
        let start = entryStart
        start.update(repeating: 0, count: m + 1)
        for a in 0..<sources {
            let row = st.slashed + a * n
            for p in 0..<m { start[p + 1] &+= row[p] != 0 ? 1 : 0 }
        }
        for p in 0..<m {
            let own = totals[p] > 0 ? start[p + 1] : 0
            start[p + 1] = start[p] &+ own
        }
        let entries = start[m]
        if entries > entryCapacity {
            let capacity = Swift.max(entries, 2 * entryCapacity)
            entrySource.deallocate(); entryLoss.deallocate()
            entrySource = .allocate(capacity: capacity)
            entryLoss = .allocate(capacity: capacity)
            entryCapacity = capacity
        }
        guard entries > 0 else { return }
        let cursor = entryCursor, source = entrySource, loss = entryLoss
        cursor.update(from: start, count: m)
        for a in 0..<sources {
            let row = st.slashed + a * n
            let index = Int32(truncatingIfNeeded: a)
            for p in 0..<m where row[p] != 0 && totals[p] > 0 {
                let i = cursor[p]
                source[i] = index
                loss[i] = row[p]
                cursor[p] = i &+ 1
            }
        }
        assert((0..<m).allSatisfy { cursor[$0] == start[$0 + 1] }, "attribution entries miscounted")
    }
}
