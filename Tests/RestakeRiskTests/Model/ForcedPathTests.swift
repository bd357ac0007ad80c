import Foundation
import Testing
@testable import RestakeRisk

/// Paths whose every event is forced (rates 0 or 1, fixed severities): the engine must match a
/// hand computation to rounding.
@Suite struct ModelForcedPathTests {
    typealias S = ModelTestSupport
    typealias Ref = ForcedPathReference

    /// Every path of a forced scenario is identical; returns path 0 after checking that.
    static func single(_ run: S.Run, _ name: String, sourceLocation: SourceLocation = #_sourceLocation)
        -> (wealth: Double, slashing: Double, incidents: UInt32) {
        let p = run.paths(name)
        #expect(p.terminalWealth.allSatisfy { $0 == p.terminalWealth[0] }, "\(name): paths differ",
                sourceLocation: sourceLocation)
        #expect(p.slashingLoss.allSatisfy { $0 == p.slashingLoss[0] }, sourceLocation: sourceLocation)
        #expect(p.incidents.allSatisfy { $0 == p.incidents[0] }, sourceLocation: sourceLocation)
        return (p.terminalWealth[0], p.slashingLoss[0], p.incidents[0])
    }

    // MARK: 7. Shared versus isolated slashing

    static let slashingYAML = """
        name: forced-slashing
        horizon_years: 1
        steps_per_year: 4
        assets:
          - {name: ETH, price: 3000, volatility: 0.7, jumps: {rate: 3, mean: -0.2, sd: 0.1}}
        avs:
          - {name: a, incident_rate: 1.0, severity: {fixed: 0.1}, reward_apr: 0.04}
          - {name: b, incident_rate: 1.0, severity: {fixed: 0.2}, reward_apr: 0.08}
          - {name: never, incident_rate: 0.0, severity: {fixed: 0.5}, reward_apr: 0.02}
        correlation:
          systemic: {ETH: 0.7, a: 0.7, b: 0.7, never: 0.7}
        copula: {type: student-t, dof: 3}
        strategies:
          - {name: shared-bare, asset: ETH, base_apr: 0.0, restake: {security: shared, avs: [a, b]}}
          - {name: isolated-bare, asset: ETH, base_apr: 0.0, restake: {security: isolated, avs: {a: 0.4, b: 0.3}}}
          - name: shared
            asset: ETH
            base_apr: 0.03
            fees: {lst: 0.1, operator: 0.2, platform: 0.05}
            restake: {security: shared, avs: [a, b, never]}
          - name: isolated
            asset: ETH
            base_apr: 0.03
            fees: {lst: 0.1, operator: 0.2}
            restake: {security: isolated, avs: {a: 0.4, b: 0.3, never: 0.2}}
          - name: insured
            asset: ETH
            base_apr: 0.03
            compound_every_steps: 2
            restake: {security: isolated, avs: {a: 0.5, b: 0.5}}
            insurance: {coverage: 0.6, premium_apr: 0.01}
        """

    /// Four steps, both AVSs a (s = 0.1) and b (s = 0.2) hit every step (incident_rate 1:
    /// threshold +inf), `never` never (rate 0):
    /// - shared, no base yield: each step multiplies the stake by (1 - 0.1)(1 - 0.2) = 0.72, then
    ///   AVS rewards (4% + 8%, m = 1) by 1.03; a's share is `0.1 S`, b's `0.18 S`,
    ///   `S = sum_k f^k`, f = 0.72 * 1.03 (a slashes first, in list order);
    /// - isolated {a: 0.4, b: 0.3}: unique stake, each AVS slashing its own allocation (the
    ///   recursion in the test);
    /// - with yields, fees, a zero-rate AVS, insurance (coverage * loss paid into `accrued`,
    ///   premium out of rewards) and compounding every 2 steps: the scalar transcription of
    ///   MODEL.md in `ForcedPathReference`.
    /// All to 1e-12 relative; incidents = 2 per step; attribution = the per-AVS losses (every path
    /// is in every tail set, so E[L_s,j] = ES contribution = the path's own share).
    @Test func sharedVersusIsolatedSlashing() throws {
        let run = try S.run(Self.slashingYAML, seed: 3, paths: 2000)
        // Hand closed forms. The "bare" strategies have no base yield but earn their AVSs'
        // rewards (a 4%, b 8%, paid on m_j * stake after slashing, quarterly steps):
        // shared: f = 0.72 * (1 + (0.04 + 0.08) / 4) = 0.72 * 1.03 per step;
        let fShared = 0.72 * 1.03
        let shared = Self.single(run, "shared-bare")
        #expect(S.relClose(shared.wealth, pow(fShared, 4), 1e-12), "shared W_T \(shared.wealth)")
        #expect(shared.incidents == 8)
        // Unique stake (v2): a and b slash only their own allocations (0.4 and 0.3 of the stake
        // at first); compounding every step scales both with the stake, so per step
        // S <- S (1 - 0.1 f_a - 0.2 f_b) + rewards on the allocations after the slash, and
        // f_a <- 0.9 f_a / (1 - 0.1 f_a - 0.2 f_b), f_b <- 0.8 f_b / (same).
        var stakeIso = 1.0, fa = 0.4, fb = 0.3, lossA = 0.0, lossB = 0.0
        for _ in 0..<4 {
            let la = 0.1 * fa * stakeIso, lb = 0.2 * fb * stakeIso
            lossA += la; lossB += lb
            let after = stakeIso - la - lb
            let aa = 0.9 * fa * stakeIso, ab = 0.8 * fb * stakeIso
            stakeIso = after + aa * 0.04 / 4 + ab * 0.08 / 4
            fa = aa / after; fb = ab / after
        }
        let isolated = Self.single(run, "isolated-bare")
        #expect(S.relClose(isolated.wealth, stakeIso, 1e-12), "isolated W_T \(isolated.wealth), hand \(stakeIso)")
        #expect(isolated.incidents == 8)

        // Shared: step k starts at f^k; a (first in the list) takes 0.1 f^k, b then takes
        // 0.2 * 0.9 f^k = 0.18 f^k; L_s = 0.28 S with S = sum_k f^k = (1 - f^4) / (1 - f).
        let sum = (1 - pow(fShared, 4)) / (1 - fShared)
        #expect(S.relClose(shared.slashing, 0.28 * sum, 1e-12), "shared L_s \(shared.slashing)")
        let sharedStats = run.stats("shared-bare")
        for (i, entries) in sharedStats.attribution.enumerated() {
            #expect(entries.map(\.source) == ["a", "b", "base"])
            #expect(S.relClose(entries[0].expectedLoss, 0.1 * sum, 1e-12), "a's share \(entries[0].expectedLoss)")
            #expect(S.relClose(entries[1].expectedLoss, 0.18 * sum, 1e-12), "b's share \(entries[1].expectedLoss)")
            #expect(entries[2].expectedLoss == 0 && entries[2].esContribution == 0)
            #expect(S.relClose(entries[0].esContribution, 0.1 * sum, 1e-12))
            #expect(S.relClose(entries[1].esContribution, 0.18 * sum, 1e-12))
            #expect(S.relClose(sharedStats.slashing[i].expectedShortfall, 0.28 * sum, 1e-12))
        }
        #expect(sharedStats.slashingProbability == 1)
        #expect(sharedStats.incidentsMean == 8)

        #expect(S.relClose(isolated.slashing, lossA + lossB, 1e-12), "isolated L_s \(isolated.slashing)")
        let isolatedEntries = run.stats("isolated-bare").attribution[1]
        #expect(S.relClose(isolatedEntries[0].expectedLoss, lossA, 1e-12))
        #expect(S.relClose(isolatedEntries[1].expectedLoss, lossB, 1e-12))

        // The reference transcription for the strategies with yields, fees and insurance.
        let a = Ref.Allocation(fraction: 1, severity: 0.1, rewardApr: 0.04, hitEveryStep: true)
        let b = Ref.Allocation(fraction: 1, severity: 0.2, rewardApr: 0.08, hitEveryStep: true)
        let never = Ref.Allocation(fraction: 1, severity: 0.5, rewardApr: 0.02, hitEveryStep: false)
        var cases: [(String, Ref)] = []
        var ref = Ref(steps: 4, stepsPerYear: 4)
        ref.baseApr = 0.03; ref.lstFee = 0.1; ref.operatorFee = 0.2; ref.platformFee = 0.05
        ref.allocations = [a, b, never]
        cases.append(("shared", ref))
        ref.platformFee = 0
        ref.allocations[0].fraction = 0.4; ref.allocations[1].fraction = 0.3; ref.allocations[2].fraction = 0.2
        ref.isolated = true
        cases.append(("isolated", ref))
        ref = Ref(steps: 4, stepsPerYear: 4)
        ref.baseApr = 0.03; ref.compoundEvery = 2; ref.coverage = 0.6; ref.premiumApr = 0.01
        ref.allocations = [a, b]
        ref.allocations[0].fraction = 0.5; ref.allocations[1].fraction = 0.5
        ref.isolated = true
        cases.append(("insured", ref))
        for (name, ref) in cases {
            let out = ref.run()
            let got = Self.single(run, name)
            #expect(S.relClose(got.wealth, out.wealth, 1e-12), "\(name): W_T \(got.wealth), hand \(out.wealth)")
            #expect(S.relClose(got.slashing, out.slashed.reduce(0, +), 1e-12),
                    "\(name): L_s \(got.slashing), hand \(out.slashed.reduce(0, +))")
            #expect(Int(got.incidents) == out.incidents, "\(name): incidents")
            let entries = run.stats(name).attribution[1]
            for (j, loss) in out.slashed.enumerated() {
                #expect(S.relClose(entries[j].expectedLoss, loss, 1e-12), "\(name): \(entries[j].source) share")
            }
        }
        // Insurance: W_T (with coverage) exceeds the same strategy without it by more than the
        // premiums cost, and the covered amount never counts against L_s.
        var uninsured = cases[2].1
        uninsured.coverage = 0; uninsured.premiumApr = 0
        let insuredOut = cases[2].1.run(), uninsuredOut = uninsured.run()
        #expect(insuredOut.wealth > uninsuredOut.wealth)
        #expect(S.relClose(insuredOut.slashed.reduce(0, +), Self.single(run, "insured").slashing, 1e-12))
        // One step by hand (insured, m = 0.5 each): a takes 0.05, b takes 0.1 * 0.95 = 0.095;
        // accrued = 0.6 * 0.145 + 0.855 * (0.03 + 0.5 * 0.04 + 0.5 * 0.08 - 0.01) / 4.
        var oneStep = cases[2].1
        oneStep.steps = 1
        let first = oneStep.run()
        #expect(abs(first.wealth - (0.855 + 0.6 * 0.145 + 0.855 * 0.08 / 4)) < 1e-15)
    }

    // MARK: 8. Leverage liquidation on a deterministic depeg

    static func leverageYAML(stepsInHorizon: Int) -> String {
        """
        name: forced-depeg
        horizon_years: \(Double(stepsInHorizon) / 12)
        steps_per_year: 12
        assets:
          - {name: ETH, price: 3000, volatility: 0.7}
        tokens:
          - {name: LRT, underlying: ETH, depeg: {rate: 1.0, severity: {fixed: 0.05}, half_life_days: 1000000000, max: 0.5}}
        strategies:
          - name: loop-market
            asset: ETH
            token: LRT
            base_apr: 0.12
            compound_every_steps: 0
            leverage: {ratio: 3, ltv: 0.75, liquidation_threshold: 0.8, bonus: 0.05, borrow_apr: 0.06, close_factor: 0.5, oracle: market}
          - name: loop-exchange
            asset: ETH
            token: LRT
            base_apr: 0.12
            compound_every_steps: 0
            leverage: {ratio: 3, ltv: 0.75, liquidation_threshold: 0.8, bonus: 0.05, borrow_apr: 0.06, close_factor: 0.5, oracle: exchange_rate}
          - name: unlevered
            asset: ETH
            token: LRT
            base_apr: 0.12
            compound_every_steps: 0
        """
    }

    /// LRT depegs by 0.05 every step (rate 1), half-life ~ infinite, clipped at max 0.5, so
    /// R_k = 1 - 0.05 k (k <= 10), 0.5 after. A 3x loop (stake 3, debt 2, LT 0.8, bonus 5%,
    /// borrow 6%: debt_k = 2 * 1.005^k, collateral 3 + 0.03 k, rewards never compounded):
    /// `HF_k = (3 + 0.03k)(1 - 0.05k) 0.8 / (2 * 1.005^k)`: HF_3 = 1.035, HF_4 = 0.979, so the
    /// market-oracle loop is first liquidated at step 4 (P(liq) = 0 with a 3-step horizon, 1 with
    /// 4); one round repays half the debt and seizes `repaid * 1.05 / R` (accrued first), after
    /// which HF = 2 HF - 0.84 > 1. The exchange-rate oracle sees R = 1: HF >= 1.26, never
    /// liquidated, equity marked at R: `3.12 * 0.8 - 2 * 1.005^4` at step 4 and
    /// `max(0, 3.36 * 0.5 - 2 * 1.005^12) = 0` at step 12 (the floor at 0).
    @Test func leverageLiquidatedOnlyUnderMarketOracle() throws {
        func reference(_ steps: Int, market: Bool) -> Ref.Outcome {
            var ref = Ref(steps: steps, stepsPerYear: 12)
            ref.baseApr = 0.12; ref.compoundEvery = 0
            ref.ratios = Ref.ratios(steps: steps, stepsPerYear: 12, shock: 0.05, halfLifeDays: 1e9, maximum: 0.5)
            ref.leverage = (3, 0.8, 0.05, 0.06, 0.5, market)
            return ref.run()
        }
        // The hand numbers behind the docs above.
        let hf3: Double = 3.09 * 0.85 * 0.8 / (2 * pow(1.005, 3.0))
        let hf4: Double = 3.12 * 0.8 * 0.8 / (2 * pow(1.005, 4.0))
        #expect(abs(hf3 - 1.035) < 1e-3)
        #expect(hf4 < 1)
        #expect(reference(12, market: true).firstLiquidationStep == 4)
        #expect(reference(12, market: false).liquidated == false)

        for steps in [3, 4, 6, 12] {
            let run = try S.run(Self.leverageYAML(stepsInHorizon: steps), seed: 1, paths: 1500)
            #expect(run.model.steps == steps)
            let market = Self.single(run, "loop-market")
            let expectedMarket = reference(steps, market: true)
            #expect(run.stats("loop-market").liquidationProbability == (steps >= 4 ? 1 : 0),
                    "market oracle, \(steps) steps: P(liq) \(run.stats("loop-market").liquidationProbability)")
            #expect(S.relClose(market.wealth, expectedMarket.wealth, 1e-12),
                    "market oracle, \(steps) steps: W \(market.wealth), hand \(expectedMarket.wealth)")
            #expect(market.wealth >= 0)

            let exchange = Self.single(run, "loop-exchange")
            #expect(run.stats("loop-exchange").liquidationProbability == 0)
            let expectedExchange = reference(steps, market: false)
            #expect(S.relClose(exchange.wealth, expectedExchange.wealth, 1e-12),
                    "exchange oracle, \(steps) steps: W \(exchange.wealth), hand \(expectedExchange.wealth)")
            let unlevered = Self.single(run, "unlevered")
            let r = 1 - min(0.05 * Double(steps), 0.5)
            #expect(abs(unlevered.wealth - (1 + 0.01 * Double(steps)) * r) < 1e-7)  // decay ~ 2e-8 per step
            #expect(run.stats("unlevered").liquidationProbability == 0)
        }
        // Explicit closed forms for the exchange-rate oracle at steps 4 and 12.
        let at4 = try S.run(Self.leverageYAML(stepsInHorizon: 4), seed: 1, paths: 1024)
        #expect(abs(Self.single(at4, "loop-exchange").wealth - (3.12 * 0.8 - 2 * pow(1.005, 4.0))) < 1e-7)
        let at12 = try S.run(Self.leverageYAML(stepsInHorizon: 12), seed: 1, paths: 1024)
        #expect(Self.single(at12, "loop-exchange").wealth == 0, "equity not floored at 0")
        #expect(at12.stats("loop-exchange").loss.allSatisfy { $0.valueAtRisk == 1 })
        // After the step-4 liquidation the market loop's health is restored: step 4 equity by
        // hand: repaid 2 * 1.005^4 / 2, seized repaid * 1.05 / 0.8 (accrued 0.12 first).
        let debt4: Double = 2 * pow(1.005, 4.0)
        let seized = debt4 / 2 * 1.05 / 0.8
        let w4 = (3.12 - seized) * 0.8 - debt4 / 2
        #expect(abs(Self.single(at4, "loop-market").wealth - w4) < 1e-7, "step-4 equity \(w4)")
    }

    // MARK: 9. Exit policies

    static let exitYAML = """
        name: forced-exit
        horizon_years: \(30.0 / 365)
        steps_per_year: 365
        report_every_steps: 30
        assets:
          - {name: ETH, price: 3000, volatility: 0.7}
        avs:
          - {name: a, incident_rate: 1.0, severity: {fixed: 0.02}, reward_apr: 0.1}
        tokens:
          - {name: LRT, underlying: ETH, depeg: {rate: 1.0, severity: {fixed: 0.01}, half_life_days: 10, max: 0.5}}
        strategies:
          - {name: hold, asset: ETH, token: LRT, base_apr: 0.05, restake: {security: shared, avs: [a]}}
          - {name: sell, asset: ETH, token: LRT, base_apr: 0.05, restake: {security: shared, avs: [a]}, exit: {on_incident: sell}}
          - {name: withdraw14, asset: ETH, token: LRT, base_apr: 0.05, restake: {security: shared, avs: [a]}, exit: {on_incident: withdraw, withdrawal_delay_days: 14}}
          - {name: withdraw0, asset: ETH, token: LRT, base_apr: 0.05, restake: {security: shared, avs: [a]}, exit: {on_incident: withdraw, withdrawal_delay_days: 0}}
          - {name: withdraw3.5, asset: ETH, token: LRT, base_apr: 0.05, restake: {security: shared, avs: [a]}, exit: {on_incident: withdraw, withdrawal_delay_days: 3.5}}
        """

    /// 30 daily steps; AVS a (s = 0.02) hits every step; the LRT's discount grows by 0.01 a step
    /// (half-life 10 days), so the first incident is at step 1, where R_1 = 0.99. With
    /// g = 1 + 0.15/365 (base 5% + AVS 10%, compounded daily):
    /// - `sell`: slashed once, rewards of step 1, then sold at R_1: `W_T = 0.98 g * 0.99`,
    ///   `L_s = 0.02`, 1 incident; flat afterwards;
    /// - `withdraw` 14 days (14 steps): step 1 as above, then 14 more slashes with no rewards,
    ///   then converted at par: `W_T = 0.98 g * 0.98^14`, 15 incidents,
    ///   `L_s = 0.02 + 0.02 * 0.98 g * (1 - 0.98^14) / 0.02`;
    /// - `withdraw` 0 days: converted at par at step 1: `W_T = 0.98 g`;
    /// - `withdraw` 3.5 days: delay rounded up to 4 steps: `W_T = 0.98 g * 0.98^4`;
    /// - `hold`: `W_T = (0.98 g)^30 * R_30`, 30 incidents.
    @Test func exitPolicies() throws {
        let run = try S.run(Self.exitYAML, seed: 8, paths: 1500)
        #expect(run.model.steps == 30)
        let g = 1 + 0.15 / 365
        let ratios = Ref.ratios(steps: 30, stepsPerYear: 365, shock: 0.01, halfLifeDays: 10, maximum: 0.5)
        #expect(abs(ratios[0] - 0.99) < 1e-15)

        let sell = Self.single(run, "sell")
        #expect(S.relClose(sell.wealth, 0.98 * g * 0.99, 1e-12), "sell W_T \(sell.wealth)")
        #expect(S.relClose(sell.slashing, 0.02, 1e-12) && sell.incidents == 1)

        let w14 = Self.single(run, "withdraw14")
        #expect(S.relClose(w14.wealth, 0.98 * g * pow(0.98, 14), 1e-12), "withdraw14 W_T \(w14.wealth)")
        #expect(w14.incidents == 15)
        #expect(S.relClose(w14.slashing, 0.02 + 0.98 * g * (1 - pow(0.98, 14)), 1e-12), "withdraw14 L_s \(w14.slashing)")

        let w0 = Self.single(run, "withdraw0")
        #expect(S.relClose(w0.wealth, 0.98 * g, 1e-12) && w0.incidents == 1, "withdraw0 W_T \(w0.wealth)")

        let w35 = Self.single(run, "withdraw3.5")
        #expect(S.relClose(w35.wealth, 0.98 * g * pow(0.98, 4), 1e-12) && w35.incidents == 5,
                "withdraw3.5 W_T \(w35.wealth), incidents \(w35.incidents)")

        let hold = Self.single(run, "hold")
        #expect(S.relClose(hold.wealth, pow(0.98 * g, 30) * ratios[29], 1e-12), "hold W_T \(hold.wealth)")
        #expect(hold.incidents == 30)

        // The reference transcription agrees on every policy.
        let a = Ref.Allocation(fraction: 1, severity: 0.02, rewardApr: 0.1, hitEveryStep: true)
        for (name, exit) in [("hold", Ref.Exit.hold), ("sell", .sell), ("withdraw14", .withdraw(steps: 14)),
                             ("withdraw0", .withdraw(steps: 0)), ("withdraw3.5", .withdraw(steps: 4))] {
            var ref = Ref(steps: 30, stepsPerYear: 365)
            ref.baseApr = 0.05; ref.allocations = [a]; ref.ratios = ratios; ref.exit = exit
            let out = ref.run()
            let got = Self.single(run, name)
            #expect(S.relClose(got.wealth, out.wealth, 1e-12), "\(name): W_T \(got.wealth), reference \(out.wealth)")
            #expect(S.relClose(got.slashing, out.slashed[0], 1e-12), "\(name): L_s")
            #expect(Int(got.incidents) == out.incidents, "\(name): incidents")
        }

        // After the exit the fan is flat: every reporting time after the conversion shows the
        // same W (sell from step 1; withdraw14 from step 15).
        for row in run.report.fan where row.strategy == "sell" && row.years > 0 {
            #expect(row.quantiles.allSatisfy { $0 == sell.wealth }, "sell fan at \(row.years)")
        }
    }
}
