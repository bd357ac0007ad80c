extension ShardFile.Header {
    /// The header of shard `shardIndex` of `shardCount` of a run, from the run's own values.
    ///
    /// The one place a shard header is assembled: `simulate` and the tests both call it, so the
    /// block range, the scenario hash and the strategy order cannot drift apart.
    public init(scenarioText: String, model: CompiledModel, scenarioName: String, seed: UInt64,
                totalPaths: Int, shardIndex: Int, shardCount: Int, overrides: [String] = [],
                result: SimulationResult) {
        self.init(scenarioText: scenarioText, model: model, scenarioName: scenarioName, seed: seed,
                  totalPaths: totalPaths, shardIndex: shardIndex, shardCount: shardCount,
                  blocks: Sharding.blocks(index: shardIndex, count: shardCount, paths: totalPaths),
                  overrides: overrides, sweep: nil, result: result)
    }

    /// The header of a piece of a run made of the blocks `blocks`: shard `shardIndex` of the
    /// `shardCount` pieces of one run, or of one sweep point when `sweep` is given.
    public init(scenarioText: String, model: CompiledModel, scenarioName: String, seed: UInt64,
                totalPaths: Int, shardIndex: Int, shardCount: Int, blocks: Range<Int>,
                overrides: [String], sweep: ShardFile.SweepRecord?, result: SimulationResult) {
        precondition(result.firstPath == blocks.lowerBound * Simulation.blockSize,
                     "the result is not the blocks \(blocks)")
        self.init(formatVersion: ShardFile.formatVersion, scenarioName: scenarioName,
                  scenarioHash: ShardFile.scenarioHash(scenarioText), scenarioText: scenarioText,
                  seed: seed, totalPaths: totalPaths, shardIndex: shardIndex, shardCount: shardCount,
                  firstBlock: blocks.lowerBound, endBlock: blocks.upperBound,
                  firstPath: result.firstPath, pathCount: result.pathCount,
                  strategies: model.strategies.map(\.name), threads: result.threads,
                  elapsedSeconds: result.elapsedSeconds,
                  overrides: overrides.isEmpty ? nil : overrides, sweep: sweep)
    }
}

extension ShardFile {
    /// The hash that identifies a run's scenario: SHA-256 of its text's UTF-8 bytes (the same as
    /// `summary.json`'s `provenance.scenario_sha256`).
    public static func scenarioHash(_ text: String) -> String { SHA256.hex(Array(text.utf8)) }

    /// Encodes shard `shardIndex` of `shardCount` of a run into `shard.bin`'s bytes.
    public static func encode(scenarioText: String, model: CompiledModel, scenarioName: String,
                              seed: UInt64, totalPaths: Int, shardIndex: Int, shardCount: Int,
                              overrides: [String] = [], result: SimulationResult) -> [UInt8] {
        let header = Header(scenarioText: scenarioText, model: model, scenarioName: scenarioName,
                            seed: seed, totalPaths: totalPaths, shardIndex: shardIndex,
                            shardCount: shardCount, overrides: overrides, result: result)
        return [UInt8](encode(header: header, result: result))
    }
}
