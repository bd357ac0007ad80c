import Testing
@testable import RestakeRisk

/// Anchors and merge keys let a file state a shared block once; they must not hide typos.
@Suite struct ScenarioAnchorTests {
    static let yaml = """
        name: a
        horizon_years: 1
        assets: [{name: ETH, price: 1, volatility: 0.5}]
        strategies:
          - &s {name: s, asset: ETH, base_apr: 0.03, base_slashing: &bs {rate: 0.001, severity: {fixed: 0.01}}}
          - {name: t, asset: ETH, base_apr: 0.04, base_slashing: *bs}
          - {<<: *s, name: u}
        """

    @Test func aliasesAndMergeKeysAreResolved() throws {
        let s = try Scenario(yaml: Self.yaml)
        #expect(s.strategies.map(\.name) == ["s", "t", "u"])
        #expect(s.strategies[1].baseSlashing == s.strategies[0].baseSlashing)
        #expect(s.strategies[2].baseApr == 0.03, "merged from the anchor")
        #expect(s.strategies[2].baseSlashing?.rate == 0.001)
    }

    @Test func typoInsideAMergedBlockIsStillAnError() {
        let yaml = ScenarioFixtures.replacing("base_apr: 0.03,", with: "base_aprr: 0.03,", in: Self.yaml)
        let e = ScenarioFixtures.error(yaml)
        #expect(e?.path == "strategies[0].base_aprr")
        #expect(e?.message.contains("did you mean 'base_apr'") == true)
    }

    @Test func duplicateKeyNamesTheKeyAndLine() {
        let e = ScenarioFixtures.error(ScenarioFixtures.replacing("horizon_years: 1", with: "horizon_years: 1\nhorizon_years: 2"))
        #expect(e?.message.contains("duplicate key 'horizon_years'") == true)
        #expect(e?.message.contains("line 2") == true)
    }
}
