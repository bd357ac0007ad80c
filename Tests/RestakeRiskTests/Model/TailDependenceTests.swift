import Foundation
import Testing
@testable import RestakeRisk

/// Joint incidents of two AVSs in one step: Student-t copula versus Gaussian copula.
@Suite struct ModelTailDependenceTests {
    typealias S = ModelTestSupport

    static let p = 0.02

    static func yaml(rho: Double, copula: String) -> String {
        """
        name: pair
        horizon_years: 1
        steps_per_year: 1
        assets:
          - {name: ETH, price: 3000, volatility: 0.7}
        avs:
          - {name: x, incident_rate: \(p), severity: {fixed: 0.1}}
          - {name: y, incident_rate: \(p), severity: {fixed: 0.1}}
        correlation:
          factors: [ETH, x, y]
          matrix:
            - [1.0, 0.0, 0.0]
            - [0.0, 1.0, \(rho)]
            - [0.0, \(rho), 1.0]
        copula: \(copula)
        strategies:
          - {name: both, asset: ETH, base_apr: 0.0, restake: {security: shared, avs: [x, y]}}
          - {name: only-x, asset: ETH, base_apr: 0.0, restake: {security: shared, avs: [x]}}
          - {name: only-y, asset: ETH, base_apr: 0.0, restake: {security: shared, avs: [y]}}
        """
    }

    /// `P(T1 < c, T2 < c)` for a bivariate t with nu = 4 dof and correlation rho: with
    /// `T = Z / sqrt(W / nu)`, `W ~ chi2(4)` (density `w e^(-w/2) / 4`), it is
    /// `∫ Phi2(c sqrt(w/4), c sqrt(w/4); rho) w e^(-w/2) / 4 dw`, computed with `w = u^2`
    /// (smooth integrand) by Simpson's rule on u in [0, 16].
    static func tJointProbability(_ c: Double, rho: Double) -> Double {
        mixture { s in S.bivariateNormalCDF(c * s, c * s, rho: rho, intervals: 800) }
    }

    /// `E[g(c sqrt(W / 4))]` for W ~ chi2(4), i.e. `∫ g(c u / 2) u^3 e^(-u^2/2) / 2 du`.
    static func mixture(_ g: (Double) -> Double) -> Double {
        S.simpson(0, 16, 1600) { u in u == 0 ? 0 : g(u / 2) * u * u * u * exp(-u * u / 2) / 2 }
    }

    /// The t_4 CDF in closed form: `1/2 + t (t^2 + 6) / (2 (t^2 + 4)^(3/2))`.
    static func t4CDF(_ t: Double) -> Double { 0.5 + t * (t * t + 6) / (2 * pow(t * t + 4, 1.5)) }

    /// Runs the pair scenario and returns (joint frequency, marginal frequencies, threshold).
    static func jointFrequency(rho: Double, copula: String, seed: UInt64, n: Int) throws
        -> (joint: Double, x: Double, y: Double, threshold: Double) {
        let run = try S.run(yaml(rho: rho, copula: copula), seed: seed, paths: n)
        #expect(run.model.steps == 1)
        let k = run.paths("both").incidents
        let x = run.paths("only-x").incidents, y = run.paths("only-y").incidents
        var joint = 0, hx = 0, hy = 0
        for i in 0..<n {
            #expect(k[i] == x[i] + y[i])
            if k[i] == 2 { joint += 1 }
            hx += Int(x[i]); hy += Int(y[i])
        }
        #expect(run.model.services[0].threshold == run.model.services[1].threshold)
        return (Double(joint) / Double(n), Double(hx) / Double(n), Double(hy) / Double(n),
                run.model.services[0].threshold)
    }

    /// rho = 0.5, nu = 4, p = 0.02, one step (q = p):
    /// - the threshold c satisfies `F_4(c) = p` (closed-form t_4 CDF), to 1e-10;
    /// - marginal incident frequencies = p within 4 SE;
    /// - `P(both)` = the exact bivariate-t probability above within 4 SE (`sqrt(P (1 - P) / N)`);
    /// - the Gaussian copula at the same rho gives `Phi2(Phi^-1(p), Phi^-1(p); rho)` within 4 SE,
    ///   and is smaller than the t copula's joint probability by more than 4 combined SEs.
    /// For reference, P(both | x) tends to lambda = 2 t_5(-sqrt(5 * 0.5 / 1.5)) = 0.2532 as p -> 0.
    @Test func studentTJointIncidentsExceedGaussian() throws {
        let n = 300_000, rho = 0.5, p = Self.p
        let t = try Self.jointFrequency(rho: rho, copula: "{type: student-t, dof: 4}", seed: 5, n: n)
        #expect(abs(Self.t4CDF(t.threshold) - p) <= 1e-10, "t threshold \(t.threshold): F = \(Self.t4CDF(t.threshold))")
        let marginalSE = (p * (1 - p) / Double(n)).squareRoot()
        #expect(abs(t.x - p) <= 4 * marginalSE, "t marginal x \(t.x)")
        #expect(abs(t.y - p) <= 4 * marginalSE, "t marginal y \(t.y)")
        // The oracle's own consistency: its marginal is p.
        let marginal = Self.mixture { S.Phi(t.threshold * $0) }
        #expect(abs(marginal - p) < 1e-8, "oracle marginal \(marginal)")
        let tExact = Self.tJointProbability(t.threshold, rho: rho)
        let tSE = (tExact * (1 - tExact) / Double(n)).squareRoot()
        #expect(abs(t.joint - tExact) <= 4 * tSE, "t copula P(both) = \(t.joint), exact \(tExact), SE \(tSE)")

        let g = try Self.jointFrequency(rho: rho, copula: "gaussian", seed: 5, n: n)
        let h = S.PhiInv(p)
        #expect(abs(g.threshold - h) <= 1e-9, "Gaussian threshold \(g.threshold), want \(h)")
        #expect(abs(g.x - p) <= 4 * marginalSE && abs(g.y - p) <= 4 * marginalSE)
        let gExact = S.bivariateNormalCDF(h, h, rho: rho)
        let gSE = (gExact * (1 - gExact) / Double(n)).squareRoot()
        #expect(abs(g.joint - gExact) <= 4 * gSE, "Gaussian P(both) = \(g.joint), exact \(gExact), SE \(gSE)")
        #expect(gExact < tExact)
        #expect(t.joint - g.joint > 4 * (tSE * tSE + gSE * gSE).squareRoot(),
                "t joint \(t.joint) not clearly above Gaussian \(g.joint)")
    }

    /// rho = 0: the Gaussian copula makes the two AVSs independent (`P(both) = p^2`), while the
    /// t copula's shared mixing variable still couples them (`P(both)` = the bivariate-t integral
    /// at rho = 0, well above p^2: tail dependence lambda = 0.0756 at nu = 4).
    @Test func studentTCouplesUncorrelatedAVSs() throws {
        let n = 300_000, p = Self.p
        let t = try Self.jointFrequency(rho: 0, copula: "{type: student-t, dof: 4}", seed: 6, n: n)
        let tExact = Self.tJointProbability(t.threshold, rho: 0)
        let tSE = (tExact * (1 - tExact) / Double(n)).squareRoot()
        #expect(abs(t.joint - tExact) <= 4 * tSE, "t copula rho=0 P(both) = \(t.joint), exact \(tExact)")
        #expect(tExact > 2 * p * p)
        let g = try Self.jointFrequency(rho: 0, copula: "gaussian", seed: 6, n: n)
        let gSE = (p * p * (1 - p * p) / Double(n)).squareRoot()
        #expect(abs(g.joint - p * p) <= 4 * gSE, "Gaussian rho=0 P(both) = \(g.joint), want p^2 = \(p * p)")
        #expect(t.joint - g.joint > 4 * (tSE * tSE + gSE * gSE).squareRoot())
    }
}
