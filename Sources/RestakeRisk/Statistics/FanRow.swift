/// One point of a strategy's compounding curve: mean and quantiles of `W_t` at one reporting time.
public struct FanRow: Sendable, Equatable {
    public var strategy: String
    public var years: Double
    public var mean: Double
    /// Quantiles at `FanRow.levels`.
    public var quantiles: [Double]

    /// The fan's quantile levels, as `fan.csv` names them p01 ... p99.
    public static let levels = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]

    /// The fan of one strategy at every reporting time.
    ///
    /// t = 0 is exact (every path starts at `W0 = 1`); t = T uses the exact terminal values, so
    /// the fan ends on the terminal quantiles of `summary.json`; times in between come from the
    /// mergeable histograms (see `FanHistogram` for their error).
    ///
    /// The last row is read off the strategy's exact statistics (every fan level is one of
    /// `StrategyStatistics.terminalLevels`), so it equals `summary.json` by construction.
    public static func rows(model: CompiledModel, strategy s: Int, fan: FanAccumulator,
                            terminal: StrategyStatistics, pathCount: Int) -> [FanRow] {
        var rows: [FanRow] = []
        let times = model.reportingSteps
        let strategy = model.strategies[s]
        let terminalQuantiles = levels.map { level in
            terminal.terminalQuantiles[StrategyStatistics.terminalLevels.firstIndex(of: level)!]
        }
        for (ti, step) in times.enumerated() {
            let years = Double(step) / Double(model.stepsPerYear)
            let row: FanRow
            if ti == 0 {
                row = FanRow(strategy: strategy.name, years: 0, mean: 1,
                             quantiles: levels.map { _ in 1 })
            } else if ti == times.count - 1 {
                row = FanRow(strategy: strategy.name, years: years,
                             mean: terminal.terminalMean, quantiles: terminalQuantiles)
            } else {
                let histogram = fan.histogram(strategy: s, time: ti)
                row = FanRow(strategy: strategy.name, years: years,
                             mean: fan.mean(strategy: s, time: ti, pathCount: pathCount),
                             quantiles: levels.map { histogram.quantile($0) })
            }
            rows.append(row)
        }
        return rows
    }
}
