import Foundation
import Testing
@testable import RestakeRisk

/// MODEL.md v2, Reproducibility: draws keyed by purpose, so an edit changes only what it touches.
///
/// Every check is bit-for-bit on the `samples.csv`-level per-path columns of a strategy.
@Suite("Common random numbers across edits")
struct CommonRandomNumberTests {
    static let paths = 3 * Simulation.blockSize + 100

    /// The per-path columns of one strategy, as compared bit for bit.
    struct Columns: Equatable {
        var terminalWealth: [UInt64]
        var slashingLoss: [UInt64]
        var incidents: [UInt32]
        var liquidations: [UInt16]
        var firstSlash: [Int32]
        var firstLiquidation: [Int32]
        var exit: [Int32]
        init(_ p: StrategyPaths) {
            terminalWealth = p.terminalWealth.map(\.bitPattern)
            slashingLoss = p.slashingLoss.map(\.bitPattern)
            incidents = p.incidents; liquidations = p.liquidations
            firstSlash = p.firstSlashStep; firstLiquidation = p.firstLiquidationStep; exit = p.exitStep
        }
    }

    /// Splits a scenario's text into the part before `strategies:` and one text per strategy.
    static func split(_ yaml: String) -> (head: String, strategies: [String]) {
        let parts = yaml.components(separatedBy: "\nstrategies:\n")
        precondition(parts.count == 2)
        let blocks = parts[1].components(separatedBy: "\n  - name: ").enumerated().map { i, b in
            i == 0 ? b : "  - name: " + b
        }.filter { $0.contains("name: ") }
        return (parts[0], blocks.map { $0.hasSuffix("\n") ? $0 : $0 + "\n" })
    }

    static func join(_ head: String, _ strategies: [String]) -> String {
        head + "\nstrategies:\n" + strategies.joined()
    }

    static func columns(_ yaml: String, threads: Int = 2) throws -> [String: Columns] {
        let run = try ModelTestSupport.run(yaml, seed: 7, paths: paths, threads: threads)
        var out: [String: Columns] = [:]
        for s in run.model.strategies { out[s.name] = Columns(run.paths(s.name)) }
        return out
    }

    static func example() throws -> String {
        // Strip comments so the text splits cleanly on strategy entries.
        try ModelTestSupport.exampleYAML().split(separator: "\n", omittingEmptySubsequences: false)
            .map { line in line.trimmingCharacters(in: .whitespaces).hasPrefix("#") ? "" : String(line) }
            .joined(separator: "\n")
    }

    @Test("removing and reordering strategies leaves every other strategy bit-identical")
    func removeAndReorder() throws {
        let yaml = try Self.example()
        let base = try Self.columns(yaml)
        let (head, blocks) = Self.split(yaml)
        #expect(blocks.count == 6)
        let edited = try Self.columns(Self.join(head, [blocks[5], blocks[3], blocks[0], blocks[4]]))
        #expect(edited.count == 4)
        for (name, columns) in edited { #expect(columns == base[name], "strategy \(name) moved") }
    }

    @Test("adding a strategy or editing one (Beta base slashing, fees, leverage) leaves the others bit-identical")
    func addAndEdit() throws {
        let yaml = try Self.example()
        let base = try Self.columns(yaml)
        let (head, blocks) = Self.split(yaml)
        // A Beta base-slashing severity drew extra numbers from the shared stream in v1.
        let beta = blocks[0].replacingOccurrences(of: "severity: {fixed: 0.0002}", with: "severity: {beta: [2, 200]}")
        #expect(beta != blocks[0])
        let added = """
          - name: extra-base-slashed
            asset: ETH
            token: LRT
            base_apr: 0.04
            base_slashing: {rate: 0.05, severity: {beta: [1, 3]}}
            restake: {security: isolated, avs: {bridge: 0.5}}
            exit: {on_incident: sell}

        """
        let loop = blocks[5].replacingOccurrences(of: "ratio: 3,", with: "ratio: 2.5,")
        #expect(loop != blocks[5])
        let edited = try Self.columns(Self.join(head, [beta, added] + blocks[1...4] + [loop]))
        for name in ["lst", "restaked-shared", "restaked-isolated", "lrt"] {
            #expect(edited[name] == base[name], "strategy \(name) moved")
        }
        #expect(edited["native-staking"] != base["native-staking"], "the edit did not change the edited strategy")
        #expect(edited["lrt-loop-3x"] != base["lrt-loop-3x"])
    }

    @Test("switching the numeraire leaves slashing, incidents, liquidations and exits bit-identical")
    func numeraire() throws {
        let yaml = try Self.example()
        let base = try Self.columns(yaml)
        let usd = try Self.columns(yaml.replacingOccurrences(of: "numeraire: asset", with: "numeraire: usd"))
        for (name, b) in base {
            let u = try #require(usd[name])
            #expect(u.slashingLoss == b.slashingLoss && u.incidents == b.incidents && u.liquidations == b.liquidations
                    && u.firstSlash == b.firstSlash && u.exit == b.exit, "strategy \(name) moved")
        }
        // The total equity does change: it is now in USD.
        #expect(usd["lst"]?.terminalWealth != base["lst"]?.terminalWealth)
    }

    /// One strategy per AVS, each restaked to that AVS alone: its slashing column is a function of
    /// that AVS's incidents and severities only.
    static func perAVSScenario(bridge: String = "incident_rate: 0.030, severity: {beta: [1.5, 6]}, reward_apr: 0.012") -> String {
        let avs = ["da-layer", "oracle-net", "bridge", "sequencer"]
        return """
        name: per-avs
        horizon_years: 1
        steps_per_year: 365
        assets:
          - {name: ETH, price: 3000, volatility: 0.7}
        avs:
          - {name: da-layer,   incident_rate: 0.2, severity: {beta: [2, 38]}, reward_apr: 0.006}
          - {name: oracle-net, incident_rate: 0.3, severity: {beta: [2, 18]}, reward_apr: 0.008}
          - {name: bridge,     \(bridge)}
          - {name: sequencer,  incident_rate: 0.25, severity: {fixed: 0.05}, reward_apr: 0.005}
        correlation:
          systemic: {ETH: 0.5, da-layer: 0.4, oracle-net: 0.4, bridge: 0.3, sequencer: 0.4}
        copula: {type: student-t, dof: 4}
        strategies:
        \(avs.map { "  - {name: only-\($0), asset: ETH, base_apr: 0.03, restake: {security: shared, avs: [\($0)]}}" }.joined(separator: "\n"))
          - {name: all, asset: ETH, base_apr: 0.03, restake: {security: isolated, avs: {da-layer: 0.25, oracle-net: 0.25, bridge: 0.25, sequencer: 0.25}}}

        """
    }

    @Test("changing one AVS's incident_rate, severity or reward_apr leaves every other AVS's incidents and severities identical",
          arguments: [
              "incident_rate: 0.9, severity: {beta: [1.5, 6]}, reward_apr: 0.012",
              "incident_rate: 0.030, severity: {fixed: 0.5}, reward_apr: 0.012",
              "incident_rate: 0.030, severity: {beta: [1.5, 6]}, reward_apr: 0.2",
          ])
    func oneAVS(bridge: String) throws {
        let base = try Self.columns(Self.perAVSScenario())
        let edited = try Self.columns(Self.perAVSScenario(bridge: bridge))
        for name in ["only-da-layer", "only-oracle-net", "only-sequencer"] {
            #expect(edited[name]?.slashingLoss == base[name]?.slashingLoss, "\(name)'s slashing moved")
            #expect(edited[name]?.incidents == base[name]?.incidents, "\(name)'s incidents moved")
            #expect(edited[name]?.firstSlash == base[name]?.firstSlash)
        }
    }

    @Test("raising one AVS's incident rate only adds incidents: per-path losses and VaR/ES never fall")
    func monotoneSweep() throws {
        var previous: (run: ModelTestSupport.Run, rate: Double)?
        for rate in [0.02, 0.05, 0.1, 0.2, 0.4] {
            let yaml = Self.perAVSScenario(bridge: "incident_rate: \(rate), severity: {beta: [1.5, 6]}, reward_apr: 0.012")
                .replacingOccurrences(of: "security: isolated, avs: {da-layer: 0.25, oracle-net: 0.25, bridge: 0.25, sequencer: 0.25}",
                                      with: "security: shared, avs: [da-layer, oracle-net, bridge, sequencer]")
            let run = try ModelTestSupport.run(yaml, seed: 11, paths: Self.paths)
            if let (before, r) = previous {
                let a = before.paths("all"), b = run.paths("all")
                for p in 0..<Self.paths {
                    #expect(b.incidents[p] >= a.incidents[p], "path \(p) lost an incident from rate \(r) to \(rate)")
                    #expect(b.slashingLoss[p] >= a.slashingLoss[p], "path \(p) lost slashing from rate \(r) to \(rate)")
                    if b.slashingLoss[p] < a.slashingLoss[p] || b.incidents[p] < a.incidents[p] { return }
                }
                for (x, y) in zip(before.stats("all").slashing, run.stats("all").slashing) {
                    #expect(y.valueAtRisk >= x.valueAtRisk && y.expectedShortfall >= x.expectedShortfall)
                }
            }
            previous = (run, rate)
        }
    }

    @Test("per-path results do not depend on the thread count")
    func threads() throws {
        let yaml = try Self.example()
        #expect(try Self.columns(yaml, threads: 1) == Self.columns(yaml, threads: 3))
    }
}
