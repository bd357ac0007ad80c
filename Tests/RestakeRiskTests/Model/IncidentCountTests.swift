import Foundation
import Testing
@testable import RestakeRisk

/// The law of the number of AVS incidents, independent and under a one-factor Gaussian copula.
@Suite struct ModelIncidentCountTests {
    typealias S = ModelTestSupport

    /// Checks every `P(K = k)` whose expected count is at least 5 within 4 SE
    /// (`SE = sqrt(P (1 - P) / N)`), and the lumped rest likewise; returns the chi-square statistic
    /// over the same cells for the message.
    static func checkLaw(_ counts: [UInt32], _ law: [Double], _ label: String,
                         sourceLocation: SourceLocation = #_sourceLocation) {
        let n = Double(counts.count)
        let maxK = max(law.count - 1, Int(counts.max() ?? 0))
        let freq = S.frequencies(counts, maxK: maxK)
        var restP = 0.0, restF = 0.0
        for k in 0...maxK {
            let p = k < law.count ? law[k] : 0
            if p * n >= 5 {
                let se = (p * (1 - p) / n).squareRoot()
                #expect(abs(freq[k] - p) <= 4 * se, "\(label): P(K=\(k)) = \(freq[k]), law \(p), SE \(se)",
                        sourceLocation: sourceLocation)
            } else {
                restP += p; restF += freq[k]
            }
        }
        let se = max(restP * (1 - restP) / n, 1 / (n * n)).squareRoot()
        #expect(abs(restF - restP) <= 4 * se + 1 / n, "\(label): rare cells \(restF) vs \(restP)",
                sourceLocation: sourceLocation)
    }

    static let p = 0.3, avsCount = 5, stepsPerYear = 12

    static var independentYAML: String {
        let names = (1...avsCount).map { "a\($0)" }
        return """
            name: independent-incidents
            horizon_years: 1
            steps_per_year: \(stepsPerYear)
            report_every_steps: \(stepsPerYear)
            assets:
              - {name: ETH, price: 3000, volatility: 0.7}
            avs:
            \(names.map { "  - {name: \($0), incident_rate: \(p), severity: {fixed: 0.0}, reward_apr: 0.01}" }.joined(separator: "\n"))
            strategies:
              - name: all
                asset: ETH
                base_apr: 0.03
                restake: {security: shared, avs: [\(names.joined(separator: ", "))]}
            \(names.map { "  - {name: only-\($0), asset: ETH, base_apr: 0.03, restake: {security: shared, avs: [\($0)]}}" }.joined(separator: "\n"))
            """
    }

    /// n = 5 independent AVSs (no correlation block: identity), annual probability p = 0.3,
    /// 12 steps: each AVS-step is an independent Bernoulli(q), `q = 1 - (1 - p)^(1/12)`, so
    /// - incidents per path of the strategy restaked to all five ~ Binomial(5 * 12, q)
    ///   (mean 60 q within 4 SE, each P(K = k) within 4 SE);
    /// - the number of AVSs hit at least once in the year ~ Binomial(5, p) (read from five
    ///   single-AVS strategies on the same draws);
    /// - per path, the five single-AVS counts add up to the all-AVS count (common random numbers);
    /// - severity 0 changes nothing: W_T = (1 + (0.03 + 5 * 0.01) / 12)^12 on every path, L_s = 0.
    @Test func independentAVSIncidentCounts() throws {
        let n = 100_000
        let run = try S.run(Self.independentYAML, seed: 2024, paths: n)
        let q = S.perStep(Self.p, dt: 1.0 / Double(Self.stepsPerYear))
        let trials = Self.avsCount * Self.stepsPerYear
        let all = run.paths("all").incidents

        let mean = Double(all.reduce(0) { $0 + Int($1) }) / Double(n)
        let se = (Double(trials) * q * (1 - q) / Double(n)).squareRoot()
        #expect(abs(mean - Double(trials) * q) <= 4 * se, "mean incidents \(mean), want \(Double(trials) * q)")
        #expect(run.stats("all").incidentsMean == mean)
        Self.checkLaw(all, (0...trials).map { S.binomialPMF($0, trials, q) }, "Binomial(nT, q)")

        var hitAVSs = [UInt32](repeating: 0, count: n)
        var sum = [UInt32](repeating: 0, count: n)
        for j in 1...Self.avsCount {
            let single = run.paths("only-a\(j)").incidents
            for i in 0..<n {
                if single[i] > 0 { hitAVSs[i] += 1 }
                sum[i] += single[i]
            }
            // Each AVS alone: hit at least once in the year with probability p.
            let hit = Double(single.filter { $0 > 0 }.count) / Double(n)
            #expect(abs(hit - Self.p) <= 4 * (Self.p * (1 - Self.p) / Double(n)).squareRoot(), "a\(j) hit rate \(hit)")
        }
        #expect(sum == all, "single-AVS counts do not add up to the all-AVS count")
        Self.checkLaw(hitAVSs, (0...Self.avsCount).map { S.binomialPMF($0, Self.avsCount, Self.p) },
                      "AVSs hit at least once ~ Binomial(n, p)")

        let w = pow(1 + (0.03 + 5 * 0.01) / 12, 12)
        let terminal = run.paths("all").terminalWealth
        #expect(terminal.allSatisfy { S.relClose($0, w, 1e-12) }, "severity 0 changed W_T")
        #expect(run.paths("all").slashingLoss.allSatisfy { $0 == 0 })
        #expect(run.stats("all").slashingProbability == 0)
    }

    /// n = 8 AVSs, p = 0.1, one-factor Gaussian copula with loading sqrt(rho) (rho = 0.3), one
    /// step of one year (q = p): the count K of AVSs with an incident (the incidents of a strategy
    /// restaked to all of them, shared security) follows
    /// `P(K = k) = ∫ Binom(k; n, p(y)) phi(y) dy`, `p(y) = Phi((Phi^-1(p) - sqrt(rho) y) / sqrt(1 - rho))`,
    /// computed here by Simpson's rule on [-10, 10]. Each P(K = k) within 4 SE; and the law is
    /// clearly not the independent Binomial(8, 0.1) (P(K >= 4) is many SEs above it).
    @Test func oneFactorGaussianCopulaCountLaw() throws {
        let n = 200_000, avs = 8, p = 0.1, rho = 0.3
        let b = rho.squareRoot()
        let names = (1...avs).map { "s\($0)" }
        let yaml = """
            name: one-factor
            horizon_years: 1
            steps_per_year: 1
            assets:
              - {name: ETH, price: 3000, volatility: 0.7}
            avs:
            \(names.map { "  - {name: \($0), incident_rate: \(p), severity: {fixed: 0.01}}" }.joined(separator: "\n"))
            correlation:
              systemic: {\(names.map { "\($0): \(b)" }.joined(separator: ", "))}
            strategies:
              - name: all
                asset: ETH
                base_apr: 0.0
                restake: {security: shared, avs: [\(names.joined(separator: ", "))]}
            """
        let run = try S.run(yaml, seed: 99, paths: n)
        #expect(run.model.steps == 1)
        let t = S.PhiInv(p)
        var law = [Double](repeating: 0, count: avs + 1)
        for k in 0...avs {
            law[k] = S.simpson(-10, 10, 4000) { y in
                let py = S.Phi((t - b * y) / (1 - rho).squareRoot())
                return S.binomialPMF(k, avs, py) * S.phi(y)
            }
        }
        #expect(abs(law.reduce(0, +) - 1) < 1e-10)
        #expect(abs((0...avs).reduce(0.0) { $0 + Double($1) * law[$1] } - Double(avs) * p) < 1e-10)
        let counts = run.paths("all").incidents
        Self.checkLaw(counts, law, "one-factor Gaussian K")

        // Clustering: P(K >= 4) far above the independent binomial's.
        let tail = Double(counts.filter { $0 >= 4 }.count) / Double(n)
        let independentTail = (4...avs).reduce(0.0) { $0 + S.binomialPMF($1, avs, p) }
        #expect(tail > independentTail + 10 * (independentTail / Double(n)).squareRoot(),
                "P(K >= 4) = \(tail), independent \(independentTail)")
        // With shared security and fixed severity 0.01, L_s = 1 - 0.99^K exactly.
        let slashing = run.paths("all").slashingLoss
        for i in 0..<1000 {
            #expect(abs(slashing[i] - (1 - pow(0.99, Double(counts[i])))) <= 1e-14)
        }
    }
}
