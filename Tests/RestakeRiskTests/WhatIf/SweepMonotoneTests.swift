import Foundation
import Testing
@testable import RestakeRisk

/// Sweeps on common random numbers: raising one AVS's incident rate can only add incidents on
/// every path (the same uniform meets a higher threshold; severities and vetoes are keyed by
/// the AVS), so a shared-security position that never grows (no yield, nothing compounds)
/// loses `1 - prod(1 - s)` over a superset of events: per-path `L_s` is non-decreasing, and so
/// are its empirical VaR and ES, exactly.
@Suite struct WhatIfSweepMonotoneTests {
    static let yaml = """
        name: monotone-sweep
        horizon_years: 1
        steps_per_year: 52
        assets:
          - {name: ETH, price: 3000, volatility: 0.6}
        avs:
          - {name: bridge, incident_rate: 0.05, severity: {beta: [2, 8]}, veto_probability: 0.2}
          - {name: oracle, incident_rate: 0.10, severity: {fixed: 0.05}}
        correlation:
          systemic: {ETH: 0.5, bridge: 0.4, oracle: 0.4}
        strategies:
          - {name: shared, asset: ETH, base_apr: 0, restake: {security: shared, avs: [bridge, oracle]}}
          - {name: oracle-only, asset: ETH, base_apr: 0.03, restake: {security: shared, avs: [oracle]}}
        """

    @Test func slashingTailIsExactlyMonotoneAlongTheSweep() throws {
        let base = try Scenario(yaml: Self.yaml)
        let plan = try SweepPlan(axes: [SweepAxis(parsing: "avs[bridge].incident_rate=0.02:0.6:8")])
        let sweep = try Sweep(base: base, plan: plan)
        let paths = 4096
        var shared: [StrategyPaths] = [], other: [StrategyPaths] = [], stats: [StrategyStatistics] = []
        sweep.run(seed: 7, paths: paths, threads: 2) { point, result in
            shared.append(result.strategies[0]); other.append(result.strategies[1])
            stats.append(RunReport(scenarioName: "m", model: sweep.models[point], result: result, seed: 7).strategies[0])
        }
        #expect(shared.count == 8)
        for k in 1..<shared.count {
            let (a, b) = (shared[k - 1], shared[k])
            let worse = zip(a.slashingLoss, b.slashingLoss).filter { $0 > $1 }.count
            #expect(worse == 0, "point \(k): \(worse) paths lost less at a higher incident rate")
            #expect(zip(a.incidents, b.incidents).allSatisfy { $0 <= $1 }, "point \(k): incidents went down")
            for (r0, r1) in zip(stats[k - 1].slashing, stats[k].slashing) {
                #expect(r0.valueAtRisk <= r1.valueAtRisk, "VaR\(r0.alpha) fell at point \(k)")
                #expect(r0.expectedShortfall <= r1.expectedShortfall, "ES\(r0.alpha) fell at point \(k)")
            }
            // The strategy not exposed to the bridge sees bit-identical paths at every point.
            #expect(other[k] == other[0], "oracle-only changed at point \(k)")
        }
        let i99 = stats[0].slashing.firstIndex { $0.alpha == 0.99 }!
        // Not trivially flat: ES99 rises by many standard errors over the sweep.
        let rise = stats.last!.slashing[i99].expectedShortfall - stats[0].slashing[i99].expectedShortfall
        #expect(rise > 5 * (stats.last!.slashing[i99].expectedShortfallStandardError ?? .infinity), "ES99 rose only \(rise)")
    }

    /// The document route (`--vary` as overrides of one parsed tree, with `--set`) gives the same
    /// sweep.csv as the catalog route on the loaded scenario with the same edit.
    @Test func documentAndCatalogRoutesAgree() throws {
        let document = try ScenarioDocument(yaml: Self.yaml)
        let plan = try SweepPlan(axes: [SweepAxis(parsing: "avs[bridge].incident_rate=0.05,0.2"),
                                        SweepAxis(parsing: "avs[oracle].severity.fixed=0.05,0.1")], zipped: true)
        let set = [try ScenarioOverride(parsing: "strategies[shared].base_apr=0.01")]
        let viaDocument = try Sweep(document: document, plan: plan, overrides: set)
        var edited = try Scenario(yaml: Self.yaml)
        edited.strategies[0].baseApr = 0.01
        let viaCatalog = try Sweep(base: edited, plan: plan)
        #expect(viaDocument.scenarios == viaCatalog.scenarios)
        func csv(_ s: Sweep) -> String {
            var out = SweepCSV(plan: plan)
            s.run(seed: 3, paths: 1500, threads: 2) { point, result in
                out.append(point: point, values: plan.values(at: point),
                           report: RunReport(scenarioName: s.scenarios[point].name, model: s.models[point], result: result, seed: 3))
            }
            return out.text
        }
        let text = csv(viaDocument)
        #expect(text == csv(viaCatalog))
        let lines = text.split(separator: "\n")
        #expect(lines[0] == "point,avs[bridge].incident_rate,avs[oracle].severity.fixed,strategy,metric,alpha,value,ci_lo,ci_hi,se")
        #expect(lines.contains { $0.hasPrefix("1,0.2,0.1,shared,slashing_loss.es,0.99,") })
        let perPoint = lines.dropFirst().filter { $0.hasPrefix("0,") }.count
        #expect(perPoint * 2 == lines.count - 1)
    }

    @Test func badPointIsRefusedBeforeAnyRun() throws {
        let base = try Scenario(yaml: Self.yaml)
        let plan = try SweepPlan(axes: [SweepAxis(parsing: "avs[bridge].incident_rate=0.5,1.5")])
        #expect(throws: WhatIfError.self) { try Sweep(base: base, plan: plan) }
        do { _ = try Sweep(base: base, plan: plan) } catch {
            #expect(error.description.hasPrefix("--vary avs[bridge].incident_rate=1.5 (point 1): avs["), "\(error)")
        }
    }
}
