/// Every statistic of a run (or of merged shards): per strategy, its exact statistics, fan,
/// distributions and sample paths, each computed once from columns sorted once.
public struct RunStatistics: Sendable {
    public var pathCount: Int
    /// The reported levels, ascending.
    public var alphas: [Double]
    /// Per strategy, in the model's order.
    public var strategies: [StrategyStatistics]
    /// Per strategy, then reporting time.
    public var fan: [FanRow]
    /// Per strategy: terminal wealth, loss, slashing loss.
    public var distributions: [DistributionBins]
    /// The first `samples` paths of every strategy, strategy after strategy.
    public var samples: [PathSample]

    /// Levels always reported.
    public static let defaultAlphas = [0.95, 0.99, 0.999]

    /// The reported levels: the defaults and any others asked for, ascending and distinct.
    public static func levels(extra: [Double]) -> [Double] {
        precondition(extra.allSatisfy { $0 > 0 && $0 < 1 }, "alpha outside (0, 1)")
        return Array(Set(defaultAlphas + extra)).sorted()
    }

    /// Computes every statistic, loading one strategy's per-path results at a time.
    ///
    /// Merging shards of 10^8 paths loads each strategy's columns in turn, so memory follows one
    /// strategy's paths, not all of them.
    ///
    /// - Parameters:
    ///   - extraAlphas: levels asked for besides 0.95, 0.99 and 0.999.
    ///   - samples: how many of the first paths of each strategy to keep for `samples.csv`.
    ///   - strategyPaths: strategy s's columns over every path of the run (path 0 first).
    public init(model: CompiledModel, pathCount: Int, fan accumulator: FanAccumulator,
                extraAlphas: [Double] = [], samples: Int = 0,
                strategyPaths: (Int) throws -> StrategyPaths) rethrows {
        precondition(pathCount > 0, "statistics of no paths")
        precondition(accumulator.pilot == nil && accumulator.layout
                        == FanLayout(strategyCount: model.strategies.count, timeCount: model.reportingSteps.count),
                     "the fan does not belong to this model")
        self.pathCount = pathCount
        let levels = Self.levels(extra: extraAlphas)
        alphas = levels
        strategies = []; fan = []; distributions = []; self.samples = []
        let k = min(max(samples, 0), pathCount)
        for (s, strategy) in model.strategies.enumerated() {
            let paths = try strategyPaths(s)
            precondition(paths.count == pathCount, "strategy \(strategy.name) has the wrong path count")
            let sorted = SortedColumns(paths)
            var statistics = StrategyStatistics(
                name: strategy.name, paths: paths, sorted: sorted, firstPath: 0,
                horizonYears: model.horizonYears, alphas: levels,
                reportingSteps: model.reportingSteps, stepsPerYear: model.stepsPerYear)
            let kinds = model.attributionSourceKinds(of: s)
            for a in statistics.attribution.indices {
                for i in statistics.attribution[a].indices where i < kinds.count {
                    statistics.attribution[a][i].kind = kinds[i].rawValue
                }
            }
            strategies.append(statistics)
            fan += FanRow.rows(model: model, strategy: s, fan: accumulator, terminal: statistics,
                               pathCount: pathCount)
            distributions += [
                DistributionBins(strategy: strategy.name, metric: "terminal_wealth", sorted: sorted.terminalWealth),
                DistributionBins(strategy: strategy.name, metric: "loss", sorted: sorted.loss),
                DistributionBins(strategy: strategy.name, metric: "slashing_loss", sorted: sorted.slashingLoss),
            ]
            self.samples += (0..<k).map {
                PathSample(strategy: strategy.name, paths: paths, index: $0, stepsPerYear: model.stepsPerYear)
            }
        }
    }
}
