import Foundation
import Testing
@testable import RestakeRisk

/// Which factor drives what: price-incident coupling through the correlation matrix, depeg
/// frequencies, and severity laws.
@Suite struct ModelCouplingAndSeverityTests {
    typealias S = ModelTestSupport

    /// One yearly step, Gaussian copula, systemic loadings ETH 0.6, AVS 0.5 (rho = 0.3), AVS
    /// p = 0.1; USD numeraire so W_T of native staking is the price (median `exp(m)`,
    /// `m = (mu - sigma^2/2)`). The price falls below its median iff z_ETH < 0, so
    /// - `P(incident, price below median) = Phi2(Phi^-1(0.1), 0; 0.3)` (> 0.05 = independence),
    /// - `P(incident) = 0.1`,
    /// each within 4 SE. A strategy restaked with severity-0 AVS has the same W_T as native.
    /// Also the token LST (loading 0, p = 0.3, fixed severity 0.04, max 1) depegs on 30% of
    /// paths, independently of the price.
    @Test func priceAndIncidentCoupling() throws {
        let yaml = """
            name: coupling
            horizon_years: 1
            steps_per_year: 1
            numeraire: usd
            assets:
              - {name: ETH, price: 3000, drift: 0.05, volatility: 0.5}
            avs:
              - {name: x, incident_rate: 0.1, severity: {fixed: 0.0}}
            tokens:
              - {name: LST, underlying: ETH, depeg: {rate: 0.3, severity: {fixed: 0.04}, half_life_days: 7}}
            correlation:
              systemic: {ETH: 0.6, x: 0.5}
            strategies:
              - {name: native, asset: ETH, base_apr: 0.0}
              - {name: restaked, asset: ETH, base_apr: 0.0, restake: {security: shared, avs: [x]}}
              - {name: lst, asset: ETH, token: LST, base_apr: 0.0}
            """
        let n = 200_000
        let run = try S.run(yaml, seed: 17, paths: n)
        let price = run.paths("native").terminalWealth
        let incidents = run.paths("restaked").incidents
        #expect(run.paths("restaked").terminalWealth == price)
        let median = exp(0.05 - 0.125)
        var joint = 0, hit = 0, below = 0
        for i in 0..<n {
            if incidents[i] > 0 { hit += 1 }
            if price[i] < median { below += 1; if incidents[i] > 0 { joint += 1 } }
        }
        let pJoint = S.bivariateNormalCDF(S.PhiInv(0.1), 0, rho: 0.3)
        let fJoint = Double(joint) / Double(n)
        #expect(abs(fJoint - pJoint) <= 4 * (pJoint * (1 - pJoint) / Double(n)).squareRoot(),
                "P(incident, price < median) = \(fJoint), want \(pJoint)")
        #expect(pJoint > 0.06)
        #expect(abs(Double(hit) / Double(n) - 0.1) <= 4 * (0.09 / Double(n)).squareRoot())
        #expect(abs(Double(below) / Double(n) - 0.5) <= 4 * (0.25 / Double(n)).squareRoot())

        // The LST: W = price * R, R = 0.96 on depegged paths, 1 otherwise.
        let lst = run.paths("lst").terminalWealth
        var depegged = 0, depeggedBelow = 0
        for i in 0..<n {
            let r = lst[i] / price[i]
            if abs(r - 0.96) < 1e-12 { depegged += 1; if price[i] < median { depeggedBelow += 1 } }
            else { #expect(r == 1, "R must be 1 or 0.96, got \(r)"); if r != 1 { break } }
        }
        let fDepeg = Double(depegged) / Double(n)
        #expect(abs(fDepeg - 0.3) <= 4 * (0.21 / Double(n)).squareRoot(), "depeg frequency \(fDepeg)")
        let fDB = Double(depeggedBelow) / Double(n)
        #expect(abs(fDB - 0.15) <= 4 * (0.15 * 0.85 / Double(n)).squareRoot(), "depeg not independent of price: \(fDB)")
    }

    /// Severities: AVS x hits every step (rate 1) with Beta(2, 8) severity; in one step the shared
    /// strategy's `L_s = s`. Beta(2, 8): mean 0.2, variance 16 / (100 * 11), CDF
    /// `F(u) = 1 - (1-u)^9 - 9u(1-u)^8` (P(Binomial(9, u) >= 2)). The token's depeg (rate 1,
    /// Beta(2, 30), max 1) gives `W = 1 - d` with mean 1/16, drawn independently of the slash
    /// (sample correlation within 4/sqrt(N) of 0). All within 4 SE.
    @Test func severityLaws() throws {
        let yaml = """
            name: severity
            horizon_years: 1
            steps_per_year: 1
            assets:
              - {name: ETH, price: 3000, volatility: 0.5}
            avs:
              - {name: x, incident_rate: 1.0, severity: {beta: [2, 8]}}
            tokens:
              - {name: LRT, underlying: ETH, depeg: {rate: 1.0, severity: {beta: [2, 30]}, half_life_days: 7}}
            strategies:
              - {name: slashed, asset: ETH, base_apr: 0.0, restake: {security: shared, avs: [x]}}
              - {name: slashed-too, asset: ETH, base_apr: 0.0, restake: {security: isolated, avs: {x: 0.5}}}
              - {name: depegged, asset: ETH, token: LRT, base_apr: 0.0}
            """
        let n = 100_000
        let run = try S.run(yaml, seed: 23, paths: n)
        let s = run.paths("slashed").slashingLoss
        // Common random numbers: the same severity draw for every strategy (isolated m = 0.5).
        let half = run.paths("slashed-too").slashingLoss
        #expect(zip(s, half).allSatisfy { abs($0 * 0.5 - $1) <= 1e-16 })
        let (mean, sd) = S.meanSD(s)
        #expect(abs(mean - 0.2) <= 4 * sd / Double(n).squareRoot(), "severity mean \(mean)")
        let variance = 16.0 / 1100
        #expect(abs(sd * sd - variance) <= 4 * variance * (2.5 / Double(n)).squareRoot(), "severity variance \(sd * sd)")
        for u in [0.05, 0.1, 0.2, 0.3, 0.5] {
            let F = 1 - pow(1 - u, 9.0) - 9 * u * pow(1 - u, 8.0)
            let f = Double(s.filter { $0 <= u }.count) / Double(n)
            #expect(abs(f - F) <= 4 * (F * (1 - F) / Double(n)).squareRoot(), "P(s <= \(u)) = \(f), want \(F)")
        }
        let d = run.paths("depegged").terminalWealth.map { 1 - $0 }
        let (dMean, dSD) = S.meanSD(d)
        #expect(abs(dMean - 2.0 / 32) <= 4 * dSD / Double(n).squareRoot(), "depeg severity mean \(dMean)")
        var cov = 0.0
        for i in 0..<n { cov += (s[i] - mean) * (d[i] - dMean) }
        let corr = cov / Double(n - 1) / (sd * dSD)
        #expect(abs(corr) <= 4 / Double(n).squareRoot(), "slash and depeg severities correlated: \(corr)")
    }
}
