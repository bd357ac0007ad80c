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

    /// Student-t copula (nu = 10): each step's shock is `sigma sqrt(dt) z sqrt((nu - 2)/nu)` with
    /// z ~ t_nu (variance nu / (nu - 2)), so the shock has unit variance and
    /// `Var(log W_T) = sigma^2 T`, `E[log W_T] = (mu - sigma^2/2) T` (E[W_T] itself is infinite under
    /// a t shock, so it is not tested). SE of the sample variance: `sqrt((m4 - s^4) / N)` from the
    /// sample's own fourth central moment. Without the scaling the variance would be 1.25 times
    /// larger: that must be excluded.
    @Test func studentTPriceVarianceMatchesGaussian() throws {
        let n = 100_000
        let nu = 10.0
        let run = try S.run(Self.yaml(copula: "{type: student-t, dof: \(Int(nu))}", stepsPerYear: 3),
                            seed: 11, paths: n)
        let logs = run.paths("native").terminalWealth.map { log($0) }
        let T = Self.horizon
        let (mean, sd) = S.meanSD(logs)
        #expect(abs(mean - (Self.mu - Self.sigma * Self.sigma / 2) * T) <= 4 * sd / Double(n).squareRoot())
        var m2 = 0.0, m4 = 0.0
        for x in logs { let d = (x - mean) * (x - mean); m2 += d; m4 += d * d }
        m2 /= Double(n); m4 /= Double(n)
        let variance = sd * sd
        let se = ((m4 - m2 * m2) / Double(n)).squareRoot()
        let target = Self.sigma * Self.sigma * T
        #expect(abs(variance - target) <= 4 * se, "Var(log W_T) = \(variance), want \(target), SE \(se)")
        #expect(abs(variance - target * nu / (nu - 2)) > 4 * se, "variance looks unscaled")
        // The same check under the Gaussian copula, same seed and steps.
        let gauss = try S.run(Self.yaml(copula: "gaussian", stepsPerYear: 3), seed: 11, paths: n)
        let g = S.meanSD(gauss.paths("native").terminalWealth.map { log($0) })
        let gse = target * (2.0 / Double(n)).squareRoot()
        #expect(abs(g.sd * g.sd - target) <= 4 * gse, "Gaussian Var(log W_T) = \(g.sd * g.sd)")
        // Fat tails: 6 steps of unit-variance t_10 shocks (excess kurtosis 6/(nu-4) = 1 each) give
        // a kurtosis of 3 + 1/6; the Gaussian's is 3.
        #expect(m4 / (m2 * m2) > 3.05, "kurtosis \(m4 / (m2 * m2))")
    }
}
