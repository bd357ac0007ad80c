/// One reported number of one strategy, named as in `summary.csv`: what sweeps and sensitivities
/// compare from run to run.
public struct SweepMetric: Sendable, Equatable {
    /// `summary.json`'s key path without its level: `loss.es`, `slashing_loss.prob_any`, ...
    public var metric: String
    /// The quantile or VaR/ES level; nil where the number has none.
    public var alpha: Double?
    public var value: Double?
    /// A VaR's 95% order-statistic interval.
    public var ciLow: Double?
    public var ciHigh: Double?
    /// A standard error: an ES's, or a mean's or probability's over the paths.
    public var se: Double?

    public init(metric: String, alpha: Double? = nil, value: Double?, ciLow: Double? = nil,
                ciHigh: Double? = nil, se: Double? = nil) {
        self.metric = metric; self.alpha = alpha; self.value = value
        self.ciLow = ciLow; self.ciHigh = ciHigh; self.se = se
    }

    /// Whether the number is a mean over paths of a per-path value (then its derivative's error
    /// comes from paired per-path differences), as opposed to an order statistic or a tail mean.
    public var isPathMean: Bool {
        Self.pathMeans.contains(metric)
    }

    static let pathMeans: Set<String> = [
        "terminal_wealth.mean", "annualized_return.mean", "slashing_loss.mean", "slashing_loss.prob_any",
        "incidents_mean", "liquidation_prob",
    ]
}

extension StrategyStatistics {
    /// Every number `summary.csv` reports for this strategy, in its order; attribution at
    /// `attributionLevel` (when it is one of the computed levels).
    ///
    /// - Parameter pathCount: the N the statistics were computed from, for the standard errors
    ///   of the mean and of the probabilities.
    public func sweepMetrics(pathCount: Int, attributionLevel: Double = 0.99) -> [SweepMetric] {
        precondition(pathCount > 0, "metrics of no paths")
        let n = Double(pathCount)
        func proportionSE(_ p: Double) -> Double { (p * (1 - p) / n).squareRoot() }
        var out: [SweepMetric] = [
            SweepMetric(metric: "terminal_wealth.mean", value: terminalMean, se: terminalSD / n.squareRoot()),
            SweepMetric(metric: "terminal_wealth.sd", value: terminalSD),
        ]
        for (q, x) in zip(Self.terminalLevels, terminalQuantiles) {
            out.append(SweepMetric(metric: "terminal_wealth.quantile", alpha: q, value: x))
        }
        out.append(SweepMetric(metric: "annualized_return.mean", value: annualizedMean))
        out.append(SweepMetric(metric: "annualized_return.median", value: annualizedMedian))
        for (prefix, risks) in [("loss", loss), ("slashing_loss", slashing)] {
            if prefix == "slashing_loss" {
                out.append(SweepMetric(metric: "slashing_loss.mean", value: slashingMean))
                out.append(SweepMetric(metric: "slashing_loss.prob_any", value: slashingProbability,
                                       se: proportionSE(slashingProbability)))
            }
            for r in risks {
                out.append(SweepMetric(metric: "\(prefix).var", alpha: r.alpha, value: r.valueAtRisk,
                                       ciLow: r.valueAtRiskInterval.lower, ciHigh: r.valueAtRiskInterval.upper))
            }
            for r in risks {
                out.append(SweepMetric(metric: "\(prefix).es", alpha: r.alpha, value: r.expectedShortfall,
                                       se: r.expectedShortfallStandardError))
            }
        }
        out.append(SweepMetric(metric: "incidents_mean", value: incidentsMean))
        out.append(SweepMetric(metric: "liquidation_prob", value: liquidationProbability,
                               se: proportionSE(liquidationProbability)))
        if let a = loss.firstIndex(where: { $0.alpha == attributionLevel }), a < attribution.count {
            for e in attribution[a] {
                out.append(SweepMetric(metric: "attribution.\(e.source).expected_loss", value: e.expectedLoss))
                out.append(SweepMetric(metric: "attribution.\(e.source).es_contribution", alpha: attributionLevel,
                                       value: e.esContribution))
            }
        }
        return out
    }
}
