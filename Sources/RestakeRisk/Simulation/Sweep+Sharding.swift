/// One point's share of a sweep shard: the blocks of that point the shard simulates.
public struct SweepPiece: Sendable, Equatable {
    /// The sweep point.
    public var point: Int
    /// The point's blocks this shard runs (of `Simulation.blockCount(paths:)`).
    public var blocks: Range<Int>
    /// This piece's place among the shards that hold part of the point, and their number: the
    /// shard index and count the point's `shard.bin` records, so that a point's pieces merge as
    /// the shards of one run.
    public var index: Int
    public var count: Int
}

extension Sweep {
    /// The pieces shard `shard` of `shards` runs: the sweep's points x blocks, point after point,
    /// cut into `shards` contiguous, near-even runs of blocks.
    ///
    /// Together the shards hold every block of every point exactly once, so merging them gives the
    /// unsharded sweep's numbers. A shard may span the end of one point and the start of the next;
    /// `shards` may exceed the number of points (a point then splits over several shards) but not
    /// the total number of blocks.
    public static func pieces(shard: Int, of shards: Int, points: Int, paths: Int) -> [SweepPiece] {
        let perPoint = Simulation.blockCount(paths: paths)
        let total = points * perPoint
        precondition(points > 0 && paths > 0, "Sweep.pieces: no points or paths")
        precondition(shards > 0 && shards <= total, "Sweep.pieces: \(shards) shards for \(total) blocks")
        precondition(shard >= 0 && shard < shards, "Sweep.pieces: shard \(shard) of \(shards)")
        func span(_ i: Int) -> Range<Int> { (i * total / shards)..<((i + 1) * total / shards) }
        let mine = span(shard)
        let firstPoint = mine.lowerBound / perPoint, lastPoint = (mine.upperBound - 1) / perPoint
        var pieces: [SweepPiece] = []
        for point in firstPoint...lastPoint {
            let own = (point * perPoint)..<((point + 1) * perPoint)
            // The shards that touch this point are a contiguous run of shard indices.
            var first = shard, last = shard
            while first > 0 && span(first - 1).overlaps(own) { first -= 1 }
            while last < shards - 1 && span(last + 1).overlaps(own) { last += 1 }
            let blocks = mine.clamped(to: own)
            pieces.append(SweepPiece(point: point,
                                     blocks: (blocks.lowerBound - own.lowerBound)..<(blocks.upperBound - own.lowerBound),
                                     index: shard - first, count: last - first + 1))
        }
        return pieces
    }

    /// Total blocks of a sweep of `points` points, the most shards it can split into.
    public static func blockCount(points: Int, paths: Int) -> Int { points * Simulation.blockCount(paths: paths) }
}
