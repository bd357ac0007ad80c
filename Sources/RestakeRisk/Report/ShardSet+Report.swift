/// How a run's blocks are split into shards.
public enum Sharding {
    /// The blocks of shard `index` of `count`: whole blocks, contiguous, as even as possible, so
    /// the shards together are exactly the single run's blocks.
    public static func blocks(index: Int, count: Int, paths: Int) -> Range<Int> {
        precondition(count > 0 && index >= 0 && index < count, "shard \(index) of \(count)")
        let total = Simulation.blockCount(paths: paths)
        return (index * total / count)..<((index + 1) * total / count)
    }
}

extension ShardSet {
    /// The report of the whole run, identical to a single run's but for timing and thread fields.
    ///
    /// Loads one strategy of every shard at a time. The scenario comes from the shards themselves.
    /// Elapsed time is the sum of the shards' times (the compute spent); threads the largest
    /// shard's thread count.
    /// - Parameter limits: the loader's limits for the embedded scenario text.
    public func report(extraAlphas: [Double] = [], samples: Int = 0, limits: LoadLimits = .default) throws -> RunReport {
        let scenario: Scenario
        let model: CompiledModel
        do {
            let document = try ScenarioDocument(yaml: header.scenarioText, limits: limits)
            var overrides: [ScenarioOverride] = []
            for o in header.overrides ?? [] { overrides.append(try ScenarioOverride(parsing: o)) }
            scenario = try document.scenario(overrides: overrides)
            model = try CompiledModel.compile(scenario).model
        } catch {
            throw ShardFile.Failure(description: "\(shards[0].url.path): its embedded scenario: \(error)")
        }
        return try report(scenarioName: scenario.name, model: model, extraAlphas: extraAlphas, samples: samples)
    }

    /// The report of the whole run for a model the caller rebuilt (a sweep point's).
    public func report(scenarioName: String, model: CompiledModel, extraAlphas: [Double] = [],
                       samples: Int = 0) throws -> RunReport {
        guard model.strategies.map(\.name) == header.strategies else {
            throw ShardFile.Failure(description: "\(shards[0].url.path): corrupt header (its strategies differ from its scenario's)")
        }
        let fan = try fan(strategyCount: model.strategies.count, timeCount: model.reportingSteps.count)
        return try RunReport(
            scenarioName: scenarioName, model: model, pathCount: header.totalPaths, seed: header.seed,
            threads: shards.map(\.header.threads).max() ?? 1,
            elapsedSeconds: shards.map(\.header.elapsedSeconds).reduce(0, +), fan: fan,
            extraAlphas: extraAlphas, samples: samples
        ) { s in
            let paths = try strategyPaths(s, sources: model.attributionSources(of: s))
            let lowest = RunStatistics.levels(extra: extraAlphas)[0]
            let covered = paths.slashingLoss.withUnsafeBufferPointer {
                paths.attribution.covers(level: lowest, slashingLoss: $0)
            }
            guard covered else {
                throw ShardFile.Failure(description: "strategy \(model.strategies[s].name): the shards kept attribution for slashing losses of at least \(paths.attribution.threshold), which misses part of the tail at level \(lowest); simulate the shards with \(lowest) among their reported levels")
            }
            return paths
        }
    }
}
