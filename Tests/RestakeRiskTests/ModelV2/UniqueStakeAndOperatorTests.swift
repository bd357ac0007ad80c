import Foundation
import Testing
@testable import RestakeRisk

/// Closed forms for MODEL.md v2's slashing: exact unique stake, operators, vetoes.
///
/// The scenarios are built as `Scenario` values and compiled directly, so these tests pin the
/// kernel's semantics independently of the file format.
@Suite("Model v2: unique stake, operators, vetoes")
struct UniqueStakeAndOperatorTests {
    typealias S = ModelTestSupport

    static func run(_ scenario: Scenario, paths: Int, seed: UInt64 = 5) -> (CompiledModel, SimulationResult, RunReport) {
        let model = try! CompiledModel.compile(scenario).model
        let result = Simulation.run(model: model, seed: seed, paths: paths, threads: 2)
        return (model, result, RunReport(scenarioName: scenario.name, model: model, result: result, seed: seed))
    }

    static let eth = Scenario.Asset(name: "ETH", price: 3000, volatility: 0.5)
    static let severities = [0.1, 0.25, 0.4]
    static func avs(rate: Double, veto: Double = 0) -> [Scenario.AVS] {
        severities.enumerated().map { j, s in
            Scenario.AVS(name: "avs-\(j)", incidentRate: rate, severity: .fixed(s), vetoProbability: veto)
        }
    }

    /// One step, every AVS hit (rate 1), fixed severities: isolated loses exactly `sum_j m_j s_j`
    /// (no slash shrinks another AVS's allocation), shared `1 - prod_j (1 - s_j)`.
    @Test func uniqueStakeIsExact() {
        let m = [0.5, 0.3, 0.2]
        let scenario = Scenario(
            name: "unique", horizonYears: 1, stepsPerYear: 1, assets: [Self.eth], avs: Self.avs(rate: 1),
            strategies: [
                .init(name: "isolated", asset: "ETH", baseApr: 0,
                      restake: .init(security: .isolated, allocations: m.enumerated().map { .init(avs: "avs-\($0)", fraction: $1) })),
                .init(name: "shared", asset: "ETH", baseApr: 0,
                      restake: .init(security: .shared, allocations: (0..<3).map { .init(avs: "avs-\($0)", fraction: 1) })),
            ])
        let (_, result, _) = Self.run(scenario, paths: 2000)
        let isolated = zip(m, Self.severities).reduce(0) { $0 + $1.0 * $1.1 }
        let shared = 1 - Self.severities.reduce(1) { $0 * (1 - $1) }
        for p in 0..<2000 {
            #expect(abs(result.strategies[0].slashingLoss[p] - isolated) <= 1e-15)
            #expect(abs(result.strategies[1].slashingLoss[p] - shared) <= 1e-15)
            #expect(abs(result.strategies[0].terminalWealth[p] - (1 - isolated)) <= 1e-15)
        }
        #expect(result.strategies[0].incidents.allSatisfy { $0 == 3 })
    }

    /// One operator serving n = 3 AVSs (AVS rates 0), fixed fault severity s, fault rate p, T
    /// steps: the number of faults K is Binomial(T, q) and `L_s = 1 - (1 - s)^(n K)` under
    /// shared security; under isolated each fault takes s of every exposed allocation. Checked:
    /// every path's loss is one of those values, the law of K within 4 SE, attribution to the
    /// operator, and that a fault triggers the exit.
    @Test func operatorFaultsCompound() throws {
        let s = 0.2, p = 0.3, steps = 4
        let q = 1 - pow(1 - p, 1.0 / Double(steps))
        var scenario = Scenario(
            name: "operators", horizonYears: 1, stepsPerYear: steps, assets: [Self.eth], avs: Self.avs(rate: 0),
            strategies: [
                .init(name: "shared", asset: "ETH", baseApr: 0,
                      restake: .init(security: .shared, allocations: (0..<3).map { .init(avs: "avs-\($0)", fraction: 1) },
                                     operators: [.init(operator: "op", fraction: 1)])),
                .init(name: "isolated", asset: "ETH", baseApr: 0,
                      restake: .init(security: .isolated, allocations: [.init(avs: "avs-0", fraction: 0.5), .init(avs: "avs-1", fraction: 0.2)],
                                     operators: [.init(operator: "op", fraction: 1)])),
                .init(name: "sells", asset: "ETH", baseApr: 0,
                      restake: .init(security: .shared, allocations: [.init(avs: "avs-0", fraction: 1)],
                                     operators: [.init(operator: "op", fraction: 1)]),
                      exit: .init(onIncident: .sell)),
            ])
        scenario.operators = [.init(name: "op", faultRate: p, faultSeverity: .fixed(s), serves: ["avs-0", "avs-1", "avs-2"])]
        let n = 40_000
        let (model, result, report) = Self.run(scenario, paths: n)
        #expect(model.attributionSources(of: 0) == ["avs-0", "avs-1", "avs-2", "op", "base"])
        var counts = [Int](repeating: 0, count: steps + 1)
        for path in 0..<n {
            let k = Int(result.strategies[0].incidents[path])
            counts[k] += 1
            let want = 1 - pow(1 - s, Double(3 * k))
            #expect(abs(result.strategies[0].slashingLoss[path] - want) <= 1e-14, "path \(path): \(k) faults")
            // Isolated: each fault takes s of the 0.5 and 0.2 allocations.
            let iso = 0.7 * (1 - pow(1 - s, Double(k)))
            #expect(abs(result.strategies[1].slashingLoss[path] - iso) <= 1e-14)
            // The seller exits at the first fault: one fault's loss at most.
            #expect(result.strategies[2].slashingLoss[path] <= s + 1e-15)
            #expect((result.strategies[2].exitStep[path] != StrategyPaths.never) == (k > 0))
        }
        for k in 0...steps {
            let exact = Double((0..<k).reduce(1) { $0 * (steps - $1) } / (1...max(k, 1)).reduce(1, *)) * pow(q, Double(k)) * pow(1 - q, Double(steps - k))
            let observed = Double(counts[k]) / Double(n)
            #expect(abs(observed - exact) <= 4 * (exact * (1 - exact) / Double(n)).squareRoot() + 1e-12,
                    "P(K = \(k)) = \(observed), binomial \(exact)")
        }
        // Attribution: every loss is the operator's.
        let entries = report.strategies[0].attribution[1]
        #expect(entries[3].source == "op")
        #expect(S.relClose(entries[3].esContribution, report.strategies[0].slashing[1].expectedShortfall, 1e-12))
        #expect(entries[0].expectedLoss == 0 && entries[4].expectedLoss == 0)
    }

    /// Vetoes thin incidents by (1 - v): the mean count of incidents hitting a strategy is
    /// `T q (1 - v)` per AVS (within 4 SE); a vetoed incident still moves the token's discount.
    @Test func vetoesThinIncidents() {
        let v = 0.6, p = 0.5, steps = 12
        let q = 1 - pow(1 - p, 1.0 / Double(steps))
        var scenario = Scenario(
            name: "veto", horizonYears: 1, stepsPerYear: steps, assets: [Self.eth],
            avs: [Scenario.AVS(name: "a", incidentRate: p, severity: .fixed(0.1), vetoProbability: v),
                  Scenario.AVS(name: "always-vetoed", incidentRate: p, severity: .fixed(0.1), vetoProbability: 1)],
            tokens: [Scenario.Token(name: "LRT", underlying: "ETH",
                                    depeg: .init(rate: 0, severity: .fixed(0), halfLifeDays: 1e9, incidentJump: 0.05, max: 1),
                                    exposedTo: ["always-vetoed"])],
            strategies: [
                .init(name: "a", asset: "ETH", baseApr: 0, restake: .init(security: .shared, allocations: [.init(avs: "a", fraction: 1)])),
                .init(name: "lrt", asset: "ETH", token: "LRT", baseApr: 0,
                      restake: .init(security: .shared, allocations: [.init(avs: "always-vetoed", fraction: 1)])),
            ])
        scenario.numeraire = .asset
        let n = 40_000
        let (_, result, _) = Self.run(scenario, paths: n)
        let counts = result.strategies[0].incidents.map(Double.init)
        let (mean, sd) = S.meanSD(counts)
        let want = Double(steps) * q * (1 - v)
        #expect(abs(mean - want) <= 4 * sd / Double(n).squareRoot(), "mean incidents \(mean), want \(want)")
        // Never slashed, but the discount moved on the paths where the vetoed AVS had incidents.
        #expect(result.strategies[1].slashingLoss.allSatisfy { $0 == 0 })
        #expect(result.strategies[1].incidents.allSatisfy { $0 == 0 })
        let depegged = result.strategies[1].terminalWealth.filter { $0 < 1 - 1e-12 }.count
        let pAny = 1 - pow(1 - q, Double(steps))
        #expect(abs(Double(depegged) / Double(n) - pAny) <= 4 * (pAny * (1 - pAny) / Double(n)).squareRoot())
    }
}
