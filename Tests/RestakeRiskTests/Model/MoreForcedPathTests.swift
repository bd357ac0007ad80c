import Foundation
import Testing
@testable import RestakeRisk

/// More deterministic features: incident jumps of a token's discount (`exposed_to`), reward
/// price ratios, base-layer slashing; and the jump component of prices.
@Suite struct ModelMoreForcedPathTests {
    typealias S = ModelTestSupport

    static func single(_ run: S.Run, _ name: String) -> (wealth: Double, slashing: Double, incidents: UInt32) {
        let p = run.paths(name)
        #expect(p.terminalWealth.allSatisfy { $0 == p.terminalWealth[0] }, "\(name): paths differ")
        return (p.terminalWealth[0], p.slashingLoss[0], p.incidents[0])
    }

    /// AVSs a and b have an incident every step, c never. Token T1 (exposed to a and c) gets
    /// `incident_jump` 0.02 per step, clipped at max 0.15; T2 (default: exposed to all) gets
    /// 2 * 0.02. With decay `2^(-dt 365 / 300)`: `D_k = min(D_{k-1} decay + jumps, max)`, and a
    /// strategy that only holds the token has `W_T = R_T = 1 - D_T` (no yield, no AVS of its own:
    /// the discount moves with the incidents of any exposed AVS).
    @Test func incidentJumpsFollowExposedTo() throws {
        let yaml = """
            name: incident-jump
            horizon_years: 1
            steps_per_year: 12
            assets:
              - {name: ETH, price: 3000, volatility: 0.7}
            avs:
              - {name: a, incident_rate: 1.0, severity: {fixed: 0.0}}
              - {name: b, incident_rate: 1.0, severity: {fixed: 0.0}}
              - {name: c, incident_rate: 0.0, severity: {fixed: 0.0}}
            tokens:
              - {name: T1, underlying: ETH, depeg: {rate: 0.0, severity: {fixed: 0.5}, half_life_days: 300, incident_jump: 0.02, max: 0.15}, exposed_to: [a, c]}
              - {name: T2, underlying: ETH, depeg: {rate: 0.0, severity: {fixed: 0.5}, half_life_days: 300, incident_jump: 0.02}}
            strategies:
              - {name: t1, asset: ETH, token: T1, base_apr: 0.0}
              - {name: t2, asset: ETH, token: T2, base_apr: 0.0}
            """
        let run = try S.run(yaml, paths: 1024)
        let decay = exp2(-(1.0 / 12) * 365 / 300)
        var d1 = 0.0, d2 = 0.0
        var clipped = false
        for _ in 0..<12 {
            d1 = min(d1 * decay + 0.02, 0.15)
            d2 = min(d2 * decay + 0.04, 1)
            if d1 == 0.15 { clipped = true }
        }
        #expect(clipped, "the test should exercise the clip")
        #expect(S.relClose(Self.single(run, "t1").wealth, 1 - d1, 1e-12), "T1: W_T \(Self.single(run, "t1").wealth), want \(1 - d1)")
        #expect(S.relClose(Self.single(run, "t2").wealth, 1 - d2, 1e-12), "T2: W_T \(Self.single(run, "t2").wealth), want \(1 - d2)")
    }

    /// Zero-volatility prices: ETH drifts at 5%, EIGEN at -30% a year, so after step k the price
    /// ratio of an EIGEN-paid reward is `exp((-0.3 - 0.05) k / 12)`. Per step
    /// `stake *= 1 + (0.03 + 0.12 * 0.9 * ratio_k + 0.06 * 0.9) / 12` (operator fee 10% on both
    /// AVS rewards, b paid in ETH). In the asset numeraire.
    @Test func rewardPriceRatio() throws {
        let yaml = """
            name: reward-price
            horizon_years: 1
            steps_per_year: 12
            assets:
              - {name: ETH, price: 3000, drift: 0.05, volatility: 0.0}
              - {name: EIGEN, price: 1, drift: -0.3, volatility: 0.0}
            avs:
              - {name: a, incident_rate: 0.0, severity: {fixed: 0.1}, reward_apr: 0.12, reward_asset: EIGEN}
              - {name: b, incident_rate: 0.0, severity: {fixed: 0.1}, reward_apr: 0.06}
            strategies:
              - {name: s, asset: ETH, base_apr: 0.03, fees: {operator: 0.1}, restake: {security: shared, avs: [a, b]}}
              - {name: iso, asset: ETH, base_apr: 0.03, fees: {operator: 0.1}, restake: {security: isolated, avs: {a: 0.25, b: 0.5}}}
            """
        let run = try S.run(yaml, paths: 1024)
        var shared = 1.0, isolated = 1.0
        for k in 1...12 {
            let ratio = exp(-0.35 * Double(k) / 12)
            shared *= 1 + (0.03 + 0.12 * 0.9 * ratio + 0.06 * 0.9) / 12
            isolated *= 1 + (0.03 + 0.25 * 0.12 * 0.9 * ratio + 0.5 * 0.06 * 0.9) / 12
        }
        #expect(S.relClose(Self.single(run, "s").wealth, shared, 1e-12), "shared: \(Self.single(run, "s").wealth) vs \(shared)")
        #expect(S.relClose(Self.single(run, "iso").wealth, isolated, 1e-12), "isolated: \(Self.single(run, "iso").wealth) vs \(isolated)")
    }

    /// Base-layer slashing with rate 1 (every step) and severity 0.01, quarterly steps, base 4%:
    /// - `W_T = (0.99 (1 + 0.01))^4`, `L_s = sum_k 0.01 f^k`, f = 0.99 * 1.01, attributed to
    ///   `base`; no AVS incident, so `sell` never triggers and incidents = 0;
    /// - full insurance (coverage 1) does not cover base-layer slashing (MODEL.md v2).
    @Test func baseLayerSlashing() throws {
        let yaml = """
            name: base-slashing
            horizon_years: 1
            steps_per_year: 4
            assets:
              - {name: ETH, price: 3000, volatility: 0.7}
            avs:
              - {name: never, incident_rate: 0.0, severity: {fixed: 0.5}}
            strategies:
              - name: base-only
                asset: ETH
                base_apr: 0.04
                base_slashing: {rate: 1.0, severity: {fixed: 0.01}}
                restake: {security: shared, avs: [never]}
                exit: {on_incident: sell}
              - name: base-insured
                asset: ETH
                base_apr: 0.04
                base_slashing: {rate: 1.0, severity: {fixed: 0.01}}
                insurance: {coverage: 1.0}
            """
        let run = try S.run(yaml, paths: 1024)
        let f = 0.99 * 1.01
        let only = Self.single(run, "base-only")
        #expect(S.relClose(only.wealth, pow(f, 4.0), 1e-12), "base-only W_T \(only.wealth)")
        let lossOnly = 0.01 * (1 - pow(f, 4.0)) / (1 - f)
        #expect(S.relClose(only.slashing, lossOnly, 1e-12))
        #expect(only.incidents == 0)
        let entries = run.stats("base-only").attribution[1]
        #expect(entries.map(\.source) == ["never", "base"])
        #expect(entries[0].expectedLoss == 0)
        #expect(S.relClose(entries[1].expectedLoss, lossOnly, 1e-12))
        #expect(S.relClose(entries[1].esContribution, lossOnly, 1e-12))

        // MODEL.md v2: insurance covers AVS and operator losses, not base-layer slashing, so the
        // insured strategy behaves exactly like the uninsured one.
        let insured = Self.single(run, "base-insured")
        #expect(S.relClose(insured.wealth, pow(f, 4.0), 1e-12), "base-insured W_T \(insured.wealth)")
        #expect(S.relClose(insured.slashing, lossOnly, 1e-12))
        #expect(run.stats("base-insured").slashingProbability == 1)
    }

    /// USD numeraire, ETH sigma = 0.3, mu = 0.02, jumps {rate 2, mean -0.1, sd 0.05}, 12 steps:
    /// a jump happens per step with probability `pj = 1 - exp(-2/12)`, so
    /// - `E[W_T] = exp(mu T) (1 - pj + pj exp(m + s^2/2))^12`,
    /// - `E[log W_T] = (mu - sigma^2/2) T + 12 pj m`,
    /// - `Var(log W_T) = sigma^2 T + 12 (pj (s^2 + m^2) - pj^2 m^2)`,
    /// each within 4 SE (100,000 paths).
    @Test func priceJumpMoments() throws {
        let yaml = """
            name: jumps
            horizon_years: 1
            steps_per_year: 12
            numeraire: usd
            assets:
              - {name: ETH, price: 3000, drift: 0.02, volatility: 0.3, jumps: {rate: 2.0, mean: -0.1, sd: 0.05}}
            strategies:
              - {name: native, asset: ETH, base_apr: 0.0}
            """
        let n = 100_000
        let run = try S.run(yaml, seed: 12, paths: n)
        let w = run.paths("native").terminalWealth
        let pj = -expm1(-2.0 / 12), m = -0.1, s = 0.05, mu = 0.02, sigma = 0.3
        let (mean, sd) = S.meanSD(w)
        let expectedMean = exp(mu) * pow(1 - pj + pj * exp(m + s * s / 2), 12.0)
        #expect(abs(mean - expectedMean) <= 4 * sd / Double(n).squareRoot(), "E[W_T] \(mean), want \(expectedMean)")
        let logs = w.map { log($0) }
        let (logMean, logSD) = S.meanSD(logs)
        let expectedLogMean = mu - sigma * sigma / 2 + 12 * pj * m
        #expect(abs(logMean - expectedLogMean) <= 4 * logSD / Double(n).squareRoot(), "E[log W_T] \(logMean), want \(expectedLogMean)")
        var m2 = 0.0, m4 = 0.0
        for x in logs { let d = (x - logMean) * (x - logMean); m2 += d; m4 += d * d }
        m2 /= Double(n); m4 /= Double(n)
        let expectedVar = sigma * sigma + 12 * (pj * (s * s + m * m) - pj * pj * m * m)
        let se = ((m4 - m2 * m2) / Double(n)).squareRoot()
        #expect(abs(logSD * logSD - expectedVar) <= 4 * se, "Var(log W_T) \(logSD * logSD), want \(expectedVar)")
    }
}
