extension RunReport {
    /// `summary.csv`: `strategy,metric,alpha,value,ci_lo,ci_hi,se`, one row per number of a strategy
    /// in `summary.json`, in the scenario's strategy order.
    ///
    /// `metric` is the number's key path in `summary.json` without its level; the level (a
    /// quantile or an alpha) is in `alpha`, empty where there is none; a VaR's 95% interval is in
    /// `ci_lo`/`ci_hi` and an ES's standard error in `se`. Missing values are empty fields.
    public func summaryCSV() -> String {
        var out = "strategy,metric,alpha,value,ci_lo,ci_hi,se\n"
        func row(_ strategy: String, _ metric: String, _ alpha: Double?, _ value: Double?,
                 lo: Double? = nil, hi: Double? = nil, se: Double? = nil) {
            out += [CSV.field(strategy), CSV.field(metric), alpha.map(NumberText.level) ?? "",
                    NumberText.csv(value), NumberText.csv(lo), NumberText.csv(hi), NumberText.csv(se)]
                .joined(separator: ",") + "\n"
        }
        let attributionIndex = alphas.firstIndex(of: Self.summaryAttributionLevel)!
        for s in strategies {
            row(s.name, "terminal_wealth.mean", nil, s.terminalMean)
            row(s.name, "terminal_wealth.sd", nil, s.terminalSD)
            for (q, x) in zip(StrategyStatistics.terminalLevels, s.terminalQuantiles) {
                row(s.name, "terminal_wealth.quantile", q, x)
            }
            row(s.name, "annualized_return.mean", nil, s.annualizedMean)
            row(s.name, "annualized_return.median", nil, s.annualizedMedian)
            for (prefix, risks) in [("loss", s.loss), ("slashing_loss", s.slashing)] {
                if prefix == "slashing_loss" {
                    row(s.name, "slashing_loss.mean", nil, s.slashingMean)
                    row(s.name, "slashing_loss.prob_any", nil, s.slashingProbability)
                }
                for r in risks {
                    row(s.name, "\(prefix).var", r.alpha, r.valueAtRisk,
                        lo: r.valueAtRiskInterval.lower, hi: r.valueAtRiskInterval.upper)
                }
                for r in risks {
                    row(s.name, "\(prefix).es", r.alpha, r.expectedShortfall, se: r.expectedShortfallStandardError)
                }
            }
            row(s.name, "incidents_mean", nil, s.incidentsMean)
            row(s.name, "liquidation_prob", nil, s.liquidationProbability)
            for e in s.attribution[attributionIndex] {
                row(s.name, "attribution.\(e.source).expected_loss", nil, e.expectedLoss)
                row(s.name, "attribution.\(e.source).es_contribution", Self.summaryAttributionLevel, e.esContribution)
            }
        }
        return out
    }
}
