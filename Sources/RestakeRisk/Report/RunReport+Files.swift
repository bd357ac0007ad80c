import Foundation

extension RunReport {
    /// `summary.json` as MODEL.md lays it out, keys sorted.
    public func summaryJSON() -> String {
        func byLevel(_ values: [Double?]) -> JSONValue {
            .object(Dictionary(uniqueKeysWithValues: zip(alphas, values).map { (NumberText.level($0), .number($1)) }))
        }
        func tail(_ risks: [TailRisk]) -> [String: JSONValue] {
            ["var": byLevel(risks.map(\.valueAtRisk)),
             "es": byLevel(risks.map(\.expectedShortfall)),
             "var_ci": .object(Dictionary(uniqueKeysWithValues: risks.map {
                 (NumberText.level($0.alpha), JSONValue.array([.number($0.valueAtRiskInterval.lower),
                                                               .number($0.valueAtRiskInterval.upper)]))
             })),
             "es_se": byLevel(risks.map(\.expectedShortfallStandardError))]
        }
        let attributionIndex = alphas.firstIndex(of: Self.summaryAttributionLevel)!
        var strategyMembers: [String: JSONValue] = [:]
        for s in strategies {
            var slashing = tail(s.slashing)
            slashing["mean"] = .number(s.slashingMean)
            slashing["prob_any"] = .number(s.slashingProbability)
            strategyMembers[s.name] = .object([
                "terminal_wealth": .object([
                    "mean": .number(s.terminalMean),
                    "sd": .number(s.terminalSD),
                    "quantiles": .object(Dictionary(uniqueKeysWithValues: zip(
                        StrategyStatistics.terminalLevels, s.terminalQuantiles).map {
                            (NumberText.level($0), JSONValue.number($1)) })),
                ]),
                "annualized_return": .object(["mean": .number(s.annualizedMean),
                                              "median": .number(s.annualizedMedian)]),
                "loss": .object(tail(s.loss)),
                "slashing_loss": .object(slashing),
                "incidents_mean": .number(s.incidentsMean),
                "liquidation_prob": .number(s.liquidationProbability),
                "attribution": .object(Dictionary(uniqueKeysWithValues: s.attribution[attributionIndex].map {
                    ($0.source, JSONValue.object(["expected_loss": .number($0.expectedLoss),
                                                  "es_contribution": .number($0.esContribution)]))
                })),
            ])
        }
        return JSONValue.object([
            "scenario": .string(scenarioName),
            "paths": .integer(Int64(paths)),
            "seed": .unsigned(seed),
            "horizon_years": .number(horizonYears),
            "steps": .integer(Int64(steps)),
            "numeraire": .string(numeraire),
            "threads": .integer(Int64(threads)),
            "elapsed_seconds": .number(elapsedSeconds),
            "path_steps_per_second": .number(pathStepsPerSecond),
            "strategies": .object(strategyMembers),
            "strategy_order": .array(strategyOrder.map { .string($0) }),
        ].merging(provenance.map { p in
            ["provenance": .object(["version": .string(p.version), "scenario_sha256": .string(p.scenarioSHA256),
                                    "command": .string(p.command),
                                    "overrides": .array(p.overrides.map { .string($0) })])]
        } ?? [:]) { a, _ in a }).rendered()
    }

    /// `fan.csv`: `strategy,t_years,mean,p01,p05,p25,p50,p75,p95,p99`.
    public func fanCSV() -> String {
        var out = "strategy,t_years,mean,p01,p05,p25,p50,p75,p95,p99\n"
        for row in fan {
            out += ([CSV.field(row.strategy), NumberText.csv(row.years), NumberText.csv(row.mean)]
                    + row.quantiles.map { NumberText.csv($0) }).joined(separator: ",") + "\n"
        }
        return out
    }

    /// `timeline.csv`: `strategy,t_years,p_slashed,p_liquidated,p_exited`, the same rows as
    /// `fan.csv` (every strategy at every reporting time, t = 0 included).
    public func timelineCSV() -> String {
        var out = "strategy,t_years,p_slashed,p_liquidated,p_exited\n"
        for s in strategies {
            for p in s.timeline {
                out += [CSV.field(s.name), NumberText.csv(p.tYears), NumberText.csv(p.pSlashed),
                        NumberText.csv(p.pLiquidated), NumberText.csv(p.pExited)].joined(separator: ",") + "\n"
            }
        }
        return out
    }

    /// `distribution.csv`: `strategy,metric,bin_lo,bin_hi,count,density`.
    public func distributionCSV() -> String {
        var out = "strategy,metric,bin_lo,bin_hi,count,density\n"
        for d in distributions {
            for i in d.counts.indices {
                out += [CSV.field(d.strategy), d.metric, NumberText.csv(d.lower[i]),
                        NumberText.csv(d.upper[i]), String(d.counts[i]),
                        NumberText.csv(d.densities[i])].joined(separator: ",") + "\n"
            }
        }
        return out
    }

    /// `attribution.csv` (v2): `strategy,source,kind,expected_loss,es_contribution,alpha`, every
    /// reported level; kind is `avs`, `operator` or `base`.
    public func attributionCSV() -> String {
        var out = "strategy,source,kind,expected_loss,es_contribution,alpha\n"
        for s in strategies {
            for (a, alpha) in alphas.enumerated() {
                for e in s.attribution[a] {
                    let kind = e.kind ?? (e.source == "base" ? "base" : "avs")
                    out += [CSV.field(s.name), CSV.field(e.source), kind, NumberText.csv(e.expectedLoss),
                            NumberText.csv(e.esContribution), NumberText.level(alpha)].joined(separator: ",") + "\n"
                }
            }
        }
        return out
    }

    /// `samples.csv` (v2): `strategy,path,terminal_wealth,slashing_loss,incidents,liquidations,
    /// first_liquidation_years,exit_years`, the times empty where the event did not happen.
    public func samplesCSV() -> String {
        var out = "strategy,path,terminal_wealth,slashing_loss,incidents,liquidations,first_liquidation_years,exit_years\n"
        for r in samples {
            out += [CSV.field(r.strategy), String(r.path), NumberText.csv(r.terminalWealth),
                    NumberText.csv(r.slashingLoss), String(r.incidents), String(r.liquidations),
                    NumberText.csv(r.firstLiquidationYears), NumberText.csv(r.exitYears)].joined(separator: ",") + "\n"
        }
        return out
    }

    /// Every output file of MODEL.md; `samples.csv` only when samples were asked for, `trace.csv`
    /// only when paths were traced.
    public func files(includeSamples: Bool) -> [(name: String, contents: Data)] {
        var files: [(name: String, contents: Data)] = [
            ("summary.json", Data(summaryJSON().utf8)),
            ("summary.csv", Data(summaryCSV().utf8)),
            ("fan.csv", Data(fanCSV().utf8)),
            ("timeline.csv", Data(timelineCSV().utf8)),
            ("distribution.csv", Data(distributionCSV().utf8)),
            ("attribution.csv", Data(attributionCSV().utf8)),
        ]
        if includeSamples { files.append(("samples.csv", Data(samplesCSV().utf8))) }
        if !traces.isEmpty { files.append(("trace.csv", Data(traceCSV().utf8))) }
        return files
    }
}

/// CSV quoting for free-text fields (names); numbers never need it.
enum CSV {
    static func field(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
