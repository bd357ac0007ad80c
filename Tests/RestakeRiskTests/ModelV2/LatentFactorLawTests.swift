import Foundation
import Testing
@testable import RestakeRisk

/// `correlation: {latent: ...}` against the exact law of a two-factor isolated portfolio.
///
/// One step, Gaussian copula, severities 1, allocations on a lattice of 1/20: `L_s` is the sum of
/// the allocations of the AVSs with an incident. Given the latent factors g, incidents are
/// independent with `P_j(g) = Phi((Phi^-1(q_j) - b_j . g) / sqrt(1 - |b_j|^2))`, so the law of
/// `L_s` is an exact convolution on the lattice, integrated over g by a 2-D trapezoid rule on
/// [-8, 8]^2 (spectrally accurate for this smooth Gaussian integrand).
@Suite("Latent factors: exact two-factor loss law")
struct LatentFactorLawTests {
    typealias S = ModelTestSupport

    static let rates = [0.05, 0.08, 0.03, 0.06, 0.1, 0.04]
    static let units = [2, 4, 3, 5, 2, 4]  // allocations in 1/20
    static let loadings: [[Double]] = [[0.5, 0], [0.5, 0], [0.5, 0.3], [0, 0.6], [0, 0.6], [0.2, 0.6]]

    static func scenario() -> Scenario {
        let names = rates.indices.map { "avs-\($0)" }
        let avs = rates.enumerated().map { Scenario.AVS(name: names[$0], incidentRate: $1, severity: .fixed(1)) }
        let latent = (0..<2).map { f in
            Scenario.LatentFactor(name: "F\(f)", loadings: names.indices.compactMap { j in
                loadings[j][f] == 0 ? nil : (names[j], loadings[j][f])
            })
        }
        return Scenario(
            name: "latent", horizonYears: 1, stepsPerYear: 1,
            assets: [.init(name: "ETH", price: 3000, volatility: 0.5)], avs: avs,
            correlation: .init(form: .latent(latent)),
            strategies: [.init(name: "isolated", asset: "ETH", baseApr: 0,
                               restake: .init(security: .isolated, allocations: names.indices.map {
                                   .init(avs: names[$0], fraction: Double(units[$0]) / 20)
                               }))])
    }

    /// The exact probabilities of `L_s = k / 20`, k = 0...20.
    static func exactLaw() -> [Double] {
        let total = units.reduce(0, +)
        let thresholds = rates.map { S.PhiInv($0) }
        let h = 0.1
        let grid = stride(from: -8.0, through: 8.0, by: h).map { $0 }
        var law = [Double](repeating: 0, count: total + 1)
        for g1 in grid {
            for g2 in grid {
                let w = S.phi(g1) * S.phi(g2) * h * h
                var dist = [Double](repeating: 0, count: total + 1)
                dist[0] = 1
                for j in rates.indices {
                    let b = loadings[j]
                    let p = S.Phi((thresholds[j] - b[0] * g1 - b[1] * g2) / (1 - b[0] * b[0] - b[1] * b[1]).squareRoot())
                    var next = [Double](repeating: 0, count: total + 1)
                    for k in 0...total where dist[k] != 0 {
                        next[k] += dist[k] * (1 - p)
                        if k + units[j] <= total { next[k + units[j]] += dist[k] * p }
                    }
                    dist = next
                }
                for k in 0...total { law[k] += w * dist[k] }
            }
        }
        return law
    }

    @Test func twoFactorLossLawMatchesQuadrature() throws {
        let model = try CompiledModel.compile(Self.scenario()).model
        let n = 200_000
        let result = Simulation.run(model: model, seed: 21, paths: n, threads: 2)
        let law = Self.exactLaw()
        #expect(abs(law.reduce(0, +) - 1) < 1e-9, "quadrature mass \(law.reduce(0, +))")
        var counts = [Int](repeating: 0, count: law.count)
        for x in result.strategies[0].slashingLoss {
            let k = Int((x * 20).rounded())
            #expect(abs(x * 20 - Double(k)) < 1e-9)
            counts[k] += 1
        }
        // The tail function P(L_s >= k / 20) at every lattice point, within 4 binomial SE.
        var exactTail = 0.0, observedTail = 0
        for k in stride(from: law.count - 1, through: 1, by: -1) {
            exactTail += law[k]; observedTail += counts[k]
            let se = (exactTail * (1 - exactTail) / Double(n)).squareRoot()
            #expect(abs(Double(observedTail) / Double(n) - exactTail) <= 4 * se + 1e-6,
                    "P(L_s >= \(k)/20) = \(Double(observedTail) / Double(n)), exact \(exactTail)")
        }
        // The factors are correlated: the joint law is not the independent one.
        let independentNone = Self.rates.reduce(1) { $0 * (1 - $1) }
        #expect(abs(law[0] - independentNone) > 10 * (law[0] * (1 - law[0]) / Double(n)).squareRoot())
    }
}
