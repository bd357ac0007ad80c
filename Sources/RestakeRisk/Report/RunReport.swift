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
    /// Paths traced step by step for `trace.csv` (`Simulation.trace`); empty unless asked for.
    public var traces: [PathTrace] = []
    /// Where the numbers come from (`summary.json`'s `provenance`); nil leaves it out.
    public var provenance: Provenance?
    /// The strategies in the scenario's order (`summary.json`'s `strategy_order`).
    public var strategyOrder: [String] { strategies.map(\.name) }

    /// The tool version, the scenario's SHA-256 (of the file, before overrides), the command line
    /// that made a report and the overrides it applied.
    public struct Provenance: Sendable, Equatable {
        public var version: String
        public var scenarioSHA256: String
        public var command: String
        /// The `--set PATH=VALUE` overrides applied to the scenario, in order (`provenance.overrides`).
        public var overrides: [String]
        public init(version: String, scenarioSHA256: String, command: String, overrides: [String] = []) {
            self.version = version; self.scenarioSHA256 = scenarioSHA256; self.command = command
            self.overrides = overrides
        }
    }

    /// `summary.json`'s attribution level.
    public static let summaryAttributionLevel = 0.99
    /// Levels always reported.
    public static let defaultAlphas = RunStatistics.defaultAlphas

    /// One path of one strategy in `samples.csv`.
    public typealias SampleRow = PathSample

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

    /// Computes every statistic (`RunStatistics`), loading one strategy's per-path results at a time.
    public init(scenarioName: String, model: CompiledModel, pathCount: Int, seed: UInt64,
                threads: Int, elapsedSeconds: Double, fan accumulator: FanAccumulator,
                extraAlphas: [Double] = [], samples: Int = 0,
                strategyPaths: (Int) throws -> StrategyPaths) rethrows {
        let statistics = try RunStatistics(model: model, pathCount: pathCount, fan: accumulator,
                                           extraAlphas: extraAlphas, samples: samples,
                                           strategyPaths: strategyPaths)
        self.init(scenarioName: scenarioName, model: model, seed: seed, threads: threads,
                  elapsedSeconds: elapsedSeconds, statistics: statistics)
    }

    /// A report of statistics already computed.
    public init(scenarioName: String, model: CompiledModel, seed: UInt64, threads: Int,
                elapsedSeconds: Double, statistics: RunStatistics) {
        self.scenarioName = scenarioName
        paths = statistics.pathCount
        self.seed = seed
        horizonYears = model.horizonYears
        steps = model.steps
        numeraire = model.numeraireIsUSD ? "usd" : "asset"
        self.threads = threads
        self.elapsedSeconds = elapsedSeconds
        alphas = statistics.alphas
        strategies = statistics.strategies
        fan = statistics.fan
        distributions = statistics.distributions
        samples = statistics.samples
    }
}
