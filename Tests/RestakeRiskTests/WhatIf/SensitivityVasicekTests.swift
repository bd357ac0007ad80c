import Foundation
import Testing
@testable import RestakeRisk

/// Sensitivities against closed forms.
@Suite struct WhatIfSensitivityVasicekTests {
    typealias S = ModelTestSupport

    /// A one-factor isolated portfolio: n = 256 AVSs, each with annual incident probability p,
    /// loading sqrt(rho) on one systemic factor, a fixed severity of 1 and an allocation of 1/n;
    /// one step of one year (so q = p). Then `L_s = K / n` exactly, and as n grows its
    /// a-quantile tends to Vasicek's `Phi((Phi^-1(p) + sqrt(rho) Phi^-1(a)) / sqrt(1 - rho))`,
    /// whose derivative in p is `phi(z) / (sqrt(1 - rho) phi(Phi^-1(p)))`.
    ///
    /// The bump moves every AVS's rate together (`avs[*].incident_rate`) by 20%. The estimate
    /// must lie within 4 of its own (batch-means) standard errors of the closed-form derivative;
    /// the granularity of 1/256 and the finite bump move the target by about 0.07 (computed
    /// offline from the exact binomial mixture), under one standard error. The SE itself must be
    /// small enough for the check to bite (under 5% of the derivative). The mean's derivative is
    /// exactly 1 (`E[K/n] = p`), checked within 4 paired per-path standard errors.
    @Test func valueAtRiskDerivativeMatchesVasicek() throws {
        let n = 256, p = 0.05, rho = 0.2, alpha = 0.99
        let names = (1...n).map { "s\($0)" }
        let fraction = 1.0 / Double(n)
        let yaml = """
            name: vasicek
            horizon_years: 1
            steps_per_year: 1
            assets:
              - {name: ETH, price: 3000, volatility: 0.5}
            avs:
            \(names.map { "  - {name: \($0), incident_rate: \(p), severity: {fixed: 1.0}}" }.joined(separator: "\n"))
            correlation:
              systemic: {\(names.map { "\($0): \(rho.squareRoot())" }.joined(separator: ", "))}
            strategies:
              - name: portfolio
                asset: ETH
                base_apr: 0
                restake: {security: isolated, avs: {\(names.map { "\($0): \(fraction)" }.joined(separator: ", "))}}
            """
        let scenario = try Scenario(yaml: yaml)
        let sensitivity = try Sensitivity(base: scenario, parameters: ["avs[*].incident_rate"], bump: 0.2)
        #expect(sensitivity.parameters.map(\.path) == ["avs[*].incident_rate"])
        let result = sensitivity.run(seed: 11, paths: 16_384, threads: 2)
        func row(_ metric: String, _ a: Double?) -> Sensitivity.Row? {
            result.rows.first { $0.metric == metric && $0.alpha == a }
        }

        let z = (S.PhiInv(p) + rho.squareRoot() * S.PhiInv(alpha)) / (1 - rho).squareRoot()
        let closed = S.phi(z) / ((1 - rho).squareRoot() * S.phi(S.PhiInv(p)))
        for metric in ["slashing_loss.var", "loss.var"] {
            let r = try #require(row(metric, alpha))
            let d = try #require(r.derivative), se = try #require(r.se)
            #expect(se > 0 && se < 0.05 * closed, "\(metric): SE \(se) too large to test anything")
            #expect(abs(d - closed) <= 4 * se, "\(metric): dVaR/dp = \(d) ± \(se), Vasicek \(closed)")
            #expect(r.low! < r.base! && r.base! < r.high!, "VaR must rise with p")
        }
        let mean = try #require(row("slashing_loss.mean", nil))
        #expect(abs(mean.derivative! - 1) <= 4 * mean.se!, "dE[L_s]/dp = \(mean.derivative!) ± \(mean.se!)")
        #expect(mean.se! < 0.05)

        // The tornado ranks the one parameter with the swing of its ES99 rows.
        let t = try #require(result.tornado.first { $0.metric == "slashing_loss.es" })
        let es = try #require(row("slashing_loss.es", 0.99))
        #expect(t.bars.count == 1 && t.bars[0].swing == abs(es.high! - es.low!) && t.bars[0].swing > 0)
        #expect(result.csv().hasPrefix("parameter,strategy,metric,alpha,base,derivative,se,low,high\navs[*].incident_rate,portfolio,terminal_wealth.mean,,"))
    }

    /// Default parameters: every nonzero rate, APR, fee... of the scenario; a parameter whose
    /// bump leaves the valid range is skipped with a reason, a named one is refused.
    @Test func defaultsSkipAndRefuse() throws {
        let yaml = """
            name: defaults
            horizon_years: 1
            steps_per_year: 12
            assets:
              - {name: ETH, price: 3000, volatility: 0.5}
            avs:
              - {name: a, incident_rate: 0.1, severity: {beta: [2, 8]}, reward_apr: 0.01}
            strategies:
              - name: loop
                asset: ETH
                base_apr: 0.03
                restake: {security: shared, avs: [a]}
                leverage: {ratio: 10, ltv: 0.9, liquidation_threshold: 0.95, borrow_apr: 0.02}
            """
        let scenario = try Scenario(yaml: yaml)
        let s = try Sensitivity(base: scenario, parameters: [], bump: 0.05)
        let paths = Set(s.parameters.map(\.path))
        #expect(paths.isSuperset(of: ["avs[a].incident_rate", "avs[a].severity.mean", "avs[a].reward_apr",
                                      "strategies[loop].base_apr", "strategies[loop].leverage.borrow_apr"]))
        #expect(!paths.contains("avs[a].veto_probability"), "a zero parameter cannot be bumped relatively")
        // ratio 10 = 1/(1 - 0.9): bumped up it exceeds the loop limit.
        #expect(s.skipped.contains { $0.parameter == "strategies[loop].leverage.ratio" })
        #expect(throws: WhatIfError.self) {
            try Sensitivity(base: scenario, parameters: ["strategies[loop].leverage.ratio"], bump: 0.05)
        }
        #expect(throws: WhatIfError("--param avs[a].veto_probability: its value is 0, so a relative bump does not move it; sweep it instead")) {
            try Sensitivity(base: scenario, parameters: ["avs[a].veto_probability"], bump: 0.05)
        }
    }
}
