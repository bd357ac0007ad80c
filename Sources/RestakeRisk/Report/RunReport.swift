/// The results of one run (or of merged shards), ready to print and write.
public struct RunReport: Sendable {
    public var scenarioName: String
    public var paths: Int
    public var seed: UInt64
    public var horizonYears: Double
    public var steps: Int
    public var numeraire: String
    public var threads: Int
    public var elapsedSeconds: Double
    /// The reported levels, ascending.
    public var alphas: [Double]
    public var strategies: [StrategyStatistics]
    public var fan: [FanRow]
    public var distributions: [DistributionBins]
    /// The first `samples` paths per strategy for `samples.csv`; empty unless asked for.
    public var samples: [SampleRow]
    /// Where the numbers come from (`summary.json`'s `provenance`); nil leaves it out.
    public var provenance: Provenance?
    /// The strategies in the scenario's order (`summary.json`'s `strategy_order`).
    public var strategyOrder: [String] { strategies.map(\.name) }

    /// The tool version, the scenario's SHA-256 and the command line that made a report.
    public struct Provenance: Sendable, Equatable {
        public var version: String
        public var scenarioSHA256: String
        public var command: String
        public init(version: String, scenarioSHA256: String, command: String) {
            self.version = version; self.scenarioSHA256 = scenarioSHA256; self.command = command
        }
    }

    /// `summary.json`'s attribution level.
    public static let summaryAttributionLevel = 0.99
    /// Levels always reported.
    public static let defaultAlphas = [0.95, 0.99, 0.999]

    /// One path of one strategy in `samples.csv`.
    public struct SampleRow: Sendable, Equatable {
        public var strategy: String
        public var path: Int
        public var terminalWealth: Double
        public var slashingLoss: Double
        public var incidents: UInt32
    }

    public var pathStepsPerSecond: Double? {
        elapsedSeconds > 0 ? Double(paths) * Double(steps) / elapsedSeconds : nil
    }

    /// Computes every statistic from a complete run's per-path results.
    ///
    /// - Parameter extraAlphas: levels asked for besides 0.95, 0.99 and 0.999.
    public init(scenarioName: String, model: CompiledModel, result: SimulationResult, seed: UInt64,
                extraAlphas: [Double] = [], samples: Int = 0) {
        precondition(result.firstPath == 0, "a report needs every path of the run")
        self.init(scenarioName: scenarioName, model: model, pathCount: result.pathCount, seed: seed,
                  threads: result.threads, elapsedSeconds: result.elapsedSeconds, fan: result.fan,
                  extraAlphas: extraAlphas, samples: samples) { result.strategies[$0] }
    }

    /// Computes every statistic, loading one strategy's per-path results at a time.
    ///
    /// Merging shards of 10^8 paths loads each strategy's columns in turn, so memory follows one
    /// strategy's paths, not all of them.
    public init(scenarioName: String, model: CompiledModel, pathCount: Int, seed: UInt64,
                threads: Int, elapsedSeconds: Double, fan accumulator: FanAccumulator,
                extraAlphas: [Double] = [], samples: Int = 0,
                strategyPaths: (Int) throws -> StrategyPaths) rethrows {
        precondition(extraAlphas.allSatisfy { $0 > 0 && $0 < 1 }, "alpha outside (0, 1)")
        self.scenarioName = scenarioName
        paths = pathCount
        self.seed = seed
        horizonYears = model.horizonYears
        steps = model.steps
        numeraire = model.numeraireIsUSD ? "usd" : "asset"
        self.threads = threads
        self.elapsedSeconds = elapsedSeconds
        let levels = Array(Set(Self.defaultAlphas + extraAlphas)).sorted()
        alphas = levels
        strategies = []; fan = []; distributions = []; self.samples = []
        let k = min(max(samples, 0), pathCount)
        for (s, strategy) in model.strategies.enumerated() {
            let paths = try strategyPaths(s)
            precondition(paths.terminalWealth.count == pathCount, "strategy \(strategy.name) has the wrong path count")
            let statistics = StrategyStatistics(name: strategy.name, paths: paths, firstPath: 0,
                                                horizonYears: model.horizonYears, alphas: levels)
            strategies.append(statistics)
            fan += FanRow.rows(model: model, strategy: s, fan: accumulator, terminal: statistics,
                               pathCount: pathCount)
            let sortedWealth = paths.terminalWealth.sorted()
            distributions += [
                DistributionBins(strategy: strategy.name, metric: "terminal_wealth", sorted: sortedWealth),
                DistributionBins(strategy: strategy.name, metric: "loss", sorted: sortedWealth.reversed().map { 1 - $0 }),
                DistributionBins(strategy: strategy.name, metric: "slashing_loss", sorted: paths.slashingLoss.sorted()),
            ]
            self.samples += (0..<k).map { p in
                SampleRow(strategy: strategy.name, path: p, terminalWealth: paths.terminalWealth[p],
                          slashingLoss: paths.slashingLoss[p], incidents: paths.incidents[p])
            }
        }
    }
}
