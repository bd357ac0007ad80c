import Foundation
import Testing
@testable import RestakeRisk

/// Native staking with no yield in the USD numeraire: `W_T = S_T / S_0`, a log-normal price.
@Suite struct ModelLogNormalPriceTests {
    typealias S = ModelTestSupport

    static let mu = 0.08, sigma = 0.6, horizon = 2.0
    static func yaml(copula: String, stepsPerYear: Int) -> String {
        """
        name: lognormal
        horizon_years: \(horizon)
        steps_per_year: \(stepsPerYear)
        numeraire: usd
        report_every_steps: \(Int(horizon) * stepsPerYear)
        assets:
          - {name: ETH, price: 3000, drift: \(mu), volatility: \(sigma)}
          - {name: OTHER, price: 1, drift: 0.0, volatility: 0.3}
        correlation:
          systemic: {ETH: 0.6, OTHER: 0.6}
        copula: \(copula)
        strategies:
          - {name: native, asset: ETH, base_apr: 0.0}
        """
    }

    /// Gaussian copula, no jumps: `log W_T ~ N((mu - sigma^2/2) T, sigma^2 T)` exactly, for any
    /// number of steps.
    /// - `E[W_T] = exp(mu T)`, within 4 SE (SE = sample sd / sqrt N).
    /// - `VaR_a(L) = 1 - exp((mu - sigma^2/2) T + sigma sqrt(T) Phi^-1(1 - a))`, within
    ///   4 * sqrt(a (1 - a) / N) / f_L(VaR_a) (order-statistic SE; f_L(v) = f_W(1 - v),
    ///   `f_W(w) = phi((ln w - m) / s) / (w s)`, `m = (mu - sigma^2/2) T`, `s = sigma sqrt T`).
    /// - `ES_a(L) = 1 - exp(mu T) Phi(Phi^-1(1 - a) - s) / (1 - a)`, within 4 reported ES SEs.
    @Test func gaussianLogNormalTerminalWealth() throws {
        let n = 100_000
        let run = try S.run(Self.yaml(copula: "gaussian", stepsPerYear: 4), seed: 7, paths: n)
        let w = run.paths("native").terminalWealth
        let st = run.stats("native")
        let T = Self.horizon, m = (Self.mu - Self.sigma * Self.sigma / 2) * T, s = Self.sigma * T.squareRoot()

        let (mean, sd) = S.meanSD(w)
        #expect(abs(st.terminalMean - mean) <= 1e-12 * mean)
        #expect(abs(mean - exp(Self.mu * T)) <= 4 * sd / Double(n).squareRoot(),
                "E[W_T] = \(mean), closed form \(exp(Self.mu * T)), SE \(sd / Double(n).squareRoot())")

        let logs = w.map { log($0) }
        let (logMean, logSD) = S.meanSD(logs)
        #expect(abs(logMean - m) <= 4 * logSD / Double(n).squareRoot(), "E[log W_T] = \(logMean), want \(m)")

        for (i, a) in run.report.alphas.enumerated() {
            let z = S.PhiInv(1 - a)
            let wq = exp(m + s * z)
            let trueVaR = 1 - wq
            let density = S.phi(z) / (wq * s)
            let se = (a * (1 - a) / Double(n)).squareRoot() / density
            let risk = st.loss[i]
            #expect(risk.alpha == a)
            #expect(abs(risk.valueAtRisk - trueVaR) <= 4 * se,
                    "VaR_\(a) = \(risk.valueAtRisk), closed form \(trueVaR), SE \(se)")
            let trueES = 1 - exp(Self.mu * T) * S.Phi(z - s) / (1 - a)
            let esSE = try #require(risk.expectedShortfallStandardError)
            #expect(abs(risk.expectedShortfall - trueES) <= 4 * esSE,
                    "ES_\(a) = \(risk.expectedShortfall), closed form \(trueES), SE \(esSE)")
            #expect(risk.expectedShortfall >= risk.valueAtRisk)
        }
    }

    /// Student-t copula (v2): the copula changes only the dependence; each factor is mapped to a
    /// uniform and the log return uses `Phi^-1(u)`, so `W_T` is exactly the same log-normal as
    /// under the Gaussian copula: mean, VaR and ES against the closed forms (v1 used t log
    /// returns, whose exponential has an infinite mean, and fails this).
    @Test(arguments: [4, 3])
    func studentTCopulaKeepsLogNormalMarginal(dof: Int) throws {
        let n = 100_000
        let run = try S.run(Self.yaml(copula: "{type: student-t, dof: \(dof)}", stepsPerYear: 4), seed: 13, paths: n)
        let w = run.paths("native").terminalWealth
        let st = run.stats("native")
        let T = Self.horizon, m = (Self.mu - Self.sigma * Self.sigma / 2) * T, s = Self.sigma * T.squareRoot()
        let (mean, sd) = S.meanSD(w)
        #expect(abs(mean - exp(Self.mu * T)) <= 4 * sd / Double(n).squareRoot(),
                "E[W_T] = \(mean), closed form \(exp(Self.mu * T))")
        let logs = w.map { log($0) }
        let (logMean, logSD) = S.meanSD(logs)
        #expect(abs(logMean - m) <= 4 * logSD / Double(n).squareRoot())
        // Var(log W_T) = s^2 with SE s^2 sqrt(2 / N) for a Gaussian sample.
        #expect(abs(logSD * logSD - s * s) <= 4 * s * s * (2.0 / Double(n)).squareRoot(), "Var(log W_T) = \(logSD * logSD)")
        for (i, a) in run.report.alphas.enumerated() {
            let z = S.PhiInv(1 - a)
            let wq = exp(m + s * z)
            let se = (a * (1 - a) / Double(n)).squareRoot() / (S.phi(z) / (wq * s))
            #expect(abs(st.loss[i].valueAtRisk - (1 - wq)) <= 4 * se,
                    "VaR_\(a) = \(st.loss[i].valueAtRisk), closed form \(1 - wq), SE \(se)")
            let trueES = 1 - exp(Self.mu * T) * S.Phi(z - s) / (1 - a)
            let esSE = try #require(st.loss[i].expectedShortfallStandardError)
            #expect(abs(st.loss[i].expectedShortfall - trueES) <= 4 * esSE)
        }
    }
}
