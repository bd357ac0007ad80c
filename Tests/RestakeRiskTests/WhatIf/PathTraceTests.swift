import Foundation
import Testing
@testable import RestakeRisk

/// `Simulation.trace`: one path step by step, by hand for a replay and against the run's own
/// per-path columns under full randomness.
@Suite struct PathTraceTests {
    typealias S = ModelTestSupport

    /// The depeg replay of `WhatIfStressReplayTests.depegAndLiquidation`, step by step: D is 0
    /// until day 5, 0.3 on day 5, then halves every 10 days; the DEX-priced 3x loop's health is
    /// `3 * 0.93 / 2` until day 5 and `(3 - 1.01/0.7) (1 - D) 0.93 / 1` after its one
    /// liquidation (the market oracle sees the discount recover); holding is worth `1 - D`.
    @Test func replayTraceMatchesTheHandComputedPath() throws {
        let loop = "ratio: 3, ltv: 0.9, liquidation_threshold: 0.93, bonus: 0.01, borrow_apr: 0, close_factor: 0.5"
        let run = try S.run("""
            name: replay-depeg
            horizon_years: \(30.0 / 365)
            steps_per_year: 365
            assets:
              - {name: ETH, price: 3000, volatility: 0}
            tokens:
              - {name: LRT, underlying: ETH, depeg: {rate: 0, severity: {fixed: 0}, half_life_days: 10, max: 0.8}}
            stress:
              - {at_days: 5, depeg: {LRT: 0.3}}
            strategies:
              - {name: hold, asset: ETH, token: LRT, base_apr: 0}
              - {name: loop-market, asset: ETH, token: LRT, base_apr: 0, leverage: {\(loop), oracle: market}}
              - {name: native, asset: ETH, base_apr: 0}
            """, seed: 5, paths: 10)
        let trace = Simulation.trace(model: run.model, seed: 5, path: 3)
        #expect(trace.path == 3)
        #expect(trace.assetNames == ["ETH", "ETH", "ETH"])
        #expect(trace.tokenNames == ["LRT", "LRT", nil])
        let hold = trace.strategies[0], market = trace.strategies[1], native = trace.strategies[2]
        #expect(hold.map(\.step) == Array(0...30))
        func close(_ a: Double?, _ b: Double, _ what: String) {
            #expect(a != nil && abs(a! - b) <= 1e-12, "\(what): \(String(describing: a)), by hand \(b)")
        }
        for t in 0...30 {
            let d = t < 5 ? 0 : 0.3 * pow(2, -Double(t - 5) / 10)
            close(hold[t].discount, d, "D at step \(t)")
            close(hold[t].equity, 1 - d, "holding W at step \(t)")
            close(hold[t].tYears, Double(t) / 365, "t at step \(t)")
            #expect(hold[t].assetPrice == 1 && hold[t].healthFactor == nil && hold[t].debt == 0)
            #expect(native[t].discount == 0 && native[t].equity == 1)
            close(market[t].healthFactor, t < 5 ? 3 * 0.93 / 2 : (3 - 1.01 / 0.7) * (1 - d) * 0.93 / 1,
                  "loop health at step \(t)")
            close(market[t].debt, t < 5 ? 2 : 1, "loop debt at step \(t)")
            close(market[t].equity, t < 5 ? 1 : (3 - 1.01 / 0.7) * (1 - d) - 1, "loop W at step \(t)")
            #expect(market[t].liquidations == (t < 5 ? 0 : 1))
            #expect(market[t].phase == .active && market[t].slashingLoss == 0)
        }
    }

    /// Under every kind of randomness (t copula, incidents, operator faults, exits, leverage,
    /// USD numeraire), a traced path ends exactly where the run left that path: terminal wealth,
    /// slashing loss and liquidations bit for bit, and its phase agrees with the exit time.
    @Test(arguments: ["asset", "usd"]) func traceEndsWhereTheRunLeftThePath(numeraire: String) throws {
        var yaml = try String(contentsOf: ScenarioFixtures.repositoryRoot.appendingPathComponent("data/scenarios/default.yaml"),
                              encoding: .utf8)
        yaml = yaml.replacingOccurrences(of: "numeraire: asset", with: "numeraire: \(numeraire)")
        let run = try S.run(yaml, seed: 11, paths: 2_500)
        #expect(run.model.numeraireIsUSD == (numeraire == "usd"))
        // Paths where things happened (slashed, liquidated, exited), and the two ends.
        let all = run.result.strategies
        let chosen: [Int?] = [all.lazy.compactMap { s in s.slashingLoss.firstIndex { $0 > 0 } }.first,
                              all.lazy.compactMap { s in s.liquidations.firstIndex { $0 > 0 } }.first,
                              all.lazy.compactMap { s in s.exitStep.firstIndex { $0 != StrategyPaths.never } }.first]
        #expect(chosen.allSatisfy { $0 != nil }, "the run has slashed, liquidated and exited paths")
        var slashedSeen = 0
        for path in Set(chosen.compactMap { $0 } + [0, 1_024, 2_499]).sorted() {
            let trace = Simulation.trace(model: run.model, seed: 11, path: path)
            for (s, points) in trace.strategies.enumerated() {
                let paths = run.result.strategies[s]
                let last = points.last!
                #expect(points.count == run.model.steps + 1)
                #expect(last.equity == paths.terminalWealth[path], "\(run.model.strategies[s].name) path \(path)")
                #expect(last.slashingLoss == paths.slashingLoss[path])
                #expect(last.liquidations == Int(paths.liquidations[path]))
                #expect((last.phase == .exited) == (paths.exitStep[path] != StrategyPaths.never))
                if last.slashingLoss > 0 { slashedSeen += 1 }
                // The slashing loss only grows along a path.
                #expect(zip(points, points.dropFirst()).allSatisfy { $0.slashingLoss <= $1.slashingLoss })
            }
        }
        #expect(slashedSeen > 0, "the traced paths should include slashed ones")
    }

    /// `trace.csv` has one row per path, strategy and step, with an empty health factor where
    /// there is no debt and an empty token for native staking.
    @Test func traceCSVHasARowPerPathStrategyAndStep() throws {
        let run = try S.run("""
            name: t
            horizon_years: \(3.0 / 365)
            steps_per_year: 365
            assets:
              - {name: ETH, price: 3000, volatility: 0.5}
            tokens:
              - {name: stETH, underlying: ETH, depeg: {rate: 0, severity: {fixed: 0}, half_life_days: 10, max: 0.8}}
            strategies:
              - {name: native, asset: ETH, base_apr: 0.03}
              - {name: "loop, 2x", asset: ETH, token: stETH, base_apr: 0.03, leverage: {ratio: 2, ltv: 0.9, liquidation_threshold: 0.93, borrow_apr: 0.02}}
            """, seed: 1, paths: 4)
        var report = run.report
        report.traces = [0, 2].map { Simulation.trace(model: run.model, seed: 1, path: $0) }
        let lines = report.traceCSV().split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first.map(String.init) == RunReport.traceHeader)
        #expect(lines.count == 1 + 2 * 2 * 4 + 1, "header, 2 paths x 2 strategies x 4 points, final newline")
        #expect(lines[1] == "native,0,0,0.0,ETH,1.0,,0.0,,0.0,1.0,0.0,0,active")
        #expect(lines[5].hasPrefix("\"loop, 2x\",0,0,0.0,ETH,1.0,stETH,0.0,1.86,1.0,1.0,0.0,0,active"), "\(lines[5])")
        #expect(report.files(includeSamples: false).contains { $0.name == "trace.csv" })
        report.traces = []
        #expect(!report.files(includeSamples: false).contains { $0.name == "trace.csv" })
    }
}
