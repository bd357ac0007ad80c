import Foundation
import Testing
@testable import RestakeRisk

/// Merged shards give the single run's numbers to the last bit: `summary.json` (all but
/// `elapsed_seconds`, `path_steps_per_second`, `threads`) and every CSV byte for byte.
@Suite struct ShardMergeTests {
    /// 20,000 paths: 20 blocks, the last one partial (544 paths), more than the 16 pilot blocks,
    /// so some shards lie wholly outside the pilot and 3 or 4 shards split the blocks unevenly.
    static let paths = 20_000
    static let seed: UInt64 = 20_261_121

    static let defaultScenario: ShardFixtures.Loaded = try! ShardFixtures.Loaded(Scenario.defaultText)
    /// The reference: one process, every path.
    static let single: RunReport = ShardFixtures.singleRun(defaultScenario, seed: seed, paths: paths)

    /// Writes `count` shards, opens them (in `order`), merges and returns the report.
    static func merged(count: Int, order: (([String]) -> [String]) = { $0 },
                       threads: (Int) -> Int = { _ in 1 }) throws -> RunReport {
        let temp = try ShardTempFolder("merge-\(count)")
        defer { temp.remove() }
        var folders: [String] = []
        for i in 0..<count {
            let bytes = ShardFixtures.shardBytes(defaultScenario, seed: seed, paths: paths, index: i,
                                                 count: count, threads: threads(i))
            folders.append(try temp.writeShard("shard-\(i)", bytes))
        }
        let set = try ShardSet(folders: order(folders))
        #expect(set.shards.map(\.header.shardIndex) == Array(0..<count), "ShardSet orders shards by index")
        return try set.report()
    }

    @Test func fourShardsEqualSingleRun() throws {
        // Shards on different thread counts, handed over in reverse order.
        let report = try Self.merged(count: 4, order: { $0.reversed() }, threads: { 1 + $0 % 2 })
        try expectIdenticalReports(report, Self.single, "4 shards vs single run")
    }

    @Test func threeShardsEqualFourShardsAndSingleRun() throws {
        let three = try Self.merged(count: 3)
        let four = try Self.merged(count: 4)
        try expectIdenticalReports(three, Self.single, "3 shards vs single run")
        try expectIdenticalReports(four, Self.single, "4 shards vs single run")
        try expectIdenticalReports(three, four, "3 shards vs 4 shards")
    }

    @Test func oneShardEqualsSingleRun() throws {
        try expectIdenticalReports(try Self.merged(count: 1), Self.single, "1 shard vs single run")
    }

    /// Fewer paths than the pilot's 16 blocks and one block per shard (the last one partial).
    @Test func oneBlockPerShardEqualsSingleRun() throws {
        let paths = 4_500
        let reference = ShardFixtures.singleRun(Self.defaultScenario, seed: 7, paths: paths, threads: 1)
        let temp = try ShardTempFolder("one-block")
        defer { temp.remove() }
        let folders = try temp.writeShards(Self.defaultScenario, seed: 7, paths: paths, count: 5)
        let report = try ShardSet(folders: folders).report()
        try expectIdenticalReports(report, reference, "5 one-block shards vs single run")
    }

    /// The comparison is not vacuous: runs of different seeds, or of one more path, differ.
    @Test func comparisonSeesDifferences() throws {
        let a = ShardFixtures.singleRun(Self.defaultScenario, seed: 1, paths: 2_000, threads: 1)
        let b = ShardFixtures.singleRun(Self.defaultScenario, seed: 2, paths: 2_000, threads: 1)
        let c = ShardFixtures.singleRun(Self.defaultScenario, seed: 1, paths: 2_001, threads: 1)
        let seeds = try reportDifferences(a, b)
        #expect(seeds.count == 5, "seed 1 vs 2 should differ in all five files: \(seeds)")
        let paths = try reportDifferences(a, c)
        #expect(paths.contains { $0.hasPrefix("summary.json") }, "2000 vs 2001 paths: \(paths)")
        #expect(try reportDifferences(a, a).isEmpty)
    }

    /// The merged report keeps the run's identity fields (the comparison above strips only timing).
    @Test func mergedReportKeepsRunIdentity() throws {
        let report = try Self.merged(count: 2)
        #expect(report.paths == Self.paths)
        #expect(report.seed == Self.seed)
        #expect(report.scenarioName == "default")
    }
}

/// The output files two reports differ in, each with its first differing line and a window
/// around the first differing character (summary.json is one long line); empty when identical.
func reportDifferences(_ a: RunReport, _ b: RunReport) throws -> [String] {
    let pairs: [(String, String, String)] = [
        ("summary.json (timing and threads removed)", try ShardFixtures.comparableSummary(a),
         try ShardFixtures.comparableSummary(b)),
        ("fan.csv", a.fanCSV(), b.fanCSV()),
        ("timeline.csv", a.timelineCSV(), b.timelineCSV()),
        ("distribution.csv", a.distributionCSV(), b.distributionCSV()),
        ("attribution.csv", a.attributionCSV(), b.attributionCSV()),
    ]
    var differences: [String] = []
    for (name, x, y) in pairs {
        if x.isEmpty || y.isEmpty { differences.append("\(name) is empty"); continue }
        if x == y { continue }
        let xs = x.split(separator: "\n", omittingEmptySubsequences: false)
        let ys = y.split(separator: "\n", omittingEmptySubsequences: false)
        let line = (0..<min(xs.count, ys.count)).first { xs[$0] != ys[$0] } ?? min(xs.count, ys.count)
        let left = line < xs.count ? Array(xs[line]) : [], right = line < ys.count ? Array(ys[line]) : []
        let column = (0..<min(left.count, right.count)).first { left[$0] != right[$0] } ?? min(left.count, right.count)
        func window(_ c: [Character]) -> String {
            c.isEmpty ? "<end>" : String(c[max(0, column - 120)..<min(c.count, column + 120)])
        }
        differences.append("\(name) differs at line \(line + 1), column \(column + 1):\n  \(window(left))\n  \(window(right))")
    }
    return differences
}

/// Expects two reports to write the same files, naming the first difference of any that differ.
func expectIdenticalReports(_ a: RunReport, _ b: RunReport, _ label: String,
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
    for difference in try reportDifferences(a, b) {
        Issue.record("\(label): \(difference)", sourceLocation: sourceLocation)
    }
}
