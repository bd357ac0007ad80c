import Foundation
import Testing
@testable import RestakeRisk

/// A sweep split into shards (points x blocks) merges into exactly the unsharded sweep's files
/// (issue 10, item 2), and a run's shards carry their `--set` overrides into the merge.
@Suite(.serialized) struct SweepShardTests {
    /// Every block of every point is in exactly one piece; a point's pieces are numbered
    /// 0..<count in block order, as the shards of one run.
    @Test(arguments: [(3, 5000, 4), (1, 9000, 3), (4, 1000, 4), (2, 20_000, 7), (5, 3000, 15), (3, 2048, 1)])
    func piecesTileEveryPoint(points: Int, paths: Int, shards: Int) {
        let perPoint = Simulation.blockCount(paths: paths)
        var seen = [[Int]](repeating: [], count: points)
        var pieces = [[SweepPiece]](repeating: [], count: points)
        for shard in 0..<shards {
            let mine = Sweep.pieces(shard: shard, of: shards, points: points, paths: paths)
            #expect(!mine.isEmpty)
            for piece in mine {
                seen[piece.point] += Array(piece.blocks)
                pieces[piece.point].append(piece)
            }
        }
        for point in 0..<points {
            #expect(seen[point] == Array(0..<perPoint), "point \(point): blocks \(seen[point])")
            let list = pieces[point]
            #expect(list.map(\.index) == Array(0..<list.count))
            #expect(list.allSatisfy { $0.count == list.count })
        }
    }

    static let scenario = CLIWiringTests.scenario

    @Test func shardedSweepMergesToTheUnshardedFiles() throws {
        let temp = try TempFolder("sweep-shards")
        defer { temp.remove() }
        let file = temp.path("s.yaml")
        try Self.scenario.write(toFile: file, atomically: true, encoding: .utf8)
        let common = [file, "--vary", "avs[bridge].incident_rate=0.01:0.05:3", "--vary", "strategies[restaked].base_apr=0.02,0.04",
                      "--set", "avs[oracle].incident_rate=0.03", "--paths", "3000", "--seed", "11", "--keep-runs", "--quiet"]
        let full = try CLI.run(["sweep"] + common + ["--out", temp.path("full")])
        #expect(full.status == 0, "\(full.stderr)")
        // 6 points x 3 blocks in 4 shards: shards cut through points.
        for i in 0..<4 {
            let shard = try CLI.run(["sweep"] + common + ["--out", temp.path("s\(i)"), "--shard-index", "\(i)", "--shard-count", "4"])
            #expect(shard.status == 0, "\(shard.stderr)")
        }
        let merged = try CLI.run(["merge", temp.path("s3"), temp.path("s1"), temp.path("s0"), temp.path("s2"),
                                  "--out", temp.path("merged"), "--quiet"])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout == full.stdout, "the merge prints the sweep's table")
        let a = TempFolder.snapshot(temp.path("full")), b = TempFolder.snapshot(temp.path("merged"))
        #expect(Set(a.keys) == Set(b.keys))
        #expect(a["sweep.csv"] != nil && a["sweep.csv"] == b["sweep.csv"], "sweep.csv byte for byte")
        #expect(a.keys.filter { $0.hasPrefix("points/") }.count >= 6 * 5)
        for (name, data) in a where !name.hasSuffix("summary.json") {
            #expect(b[name] == data, "\(name) differs")
        }
        for (name, data) in a where name.hasSuffix("summary.json") {
            #expect(try Self.withoutTiming(data) == Self.withoutTiming(b[name] ?? Data()), "\(name) differs")
        }

        // Refusals: a missing shard, a run's shard among a sweep's, a different seed.
        let missing = try CLI.run(["merge", temp.path("s0"), temp.path("s1"), temp.path("s3"), "--out", temp.path("m2")])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("point"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: temp.path("m2/sweep.csv")))
        let run = try CLI.run(["simulate", file, "--paths", "3000", "--quiet", "--out", temp.path("r0"),
                               "--shard-index", "0", "--shard-count", "1"])
        #expect(run.status == 0, "\(run.stderr)")
        let mixed = try CLI.run(["merge", temp.path("s0"), temp.path("r0"), "--out", temp.path("m3")])
        #expect(mixed.status != 0)
        #expect(mixed.stderr.contains("cannot be merged together"), "\(mixed.stderr)")
        let other = try CLI.run(["sweep"] + common.map { $0 == "11" ? "12" : $0 }
                                + ["--out", temp.path("o1"), "--shard-index", "1", "--shard-count", "4"])
        #expect(other.status == 0, "\(other.stderr)")
        let seeds = try CLI.run(["merge", temp.path("s0"), temp.path("o1"), temp.path("s2"), temp.path("s3"), "--out", temp.path("m4")])
        #expect(seeds.status != 0)
        #expect(seeds.stderr.contains("seed differs"), "\(seeds.stderr)")
        let tooMany = try CLI.run(["sweep"] + common + ["--out", temp.path("t"), "--shard-index", "0", "--shard-count", "19"])
        #expect(tooMany.status != 0)
        #expect(tooMany.stderr.contains("--shard-count 19: the sweep has only 18 blocks"), "\(tooMany.stderr)")
    }

    /// `simulate --set` may be sharded: the shards record the overrides and the merge applies them.
    @Test func shardsOfARunWithOverridesMergeToThatRun() throws {
        let temp = try TempFolder("set-shards")
        defer { temp.remove() }
        let file = temp.path("s.yaml")
        try Self.scenario.write(toFile: file, atomically: true, encoding: .utf8)
        let common = [file, "--paths", "5000", "--seed", "4", "--quiet", "--set", "avs[bridge].incident_rate=0.2"]
        let single = try CLI.run(["simulate"] + common + ["--out", temp.path("single")])
        #expect(single.status == 0, "\(single.stderr)")
        for i in 0..<2 {
            let shard = try CLI.run(["simulate"] + common + ["--out", temp.path("s\(i)"), "--shard-index", "\(i)", "--shard-count", "2"])
            #expect(shard.status == 0, "\(shard.stderr)")
        }
        let merged = try CLI.run(["merge", temp.path("s0"), temp.path("s1"), "--out", temp.path("merged"), "--quiet"])
        #expect(merged.status == 0, "\(merged.stderr)")
        for name in ["fan.csv", "distribution.csv", "attribution.csv", "timeline.csv", "summary.csv"] {
            #expect(FileManager.default.contents(atPath: temp.path("single/\(name)"))
                    == FileManager.default.contents(atPath: temp.path("merged/\(name)")), "\(name)")
        }
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: temp.url.appendingPathComponent("merged/summary.json"))) as? [String: Any])
        #expect((summary["provenance"] as? [String: Any])?["overrides"] as? [String] == ["avs[bridge].incident_rate=0.2"])
        // Shards of the same file with different overrides are different runs.
        let plain = try CLI.run(["simulate", file, "--paths", "5000", "--seed", "4", "--quiet", "--out", temp.path("p1"),
                                 "--shard-index", "1", "--shard-count", "2"])
        #expect(plain.status == 0, "\(plain.stderr)")
        let refused = try CLI.run(["merge", temp.path("s0"), temp.path("p1"), "--out", temp.path("m")])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--set overrides differs"), "\(refused.stderr)")
    }

    static func withoutTiming(_ data: Data) throws -> NSDictionary {
        var d = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in ["elapsed_seconds", "path_steps_per_second", "threads"] { d[key] = nil }
        return d as NSDictionary
    }
}
