import Foundation
import Testing
@testable import RestakeRisk

/// Riskless strategies: the compounding curve is deterministic and has closed forms.
@Suite struct ModelDeterministicCompoundingTests {
    typealias S = ModelTestSupport

    static let r = 0.05
    static let yaml = """
        name: compounding
        horizon_years: 10
        steps_per_year: 365
        report_every_steps: 3650
        assets:
          - {name: ETH, price: 3000, drift: 0.3, volatility: 0.8, jumps: {rate: 2.0, mean: -0.1, sd: 0.1}}
        strategies:
          - {name: daily, asset: ETH, base_apr: 0.05}
          - {name: simple, asset: ETH, base_apr: 0.05, compound_every_steps: 0}
          - {name: weekly, asset: ETH, base_apr: 0.05, compound_every_steps: 7}
          - {name: lst-fee, asset: ETH, base_apr: 0.05, fees: {lst: 0.1}}
          - {name: all-fees, asset: ETH, base_apr: 0.05, defi_apr: 0.02, fees: {lst: 0.1, operator: 0.3, platform: 0.2}}
        """

    /// In the asset numeraire, with no AVS, no token and no leverage, W_T is deterministic:
    /// - daily compounding (every step, dt = 1/365, T = 3650): `W_T = (1 + r/365)^3650`;
    /// - never (`compound_every_steps: 0`): `W_T = 1 + r * 10` (simple interest);
    /// - every 7 steps: 521 full weeks then 3 steps of simple interest on the last stake,
    ///   `W_T = (1 + 7 r dt)^521 * (1 + 3 r dt)`;
    /// - `fees.lst` scales the base yield: `(1 + r (1 - lst) dt)^3650`;
    /// - `defi_apr` is not charged the LST fee, `fees.platform` scales the total, `fees.operator`
    ///   only touches AVS rewards (none here): `(1 + (r (1 - lst) + defi) (1 - platform) dt)^3650`.
    @Test func compoundingClosedForms() throws {
        let run = try S.run(Self.yaml, paths: 1000)
        let r = Self.r, dt = 1.0 / 365
        let expected: [String: Double] = [
            "daily": pow(1 + r * dt, 3650),
            "weekly": pow(1 + 7 * r * dt, 521) * (1 + 3 * r * dt),
            "lst-fee": pow(1 + r * 0.9 * dt, 3650),
            "all-fees": pow(1 + (r * 0.9 + 0.02) * 0.8 * dt, 3650),
        ]
        for (name, w) in expected {
            let paths = run.paths(name).terminalWealth
            #expect(paths.count == 1000)
            for x in paths { #expect(x == paths[0], "\(name): paths differ") ; if x != paths[0] { break } }
            #expect(S.relClose(paths[0], w, 1e-10), "\(name): W_T = \(paths[0]), closed form \(w)")
        }
        // Never compounding: exactly simple interest (to 1e-12).
        let simple = run.paths("simple").terminalWealth
        #expect(simple.allSatisfy { $0 == simple[0] })
        #expect(S.relClose(simple[0], 1 + r * 10, 1e-12), "simple: W_T = \(simple[0]), want \(1 + r * 10)")
        // Sanity: the ordering simple < weekly < daily (can only fail if compounding is wrong).
        #expect(simple[0] < run.paths("weekly").terminalWealth[0])
        #expect(run.paths("weekly").terminalWealth[0] < run.paths("daily").terminalWealth[0])
    }

    /// Annualized return of a riskless strategy is `W_T^(1/H) - 1`, the same for mean and median.
    @Test func annualizedReturnOfRisklessStrategy() throws {
        let run = try S.run(Self.yaml, paths: 1000)
        let stats = run.stats("daily")
        let w = pow(1 + Self.r / 365, 3650)
        let annual = pow(w, 0.1) - 1  // = (1 + r/365)^365 - 1
        #expect(S.relClose(stats.annualizedMedian, annual, 1e-10))
        #expect(S.relClose(stats.annualizedMean, annual, 1e-10))
    }
}

/// Strategies without any risk inside a scenario full of risk: every path is the same.
@Suite struct ModelZeroRiskTests {
    typealias S = ModelTestSupport

    static let yaml = """
        name: zero-risk
        horizon_years: 1
        steps_per_year: 365
        report_every_steps: 7
        assets:
          - {name: ETH, price: 3000, drift: 0.1, volatility: 0.7, jumps: {rate: 1.0, mean: -0.1, sd: 0.08}}
          - {name: EIGEN, price: 1.0, volatility: 1.1}
        avs:
          - {name: safe, incident_rate: 0.0, severity: {fixed: 0.5}, reward_apr: 0.01}
          - {name: risky, incident_rate: 0.5, severity: {beta: [2, 8]}, reward_apr: 0.02, reward_asset: EIGEN}
        tokens:
          - {name: calm, underlying: ETH}
          - {name: flat, underlying: ETH, depeg: {rate: 0.0, severity: {fixed: 0.3}, half_life_days: 5, incident_jump: 0.0}, exposed_to: [risky]}
          - {name: wild, underlying: ETH, depeg: {rate: 0.5, severity: {beta: [2, 20]}, half_life_days: 5, incident_jump: 0.05}}
        correlation:
          systemic: {ETH: 0.5, EIGEN: 0.5, safe: 0.5, risky: 0.5, calm: 0.3, flat: 0.3, wild: 0.5}
        copula: {type: student-t, dof: 4}
        strategies:
          - {name: native, asset: ETH, base_apr: 0.03}
          - {name: lst-calm, asset: ETH, token: calm, base_apr: 0.03, fees: {lst: 0.1}}
          - name: shared-safe
            asset: ETH
            token: flat
            base_apr: 0.03
            fees: {lst: 0.1, operator: 0.1}
            restake: {security: shared, avs: [safe]}
          - name: isolated-safe
            asset: ETH
            base_apr: 0.03
            fees: {operator: 0.1, platform: 0.05}
            restake: {security: isolated, avs: {safe: 0.5}}
            exit: {on_incident: sell}
          - name: risky
            asset: ETH
            token: wild
            base_apr: 0.03
            restake: {security: shared, avs: [safe, risky]}
        """

    /// Closed forms (dt = 1/365, T = 365, daily compounding):
    /// native `(1 + 0.03 dt)^365`; lst-calm `(1 + 0.027 dt)^365`;
    /// shared-safe `(1 + (0.027 + 0.01 * 0.9) dt)^365` (m = 1);
    /// isolated-safe `(1 + (0.03 + 0.5 * 0.01 * 0.9) * 0.95 dt)^365`.
    /// Every path equal, sd = 0 (to rounding), VaR_a = ES_a = 1 - W_T, P(L_s > 0) = 0,
    /// no incidents, no liquidation, slashing VaR = ES = 0, attribution 0.
    @Test func zeroRiskStrategiesAreDeterministic() throws {
        let run = try S.run(Self.yaml, paths: 5000)
        let dt = 1.0 / 365
        let expected: [String: Double] = [
            "native": pow(1 + 0.03 * dt, 365),
            "lst-calm": pow(1 + 0.027 * dt, 365),
            "shared-safe": pow(1 + (0.027 + 0.009) * dt, 365),
            "isolated-safe": pow(1 + (0.03 + 0.5 * 0.009) * 0.95 * dt, 365),
        ]
        for (name, w) in expected {
            let paths = run.paths(name)
            let w0 = paths.terminalWealth[0]
            #expect(paths.terminalWealth.allSatisfy { $0 == w0 }, "\(name): paths differ")
            #expect(S.relClose(w0, w, 1e-10), "\(name): W_T = \(w0), closed form \(w)")
            let st = run.stats(name)
            // The engine sums N identical values naively, so the mean (and hence the sd) may be off
            // by up to ~N ulps: 5,000 paths give ~1e-13, not exactly 0.
            let rounding = Double(paths.terminalWealth.count) * Double.ulpOfOne * w0
            #expect(st.terminalSD <= rounding, "\(name): sd \(st.terminalSD)")
            #expect(abs(st.terminalMean - w0) <= rounding)
            #expect(st.terminalQuantiles.allSatisfy { $0 == w0 })
            for risk in st.loss {
                #expect(risk.valueAtRisk == 1 - w0, "\(name) VaR \(risk.alpha)")
                #expect(abs(risk.expectedShortfall - (1 - w0)) <= 1e-14, "\(name) ES \(risk.alpha)")
            }
            #expect(st.slashingProbability == 0)
            #expect(st.slashingMean == 0)
            #expect(st.slashing.allSatisfy { $0.valueAtRisk == 0 && $0.expectedShortfall == 0 })
            #expect(st.incidentsMean == 0)
            #expect(st.liquidationProbability == 0)
            #expect(st.attribution.allSatisfy { $0.allSatisfy { $0.expectedLoss == 0 && $0.esContribution == 0 } })
            // Every fan row is the deterministic curve: all quantiles equal, the mean to rounding.
            for row in run.report.fan where row.strategy == name {
                #expect(row.quantiles.allSatisfy { $0 == row.quantiles[0] }, "\(name) fan at \(row.years)")
                #expect(abs(row.mean - row.quantiles[0]) <= 1e-13)
                let steps = (row.years * 365).rounded()
                let rate = log(w) / 365
                #expect(S.relClose(row.quantiles[0], exp(rate * steps), 1e-10), "\(name) fan at step \(steps)")
            }
        }
        // The risky strategy in the same run is not degenerate (the scenario really is random).
        #expect(run.stats("risky").terminalSD > 0.01)
        #expect(run.stats("risky").slashingProbability > 0.3)
    }

    /// Output files of a run with constant columns (zero-width histograms, a zero VaR interval)
    /// contain no `nan` or `inf`: a value that does not exist is an empty field (MODEL.md).
    @Test func degenerateColumnsWriteNoNaN() throws {
        let run = try S.run(Self.yaml, paths: 1100)
        for text in [run.report.summaryJSON(), run.report.fanCSV(), run.report.distributionCSV(),
                     run.report.attributionCSV()] {
            let lower = text.lowercased()
            #expect(!lower.contains("nan") && !lower.contains("inf"), "non-finite value written")
        }
        // The constant columns' histograms have one bin with an empty density.
        let native = run.report.distributions.first { $0.strategy == "native" && $0.metric == "terminal_wealth" }
        #expect(native?.counts == [1100] && native?.densities == [nil])
    }

    /// USD numeraire with a zero-volatility asset: `W_T = (1 + r dt)^T * exp(mu T)`
    /// (log price grows by `(mu - 0) dt` each step; no jumps).
    @Test func zeroVolatilityUSDNumeraire() throws {
        let yaml = """
            name: usd-drift
            horizon_years: 2
            steps_per_year: 52
            numeraire: usd
            report_every_steps: 104
            assets:
              - {name: ETH, price: 3000, drift: 0.1, volatility: 0.0}
            strategies:
              - {name: native, asset: ETH, base_apr: 0.03}
            """
        let run = try S.run(yaml, paths: 2000)
        let w = pow(1 + 0.03 / 52, 104) * exp(0.1 * 2)
        let paths = run.paths("native").terminalWealth
        #expect(paths.allSatisfy { $0 == paths[0] })
        #expect(S.relClose(paths[0], w, 1e-12), "W_T = \(paths[0]), closed form \(w)")
        let st = run.stats("native")
        #expect(st.loss.allSatisfy { $0.valueAtRisk == 1 - paths[0] })
    }
}
