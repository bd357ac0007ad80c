import Foundation
import Testing
@testable import RestakeRisk

/// `ShardSet` refuses every set of shards that is not exactly one run, and every damaged shard
/// file, with a message that names the problem.
@Suite struct ShardRefusalTests {
    static let paths = 3_000          // 3 blocks, the last one partial
    static let seed: UInt64 = 99
    static let small: ShardFixtures.Loaded = try! ShardFixtures.Loaded(ShardFixtures.small)

    static func shard(_ loaded: ShardFixtures.Loaded = small, seed: UInt64 = seed, paths: Int = paths,
                      index: Int, count: Int = 3) -> Data {
        ShardFixtures.shardBytes(loaded, seed: seed, paths: paths, index: index, count: count)
    }

    /// Opens the folders and merges them, returning the failure's message (nil when it worked).
    static func refusal(_ folders: [String]) -> String? {
        do {
            _ = try ShardSet(folders: folders).report()
            return nil
        } catch let failure as ShardFile.Failure {
            return failure.description
        } catch {
            return "unexpected error type \(type(of: error)): \(error)"
        }
    }

    /// The three shards of the reference run, written to `temp`.
    static func goodShards(in temp: ShardTempFolder) throws -> [String] {
        try temp.writeShards(small, seed: seed, paths: paths, count: 3)
    }

    @Test func goodShardsAreAccepted() throws {
        let temp = try ShardTempFolder("good")
        defer { temp.remove() }
        let message = Self.refusal(try Self.goodShards(in: temp))
        #expect(message == nil)
    }

    @Test func shardsOfDifferentScenariosAreRefused() throws {
        let temp = try ShardTempFolder("scenario")
        defer { temp.remove() }
        let variant = try ShardFixtures.Loaded(ShardFixtures.smallVariant)
        #expect(variant.scenario.name == Self.small.scenario.name, "same name, different contents")
        let folders = [try temp.writeShard("a", Self.shard(index: 0)),
                       try temp.writeShard("b", Self.shard(index: 1)),
                       try temp.writeShard("c", Self.shard(variant, index: 2))]
        let message = try #require(Self.refusal(folders))
        #expect(message.contains("scenario differs"), "\(message)")
        #expect(message.contains("c/shard.bin"), "names the odd shard: \(message)")
    }

    @Test func shardsOfDifferentSeedsAreRefused() throws {
        let temp = try ShardTempFolder("seed")
        defer { temp.remove() }
        let folders = [try temp.writeShard("a", Self.shard(index: 0)),
                       try temp.writeShard("b", Self.shard(seed: 100, index: 1)),
                       try temp.writeShard("c", Self.shard(index: 2))]
        let message = try #require(Self.refusal(folders))
        #expect(message.contains("seed differs"), "\(message)")
        #expect(message.contains("100 vs 99"), "gives both seeds: \(message)")
    }

    @Test func shardsOfDifferentPathCountsAreRefused() throws {
        let temp = try ShardTempFolder("paths")
        defer { temp.remove() }
        // 2,900 paths is also 3 blocks: only the total path count tells the runs apart.
        let folders = [try temp.writeShard("a", Self.shard(index: 0)),
                       try temp.writeShard("b", Self.shard(index: 1)),
                       try temp.writeShard("c", Self.shard(paths: 2_900, index: 2))]
        let message = try #require(Self.refusal(folders))
        #expect(message.contains("path count differs"), "\(message)")
        #expect(message.contains("2900 vs 3000"), "gives both path counts: \(message)")
    }

    @Test func shardsOfDifferentShardCountsAreRefused() throws {
        let temp = try ShardTempFolder("count")
        defer { temp.remove() }
        let folders = [try temp.writeShard("a", Self.shard(index: 0, count: 2)),
                       try temp.writeShard("b", Self.shard(index: 1, count: 3)),
                       try temp.writeShard("c", Self.shard(index: 2, count: 3))]
        let message = try #require(Self.refusal(folders))
        #expect(message.contains("shard count differs"), "\(message)")
    }

    @Test func aMissingShardIsRefused() throws {
        let temp = try ShardTempFolder("missing")
        defer { temp.remove() }
        let all = try Self.goodShards(in: temp)
        let message = try #require(Self.refusal([all[0], all[2]]))
        #expect(message.contains("missing shard 1 of 3"), "\(message)")
    }

    @Test func aDuplicatedShardIsRefused() throws {
        let temp = try ShardTempFolder("duplicate")
        defer { temp.remove() }
        let all = try Self.goodShards(in: temp)
        // The same shard in a second folder (a re-run task), besides the complete set.
        let copy = try temp.writeShard("shard-1-again", try Data(contentsOf: URL(fileURLWithPath: all[1]).appendingPathComponent(ShardFile.fileName)))
        let message = try #require(Self.refusal(all + [copy]))
        #expect(message.contains("shard 1 of 3 given twice"), "\(message)")
        #expect(message.contains("shard-1-again"), "names both folders: \(message)")
    }

    @Test func theSameFolderTwiceIsRefused() throws {
        let temp = try ShardTempFolder("same-folder")
        defer { temp.remove() }
        let all = try Self.goodShards(in: temp)
        let message = try #require(Self.refusal([all[0], all[1], all[1], all[2]]))
        #expect(message.contains("given twice"), "\(message)")
    }

    /// Offset of the data part (after magic, header length and header) of a shard file.
    static func dataStart(_ bytes: Data) -> Int {
        let length = bytes[8..<16].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        return ShardFile.prefixLength + length
    }

    /// The header's JSON text of a shard file.
    static func headerRange(_ bytes: Data) -> Range<Int> { ShardFile.prefixLength..<dataStart(bytes) }

    @Test func anEditedHeaderIsRefused() throws {
        let temp = try TempFolder("edited-header")
        defer { temp.remove() }
        var folders = try Self.goodShardsIn(temp.url)
        var bytes = Self.shard(index: 1)
        let range = Self.headerRange(bytes)
        var json = String(decoding: bytes[range], as: UTF8.self)
        // Same length, so only the checksum can tell: the seed 99 becomes 98.
        #expect(json.contains("\"seed\":99"))
        json = json.replacingOccurrences(of: "\"seed\":99", with: "\"seed\":98")
        bytes.replaceSubrange(range, with: Data(json.utf8))
        folders[1] = try ShardTempFolder.write(temp.url, "shard-1-edited", bytes)
        let message = try #require(Self.refusal(folders))
        #expect(message.contains("corrupt header"), "\(message)")
        #expect(message.contains("shard-1-edited"), "names the file: \(message)")
    }

    @Test func anEmbeddedScenarioThatDoesNotMatchItsHashIsRefused() throws {
        var header = try ShardReader(folder: try Self.oneShardFolder()).header
        header.scenarioText = header.scenarioText.replacingOccurrences(of: "numeraire", with: "numeraire")
            + "\nnumeraire: usd\n"
        let temp = try TempFolder("scenario-hash")
        defer { temp.remove() }
        let result = Simulation.run(model: Self.small.model, seed: Self.seed, paths: Self.paths,
                                    blocks: Sharding.blocks(index: 0, count: 1, paths: Self.paths), threads: 1)
        let bytes = ShardFile.encode(header: header, result: result)
        let folder = try ShardTempFolder.write(temp.url, "tampered", bytes)
        do {
            _ = try ShardReader(folder: folder)
            Issue.record("a scenario that does not match its hash was accepted")
        } catch {
            #expect(error.description.contains("does not match its SHA-256"), "\(error)")
            #expect(error.description.contains("tampered"), "names the file: \(error)")
        }
    }

    /// Format 2 carries the v2 per-path columns (liquidations, first slash, first liquidation and
    /// exit steps), so a merge rebuilds the timeline exactly.
    @Test func mergedShardsCarryEveryPerPathColumn() throws {
        let temp = try TempFolder("columns")
        defer { temp.remove() }
        let set = try ShardSet(folders: try Self.goodShardsIn(temp.url))
        let single = Simulation.run(model: Self.small.model, seed: Self.seed, paths: Self.paths, blocks: nil, threads: 1)
        for s in Self.small.model.strategies.indices {
            let merged = try set.strategyPaths(s, sources: Self.small.model.attributionSources(of: s))
            #expect(merged == single.strategies[s], "strategy \(s)")
        }
        #expect(single.strategies[1].firstSlashStep.contains { $0 != StrategyPaths.never },
                "the loop strategy is slashed on some path, so the columns are not trivially equal")
    }

    /// Shards keep attribution for the tail of the run's lowest level (0.95 unless asked for
    /// lower): a merge asking for a lower level than the entries cover names the strategy, the
    /// threshold and the level, and a shard whose threshold differs from the others' is refused.
    /// 20,000 paths: past the 16 pilot blocks, so the loop's threshold is positive.
    @Test func attributionBelowTheShardsLevelAndMixedThresholdsAreRefused() throws {
        let temp = try ShardTempFolder("threshold")
        defer { temp.remove() }
        let paths = 20_000
        let folders = try temp.writeShards(Self.small, seed: Self.seed, paths: paths, count: 2)
        let set = try ShardSet(folders: folders)
        _ = try set.report()
        do {
            _ = try set.report(extraAlphas: [0.5])
            Issue.record("a merge at level 0.5 over entries kept for 0.95 was accepted")
        } catch let failure as ShardFile.Failure {
            #expect(failure.description.contains("strategy loop"), "\(failure)")
            #expect(failure.description.contains("level 0.5"), "\(failure)")
        }
        // Shard 1 simulated with another threshold.
        let blocks = Sharding.blocks(index: 1, count: 2, paths: paths)
        let odd = Simulation.run(model: Self.small.model, seed: Self.seed, paths: paths, blocks: blocks, threads: 1,
                                 attributionLevel: 0.95, forcedThreshold: 0.2, progress: nil)
        let bytes = ShardFile.encode(scenarioText: Self.small.text, model: Self.small.model,
                                     scenarioName: Self.small.scenario.name, seed: Self.seed, totalPaths: paths,
                                     shardIndex: 1, shardCount: 2, result: odd)
        let mixed = [folders[0], try temp.writeShard("odd-1", Data(bytes))]
        let message = try #require(Self.refusal(mixed))
        #expect(message.contains("attribution threshold") && message.contains("odd-1"), "\(message)")
    }

    /// A one-shard run of the small scenario, written once.
    static func oneShardFolder() throws -> String {
        let temp = try TempFolder("one-shard")
        let bytes = ShardFixtures.shardBytes(small, seed: seed, paths: paths, index: 0, count: 1)
        return try ShardTempFolder.write(temp.url, "only", bytes)
    }

    static func goodShardsIn(_ url: URL) throws -> [String] {
        try (0..<3).map { try ShardTempFolder.write(url, "shard-\($0)", shard(index: $0)) }
    }

    @Test func aFlippedByteInADataSectionIsAChecksumError() throws {
        let temp = try ShardTempFolder("flip")
        defer { temp.remove() }
        var folders = try Self.goodShards(in: temp)
        var bytes = Self.shard(index: 1)
        let position = Self.dataStart(bytes) + 100      // inside strategy 0's terminal wealth
        bytes[position] ^= 0x01
        folders[1] = try temp.writeShard("shard-1-flipped", bytes)
        let message = try #require(Self.refusal(folders))
        #expect(message.contains("checksum of section 0 does not match"), "\(message)")
        #expect(message.contains("shard-1-flipped"), "names the file: \(message)")
    }

    @Test func aFlippedByteInTheFanSectionIsAChecksumError() throws {
        let temp = try ShardTempFolder("flip-fan")
        defer { temp.remove() }
        var folders = try Self.goodShards(in: temp)
        var bytes = Self.shard(index: 2)
        bytes[bytes.count - 5] ^= 0x80                   // the last section is the fan
        folders[2] = try temp.writeShard("shard-2-flipped", bytes)
        let message = try #require(Self.refusal(folders))
        #expect(message.contains("corrupt (checksum of section"), "\(message)")
    }

    @Test func aTruncatedShardFileIsATruncatedError() throws {
        let temp = try ShardTempFolder("truncated")
        defer { temp.remove() }
        var folders = try Self.goodShards(in: temp)
        let bytes = Self.shard(index: 0)
        folders[0] = try temp.writeShard("shard-0-cut", bytes.prefix(bytes.count - 1_000))
        let message = try #require(Self.refusal(folders))
        #expect(message.contains("truncated"), "\(message)")
        #expect(message.contains("shard-0-cut"), "names the file: \(message)")
    }

    @Test func aShardFileCutInsideItsHeaderIsATruncatedHeaderError() throws {
        let temp = try ShardTempFolder("truncated-header")
        defer { temp.remove() }
        var folders = try Self.goodShards(in: temp)
        let bytes = Self.shard(index: 0)
        folders[0] = try temp.writeShard("shard-0-cut", bytes.prefix(Self.dataStart(bytes) - 10))
        let message = try #require(Self.refusal(folders))
        #expect(message.contains("truncated header"), "\(message)")
    }

    @Test func aFileWithBadMagicIsRefused() throws {
        let temp = try ShardTempFolder("magic")
        defer { temp.remove() }
        var folders = try Self.goodShards(in: temp)
        var bytes = Self.shard(index: 1)
        bytes[0] = UInt8(ascii: "X")
        folders[1] = try temp.writeShard("shard-1-magic", bytes)
        let message = try #require(Self.refusal(folders))
        #expect(message.contains("not a restake-risk shard file (bad magic)"), "\(message)")
    }

    @Test func aFolderWithoutShardFileIsRefused() throws {
        let temp = try ShardTempFolder("empty")
        defer { temp.remove() }
        var folders = try Self.goodShards(in: temp)
        let empty = temp.url.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        folders[1] = empty.path
        let message = try #require(Self.refusal(folders))
        #expect(message.contains("no readable shard.bin"), "\(message)")
    }
}
