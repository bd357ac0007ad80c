import Foundation
import Testing
@testable import RestakeRisk

/// `PATH=VALUE` overrides (issue 10 item 1): every kind of path, and each refusal.
@Suite struct ScenarioOverrideTests {
    static func load(_ overrides: String..., yaml: String = ScenarioFixtures.base) throws -> Scenario {
        var list: [ScenarioOverride] = []
        for o in overrides { list.append(try ScenarioOverride(parsing: o)) }
        return try Scenario(yaml: yaml, overrides: list)
    }

    static func refusal(_ overrides: String..., yaml: String = ScenarioFixtures.base) -> ScenarioError? {
        do {
            var list: [ScenarioOverride] = []
            for o in overrides { list.append(try ScenarioOverride(parsing: o)) }
            _ = try Scenario(yaml: yaml, overrides: list)
            return nil
        } catch {
            return error
        }
    }

    @Test func topLevelAndIndexedAndNamedPaths() throws {
        let s = try Self.load("horizon_years=2", "avs[1].incident_rate=0.05", "avs[da].reward_apr=0.01",
                              "strategies[loop].leverage.ratio=5", "assets[ETH].jumps.rate=0.5")
        #expect(s.horizonYears == 2)
        #expect(s.avs[1].incidentRate == 0.05)
        #expect(s.avs[0].rewardApr == 0.01)
        #expect(s.strategies[1].leverage?.ratio == 5)
        #expect(s.assets[0].jumps?.rate == 0.5)
    }

    @Test func mapKeysAndFlowValues() throws {
        let s = try Self.load("correlation.systemic.ETH=0.7", "correlation.systemic.bridge=0.2",
                              "avs[bridge].severity={beta: [2, 8]}", "strategies[isolated].restake.avs[da]=0.5",
                              "tokens[LRT].exposed_to=[da, bridge]")
        guard case .systemic(let b)? = s.correlation?.form else { Issue.record("not systemic"); return }
        #expect(b["ETH"] == 0.7)
        #expect(b["bridge"] == 0.2, "a new key in a map of names is added")
        #expect(s.avs[1].severity == .beta(a: 2, b: 8))
        #expect(s.strategies[2].allocation(to: "da") == 0.5)
        #expect(s.tokens[1].exposedTo == ["da", "bridge"])
    }

    @Test func absentBlocksAreCreatedAndEmptyValuesRemove() throws {
        let s = try Self.load("strategies[native].exit.withdrawal_delay_days=7", "strategies[loop].leverage.bonus=",
                              "stress=[{at_days: 10, asset_return: {ETH: -0.2}}]", "stress[0].at_days=30")
        #expect(s.strategies[0].exit.withdrawalDelayDays == 7)
        #expect(s.strategies[1].leverage?.bonus == 0, "an empty value removes the field: its default")
        #expect(s.stress.map(\.atDays) == [30])
    }

    @Test func aLaterOverrideWins() throws {
        #expect(try Self.load("avs[da].incident_rate=0.2", "avs[da].incident_rate=0.3").avs[0].incidentRate == 0.3)
    }

    @Test func aDocumentServesManyOverrideSets() throws {
        let doc = try ScenarioDocument(yaml: ScenarioFixtures.base)
        var rates: [Double] = []
        for x in [0.01, 0.02, 0.04] {
            rates.append(try doc.scenario(overrides: [ScenarioOverride(parsing: "avs[bridge].incident_rate=\(x)")]).avs[1].incidentRate)
        }
        #expect(rates == [0.01, 0.02, 0.04])
        #expect(try doc.scenario().avs[1].incidentRate == 0.03, "the document itself is unchanged")
    }

    @Test func overridesThroughMergeKeysKeepTheRestOfTheBlock() throws {
        let yaml = ScenarioFixtures.replacing("  - {name: bridge, incident_rate: 0.03, severity: {fixed: 0.05}}",
                                              with: "  - &b {name: bridge, incident_rate: 0.03, severity: {fixed: 0.05}}\n  - {<<: *b, name: third}")
        let s = try Self.load("avs[third].incident_rate=0.2", yaml: yaml)
        #expect(s.avs[2].incidentRate == 0.2 && s.avs[2].severity == .fixed(0.05))
        #expect(s.avs[1].incidentRate == 0.03, "the anchored block is not edited")
    }

    @Test(arguments: [
        ("avs[bridge].incident_rte=0.05", "avs[bridge].incident_rte", "did you mean 'incident_rate'"),
        ("horizon=2", "horizon", "unknown field 'horizon'"),
        ("avs[bridgee].incident_rate=0.05", "avs[bridgee]", "no element named 'bridgee' in avs (did you mean 'bridge'?)"),
        ("avs[7].incident_rate=0.05", "avs[7]", "index 7 is out of range: avs has 2 elements"),
        ("avs.incident_rate=0.05", "avs.incident_rate", "is a list"),
        ("avs[bridge].incident_rate", "avs[bridge].incident_rate", "no '=' found"),
        ("avs[bridge.incident_rate=1", "avs[bridge.incident_rate", "not closed"),
        ("avs[bridge].incident_rate={a: [", "avs[bridge].incident_rate", "bad value"),
        ("name.x=1", "name.x", "not a map"),
        ("=1", "", "it is empty"),
    ] as [(String, String, String)])
    func refusals(text: String, path: String, message: String) {
        let e = Self.refusal(text)
        #expect(e?.path == path, "\(String(describing: e))")
        #expect(e?.message.contains(message) == true, "\(String(describing: e))")
    }

    @Test func aBadValueIsValidatedAsTheFileWouldBe() {
        let e = Self.refusal("avs[bridge].incident_rate=2")
        #expect(e?.path == "avs[1].incident_rate")
        #expect(e?.message.contains("[0, 1]") == true)
        #expect(Self.refusal("avs[bridge].incident_rate='0.5'")?.message.contains("expected a number") == true)
    }

    @Test func componentsAreParsed() throws {
        let o = try ScenarioOverride(parsing: "strategies[lrt-loop-3x].leverage.ratio=5")
        #expect(o.components == [.key("strategies"), .selector("lrt-loop-3x"), .key("leverage"), .key("ratio")])
        #expect(o.value == "5")
        #expect(o.description == "strategies[lrt-loop-3x].leverage.ratio=5")
        #expect(try ScenarioOverride(parsing: "correlation.matrix[3][1]=0.2").components
                == [.key("correlation"), .key("matrix"), .selector("3"), .selector("1")])
    }
}
