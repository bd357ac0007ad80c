import Testing
@testable import RestakeRisk

/// `Sharding.blocks` splits a run's blocks into contiguous, nearly equal, non-empty ranges that
/// together are exactly the single run's blocks.
@Suite struct ShardingTests {
    @Test(arguments: [1, 1_024, 1_025, 4_500, 20_000, 100_000, 1_000_000, 10_000_001])
    func shardsTileTheRun(paths: Int) {
        let blocks = Simulation.blockCount(paths: paths)
        for count in Set([1, 2, 3, 4, 7, 16, 64, blocks].filter { $0 <= blocks }) {
            let ranges = (0..<count).map { Sharding.blocks(index: $0, count: count, paths: paths) }
            #expect(ranges.first?.lowerBound == 0)
            #expect(ranges.last?.upperBound == blocks)
            #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound },
                    "contiguous: \(count) shards of \(paths) paths")
            let sizes = ranges.map(\.count)
            #expect(sizes.allSatisfy { $0 >= 1 }, "no empty shard: \(sizes)")
            #expect(sizes.max()! - sizes.min()! <= 1, "nearly equal: \(sizes)")
        }
    }
}
