import Foundation
import Testing
@testable import RestakeRisk

/// The v2 scenarios of `data/scenarios/` and the `init` templates: each loads, validates and
/// compiles, and has the shape its comments promise.
@Suite struct ShippedScenarioV2Tests {
    /// Every v2 scenario shipped in data/scenarios (the v1 files are ShippedScenarioTests').
    static let files = [
        "eigenlayer-network.yaml",
        "babylon-btc.yaml", "jito-sol.yaml", "symbiotic-vault.yaml", "karak.yaml",
        "replay-steth-2022-06.yaml", "replay-steth-2022-06-mc.yaml",
        "replay-ezeth-2024-04.yaml", "replay-ezeth-2024-04-mc.yaml",
        "replay-eth-2024-08-05.yaml", "replay-eth-2024-08-05-mc.yaml",
    ]
    /// Pure replays and their stressed Monte Carlo twins.
    static let replays = [
        ("replay-steth-2022-06.yaml", "replay-steth-2022-06-mc.yaml"),
        ("replay-ezeth-2024-04.yaml", "replay-ezeth-2024-04-mc.yaml"),
        ("replay-eth-2024-08-05.yaml", "replay-eth-2024-08-05-mc.yaml"),
    ]
    static let schemaLine = "# yaml-language-server: $schema=../../docs/scenario.schema.json"

    static func url(_ file: String) -> URL {
        ScenarioFixtures.repositoryRoot.appendingPathComponent("data/scenarios").appendingPathComponent(file)
    }

    static func load(_ file: String) throws -> Scenario { try Scenario.load(contentsOf: url(file)) }

    @Test(arguments: files + ["default.yaml"]) func loadsValidatesAndCompiles(_ file: String) throws {
        let s = try Self.load(file)
        try s.validate()
        _ = try CompiledModel.compile(s)
        #expect(!s.strategies.isEmpty)
    }

    @Test(arguments: files + ShippedScenarioTests.files) func startsWithTheSchemaLine(_ file: String) throws {
        let text = try String(contentsOf: Self.url(file), encoding: .utf8)
        #expect(text.hasPrefix(Self.schemaLine + "\n"))
    }

    @Test func defaultIsTheEmbeddedText() throws {
        let onDisk = try String(contentsOf: Self.url("default.yaml"), encoding: .utf8)
        #expect(onDisk == Scenario.defaultText)
    }

    @Test func defaultIsV2AndKeepsTheSixStrategies() throws {
        let s = try Self.load("default.yaml")
        #expect(s.strategies.map(\.name) == [
            "native-staking", "lst", "restaked-shared", "restaked-isolated", "lrt-withdraw", "lrt-loop-3x",
        ])
        #expect(!s.operators.isEmpty)
        #expect(s.avs.contains { $0.vetoProbability > 0 })
        guard case .latent(let factors)? = s.correlation?.form else {
            Issue.record("default.yaml: correlation is not latent"); return
        }
        #expect(factors.count >= 2)
        #expect(s.strategies.contains { !($0.restake?.operators.isEmpty ?? true) })
        #expect(s.stress.isEmpty, "make run's scenario has no stress events")
    }

    /// Operator fractions must sum to 1; every shipped file uses fractions that do so exactly.
    @Test(arguments: files + ["default.yaml"]) func operatorFractionsSumToOne(_ file: String) throws {
        let s = try Self.load(file)
        for strategy in s.strategies {
            guard let ops = strategy.restake?.operators, !ops.isEmpty else { continue }
            #expect(ops.reduce(0) { $0 + $1.fraction } == 1, "\(file): \(strategy.name)")
        }
    }

    @Test func networkScale() throws {
        let s = try Self.load("eigenlayer-network.yaml")
        #expect(s.avs.count >= 40)
        #expect(s.operators.count >= 200)
        #expect(s.horizonYears == 1 && s.stepsPerYear == 52, "weekly steps, one year")
        #expect((4...6).contains(s.strategies.count))
        guard case .latent(let factors)? = s.correlation?.form else {
            Issue.record("eigenlayer-network.yaml: correlation is not latent"); return
        }
        let names = factors.map(\.name)
        for prefix in ["type-", "infra-", "client-"] {
            #expect(names.filter { $0.hasPrefix(prefix) }.count >= 3, "latent factors \(prefix)*")
        }
        for t in ["da", "oracle", "bridge", "sequencer", "coprocessor"] { #expect(names.contains("type-\(t)")) }
        let operatorCounts = s.strategies.compactMap { $0.restake?.operators.count }
        #expect(operatorCounts.contains { $0 <= 3 } && operatorCounts.contains { $0 >= 32 }, "few vs many operators")
        let securities = Set(s.strategies.compactMap { $0.restake?.security })
        #expect(securities == [.shared, .isolated])
        #expect(s.strategies.allSatisfy { $0.leverage == nil })
    }

    /// The committed network file is exactly what the generator writes.
    @Test func networkMatchesItsGenerator() throws {
        let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let python else { return }  // the generator needs only Python's standard library
        let root = ScenarioFixtures.repositoryRoot
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = [root.appendingPathComponent("scripts/gen_eigenlayer_network.py").path,
                       "--check", Self.url("eigenlayer-network.yaml").path]
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "regenerate data/scenarios/eigenlayer-network.yaml")
    }

    @Test(arguments: replays) func pureReplayHasNoRandomness(_ pair: (String, String)) throws {
        let s = try Self.load(pair.0)
        #expect(!s.stress.isEmpty)
        #expect(s.assets.allSatisfy { $0.volatility == 0 && $0.jumps == nil }, "\(pair.0): assets")
        #expect(s.avs.allSatisfy { $0.incidentRate == 0 }, "\(pair.0): AVS incident rates")
        #expect(s.operators.allSatisfy { $0.faultRate == 0 }, "\(pair.0): operator fault rates")
        #expect(s.tokens.allSatisfy { ($0.depeg?.rate ?? 0) == 0 }, "\(pair.0): depeg rates")
        #expect(s.strategies.allSatisfy { ($0.baseSlashing?.rate ?? 0) == 0 }, "\(pair.0): base slashing")
    }

    @Test(arguments: replays) func monteCarloTwinReplaysTheSameEvents(_ pair: (String, String)) throws {
        let pure = try Self.load(pair.0)
        let mc = try Self.load(pair.1)
        #expect(mc.stress == pure.stress)
        #expect(mc.strategies == pure.strategies)
        #expect(mc.totalSteps == pure.totalSteps && mc.stepsPerYear == pure.stepsPerYear)
        #expect(mc.assets.contains { $0.volatility > 0 }, "\(pair.1) adds randomness")
    }

    @Test func replayShapes() throws {
        let steth = try Self.load("replay-steth-2022-06.yaml")
        #expect(steth.totalSteps == 61)
        #expect(Set(steth.strategies.compactMap { $0.leverage?.oracle }) == [.market, .exchangeRate])
        #expect(steth.stress.flatMap(\.depegs).map(\.value).max() == 0.065)

        let ezeth = try Self.load("replay-ezeth-2024-04.yaml")
        #expect(ezeth.stepsPerYear == 8760 && ezeth.totalSteps == 96, "four days of hourly steps")
        let low = try #require(ezeth.stress.first { $0.depegs.contains { $0.value == 0.78 } })
        // 02:00-03:00 UTC on 2024-04-24 is step 27 of a window starting 2024-04-23 00:00 UTC.
        #expect(Int((low.atDays * Double(ezeth.stepsPerYear) / 365).rounded(.up)) == 27)
        #expect(Set(ezeth.strategies.compactMap { $0.leverage?.oracle }) == [.market, .exchangeRate])

        let eth = try Self.load("replay-eth-2024-08-05.yaml")
        #expect(eth.numeraire == .usd && eth.totalSteps == 31)
        let crash = try #require(eth.stress.first { !$0.assetReturns.isEmpty })
        #expect(abs(crash.assetReturns[0].value - log(0.79)) < 1e-4)
        #expect(crash.depegs.contains { $0.name == "weETH" && $0.value == 0.014 })
    }

    @Test func multiChainPresets() throws {
        let babylon = try Self.load("babylon-btc.yaml")
        #expect(babylon.assets.contains { $0.name == "BTC" })
        #expect(babylon.strategies.contains { $0.exit.onIncident == .withdraw && $0.exit.withdrawalDelayDays == 7 })
        #expect(!babylon.operators.isEmpty, "finality providers")

        let jito = try Self.load("jito-sol.yaml")
        #expect(jito.assets.contains { $0.name == "SOL" } && jito.tokens.contains { $0.name == "JitoSOL" })

        let symbiotic = try Self.load("symbiotic-vault.yaml")
        #expect(symbiotic.avs.contains { $0.vetoProbability > 0 } && symbiotic.avs.contains { $0.vetoProbability == 0 })
        #expect(Set(symbiotic.strategies.compactMap { $0.restake?.security }) == [.shared, .isolated])

        let karak = try Self.load("karak.yaml")
        #expect(karak.avs.allSatisfy { $0.vetoProbability > 0 })
        #expect(karak.strategies.contains { $0.exit.withdrawalDelayDays == 9 && $0.exit.onIncident == .withdraw })
    }

    // MARK: templates

    @Test(arguments: ScenarioTemplate.allCases) func templateLoadsAndCompiles(_ template: ScenarioTemplate) throws {
        let s = try Scenario(yaml: template.text)
        _ = try CompiledModel.compile(s)
        #expect(s.name == template.rawValue)
        #expect(template.text.hasPrefix(ScenarioTemplate.schemaLinePrefix))
    }

    /// What `init` writes: the template with its schema line pointed elsewhere, and nothing else changed.
    @Test(arguments: ScenarioTemplate.allCases) func initTextValidates(_ template: ScenarioTemplate) throws {
        let written = template.text(schemaPath: "../docs/scenario.schema.json")
        #expect(written.hasPrefix("# yaml-language-server: $schema=../docs/scenario.schema.json\n"))
        let original = template.text
        #expect(written.drop { $0 != "\n" } == original.drop { $0 != "\n" })
        let s = try Scenario(yaml: written)
        try s.validate()
        _ = try CompiledModel.compile(s)
    }

    @Test func templatesOnDiskAreTheEmbeddedOnes() throws {
        let dir = ScenarioFixtures.repositoryRoot.appendingPathComponent("Sources/RestakeRisk/Resources/templates")
        let present = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }
        #expect(Set(present) == Set(ScenarioTemplate.allCases.map { "template-\($0.rawValue).yaml" }))
        for t in ScenarioTemplate.allCases {
            let text = try String(contentsOf: dir.appendingPathComponent("template-\(t.rawValue).yaml"), encoding: .utf8)
            #expect(text == t.text, "\(t.rawValue)")
        }
    }

    @Test func templateNamesParse() {
        #expect(ScenarioTemplate(rawValue: "lrt-loop") == .lrtLoop)
        #expect(ScenarioTemplate.allCases.map(\.rawValue) == ["native", "lst", "restaking", "lrt-loop", "network"])
        #expect(ScenarioTemplate.default == .restaking)
    }
}
