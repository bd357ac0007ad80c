import Foundation
import Testing
@testable import RestakeRisk

/// Pure stress replays (every random rate 0, volatility 0): every path is the same path, whose
/// numbers are computed here by hand from MODEL.md's step order.
@Suite struct WhatIfStressReplayTests {
    typealias S = ModelTestSupport
    static let days = 30
    static var horizon: String { "\(Double(days) / 365)" }

    /// Runs one block and checks that every path is the same.
    static func replay(_ yaml: String) throws -> S.Run {
        let run = try S.run(yaml, seed: 5, paths: 1024)
        #expect(run.model.steps == days)
        for s in run.result.strategies {
            #expect(Set(s.terminalWealth).count == 1 && Set(s.slashingLoss).count == 1, "a pure replay differs across paths")
        }
        return run
    }

    static func close(_ a: Double, _ b: Double, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(abs(a - b) <= 1e-9, "\(what): \(a), by hand \(b)", sourceLocation: sourceLocation)
    }

    /// ETH -21% on day 10, USD numeraire, 5% base yield compounded daily:
    /// `W_T = (1 + 0.05/365)^30 exp(-0.21)`.
    @Test func assetReturn() throws {
        let run = try Self.replay("""
            name: replay-asset
            horizon_years: \(Self.horizon)
            steps_per_year: 365
            numeraire: usd
            assets:
              - {name: ETH, price: 3000, volatility: 0}
            stress:
              - {at_days: 10, asset_return: {ETH: -0.21}}
            strategies:
              - {name: native, asset: ETH, base_apr: 0.05}
            """)
        let g = 1 + 0.05 / 365
        Self.close(run.paths("native").terminalWealth[0], pow(g, 30) * exp(-0.21), "W_T")
        #expect(run.paths("native").slashingLoss[0] == 0)
    }

    /// LRT's discount set to 0.3 on day 5, half-life 10 days: `D_T = 0.3 * 2^(-25/10)` after 25
    /// more daily decays. Holding: `W_T = 1 - D_T`. A 3x loop (debt 2) on a DEX-priced market:
    /// health `3 * 0.7 * 0.93 / 2 < 1`, one liquidation repays 1 and seizes `1.01 / 0.7` tokens,
    /// after which `1.5571 * 0.7 * 0.93 >= 1`: one liquidation, on day 5;
    /// `W_T = (3 - 1.01/0.7)(1 - D_T) - 1`. The same loop on an exchange-rate oracle is never
    /// liquidated: `W_T = 3 (1 - D_T) - 2`.
    @Test func depegAndLiquidation() throws {
        let loop = "ratio: 3, ltv: 0.9, liquidation_threshold: 0.93, bonus: 0.01, borrow_apr: 0, close_factor: 0.5"
        let run = try Self.replay("""
            name: replay-depeg
            horizon_years: \(Self.horizon)
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
              - {name: loop-rate, asset: ETH, token: LRT, base_apr: 0, leverage: {\(loop), oracle: exchange_rate}}
            """)
        let r = 1 - 0.3 * pow(2, -2.5)
        Self.close(run.paths("hold").terminalWealth[0], r, "hold W_T")
        let market = run.paths("loop-market")
        Self.close(market.terminalWealth[0], (3 - 1.01 / 0.7) * r - 1, "DEX-priced loop W_T")
        #expect(market.liquidations[0] == 1)
        #expect(market.firstLiquidationStep[0] == 5)
        #expect(run.stats("loop-market").liquidationProbability == 1)
        let rate = run.paths("loop-rate")
        Self.close(rate.terminalWealth[0], 3 * r - 2, "exchange-rate loop W_T")
        #expect(rate.liquidations[0] == 0)
    }

    /// A forced bridge incident (0.3) on day 10 and a fault of op-a (0.2) on day 20, 5% yield
    /// (g = 1 + 0.05/365 per day, compounding every step, slashing before rewards).
    /// Shared, split over op-a and op-b, both serving bridge and seq: the incident takes
    /// `0.3 g^9`; the fault slashes op-a's half (`0.5 * 0.7 g^19`) once per AVS it serves, keeping
    /// `0.8^2`: `L_s = 0.3 g^9 + 0.5 * 0.7 * 0.36 g^19`, `W_T = 0.7 (0.5 * 0.64 + 0.5) g^30`.
    /// Isolated (bridge 0.4, seq 0.2, no operators): only the bridge allocation is hit,
    /// `L_s = 0.4 * 0.3 g^9`, `W_T = 0.88 g^30`.
    @Test func incidentAndOperatorFault() throws {
        let run = try Self.replay("""
            name: replay-slashing
            horizon_years: \(Self.horizon)
            steps_per_year: 365
            assets:
              - {name: ETH, price: 3000, volatility: 0}
            avs:
              - {name: bridge, incident_rate: 0, severity: {fixed: 0.5}}
              - {name: seq, incident_rate: 0, severity: {fixed: 0.5}}
            operators:
              - {name: op-a, fault_rate: 0, fault_severity: {fixed: 0.5}, serves: [bridge, seq]}
              - {name: op-b, fault_rate: 0, fault_severity: {fixed: 0.5}, serves: [bridge, seq]}
            stress:
              - {at_days: 10, incident: {bridge: 0.3}}
              - {at_days: 20, operator_fault: {op-a: 0.2}}
            strategies:
              - {name: shared, asset: ETH, base_apr: 0.05, restake: {security: shared, avs: [bridge, seq], operators: {op-a: 0.5, op-b: 0.5}}}
              - {name: isolated, asset: ETH, base_apr: 0.05, restake: {security: isolated, avs: {bridge: 0.4, seq: 0.2}}}
            """)
        let g = 1 + 0.05 / 365
        let shared = run.paths("shared")
        Self.close(shared.slashingLoss[0], 0.3 * pow(g, 9) + 0.5 * 0.7 * 0.36 * pow(g, 19), "shared L_s")
        Self.close(shared.terminalWealth[0], 0.7 * (0.5 * 0.64 + 0.5) * pow(g, 30), "shared W_T")
        #expect(shared.firstSlashStep[0] == 10)
        let isolated = run.paths("isolated")
        Self.close(isolated.slashingLoss[0], 0.4 * 0.3 * pow(g, 9), "isolated L_s")
        Self.close(isolated.terminalWealth[0], 0.88 * pow(g, 30), "isolated W_T")
        #expect(isolated.incidents[0] == 1)
        #expect(isolated.liquidations[0] == 0)
    }

    /// The borrow rate rises from 2% to 15% on day 10: a 3x loop's debt is
    /// `2 (1 + 0.02/365)^9 (1 + 0.15/365)^21`, its stake `3 (1 + 0.03/365)^30`.
    @Test func borrowRate() throws {
        let run = try Self.replay("""
            name: replay-borrow
            horizon_years: \(Self.horizon)
            steps_per_year: 365
            assets:
              - {name: ETH, price: 3000, volatility: 0}
            stress:
              - {at_days: 10, borrow_apr: 0.15}
            strategies:
              - {name: loop, asset: ETH, base_apr: 0.03, leverage: {ratio: 3, ltv: 0.9, liquidation_threshold: 0.93, borrow_apr: 0.02}}
            """)
        let before: Double = pow(1 + 0.02 / 365, 9), after: Double = pow(1 + 0.15 / 365, 21)
        let debt = 2 * before * after
        let stake: Double = 3 * pow(1 + 0.03 / 365, 30)
        Self.close(run.paths("loop").terminalWealth[0], stake - debt, "loop W_T")
        #expect(run.paths("loop").liquidations[0] == 0)
    }
}
