import Foundation
import Testing
@testable import RestakeRisk

@Suite struct ScenarioLoadingTests {
    @Test func baseFixtureLoadsWithValues() throws {
        let s = try Scenario(yaml: ScenarioFixtures.base)
        #expect(s.name == "test")
        #expect(s.assets.map(\.name) == ["ETH", "EIGEN"])
        #expect(s.assets[0].jumps == Scenario.Jumps(rate: 1, mean: -0.1, sd: 0.08))
        #expect(s.avs[0].severity == .beta(a: 2, b: 38))
        #expect(s.avs[1].severity == .fixed(0.05))
        #expect(s.avs[0].rewardAsset == "EIGEN")
        #expect(s.avs[1].rewardAsset(stakedAsset: "ETH") == "ETH")
        #expect(s.tokens[0].exposedTo == ["da", "bridge"], "exposed_to defaults to all AVSs")
        #expect(s.tokens[1].exposedTo == ["bridge"])
        #expect(s.tokens[0].depeg?.incidentJump == 0)
        #expect(s.copula == .studentT(dof: 4))
        let loop = s.strategies[1]
        #expect(loop.fees == Scenario.Fees(lst: 0.1, operator: 0.1, platform: 0.1))
        #expect(loop.restake?.security == .shared)
        #expect(loop.allocation(to: "bridge") == 1)
        #expect(loop.leverage?.closeFactor == 0.5)
        #expect(loop.leverage?.oracle == .market)
        let iso = s.strategies[2]
        #expect(iso.restake?.allocations == [.init(avs: "da", fraction: 0.4), .init(avs: "bridge", fraction: 0.3)])
        #expect(iso.allocation(to: "bridge") == 0.3)
        #expect(iso.insurance == Scenario.Insurance(coverage: 0.5, premiumApr: 0.002))
        #expect(iso.exit == Scenario.Exit(onIncident: .withdraw, withdrawalDelayDays: 14))
    }

    @Test func defaultsAreApplied() throws {
        let s = try Scenario(yaml: """
            name: minimal
            horizon_years: 2
            assets: [{name: ETH, price: 1, volatility: 0.5}]
            avs: [{name: a, incident_rate: 0.1, severity: {fixed: 0.1}}]
            strategies:
              - {name: s, asset: ETH, base_apr: 0.03}
              - {name: t, asset: ETH, base_apr: 0.03, compound_every_steps: 0,
                 insurance: {coverage: 0.2}, leverage: {ratio: 2, ltv: 0.8, liquidation_threshold: 0.85, borrow_apr: 0.02}}
            """)
        #expect(s.numeraire == .asset)
        #expect(s.stepsPerYear == 365)
        #expect(s.reportEverySteps == 7)
        #expect(s.compoundEverySteps == 1)
        #expect(s.totalSteps == 730)
        #expect(s.copula == .gaussian)
        #expect(s.correlation == nil)
        #expect(s.repairCorrelation == false)
        #expect(s.assets[0].drift == 0 && s.assets[0].jumps == nil)
        #expect(s.avs[0].rewardApr == 0 && s.avs[0].rewardAsset == nil)
        let a = s.strategies[0]
        #expect(a.fees == Scenario.Fees())
        #expect(a.defiApr == 0 && a.token == nil && a.leverage == nil && a.restake == nil)
        #expect(a.exit == Scenario.Exit(onIncident: .hold, withdrawalDelayDays: 14))
        #expect(a.compoundEverySteps == 1)
        let b = s.strategies[1]
        #expect(b.compoundEverySteps == 0, "a strategy overrides the scenario default")
        #expect(b.insurance?.premiumApr == 0)
        #expect(b.leverage == Scenario.Leverage(ratio: 2, ltv: 0.8, liquidationThreshold: 0.85, bonus: 0,
                                               borrowApr: 0.02, closeFactor: 0.5, oracle: .market))
        #expect(s.correlationMatrix() == [[1, 0], [0, 1]], "no correlation block: independent factors")
    }

    @Test func scenarioLevelCompoundingIsTheStrategyDefault() throws {
        let s = try Scenario(yaml: ScenarioFixtures.replacing("steps_per_year: 365", with: "steps_per_year: 52\ncompound_every_steps: 4"))
        #expect(s.compoundEverySteps == 4)
        #expect(s.strategies.map(\.compoundEverySteps) == [4, 4, 4])
        #expect(s.reportEverySteps == 1, "max(1, 52/52)")
    }

    @Test func copulaMayBeABareWord() throws {
        let s = try Scenario(yaml: ScenarioFixtures.replacing("copula: {type: student-t, dof: 4}", with: "copula: gaussian"))
        #expect(s.copula == .gaussian)
        let t = try Scenario(yaml: ScenarioFixtures.replacing("copula: {type: student-t, dof: 4}", with: "copula: {type: gaussian}"))
        #expect(t.copula == .gaussian)
    }

    @Test func exchangeRateOracleAndUsdNumeraire() throws {
        var yaml = ScenarioFixtures.replacing("borrow_apr: 0.025}", with: "borrow_apr: 0.025, oracle: exchange_rate, close_factor: 1}")
        yaml = ScenarioFixtures.replacing("steps_per_year: 365", with: "steps_per_year: 365\nnumeraire: usd", in: yaml)
        let s = try Scenario(yaml: yaml)
        #expect(s.strategies[1].leverage?.oracle == .exchangeRate)
        #expect(s.strategies[1].leverage?.closeFactor == 1)
        #expect(s.numeraire == .usd)
    }

    @Test func jsonLoads() throws {
        let json = """
            {"name": "json", "horizon_years": 0.5, "steps_per_year": 12,
             "assets": [{"name": "ETH", "price": 3000, "volatility": 0.7}],
             "avs": [{"name": "x", "incident_rate": 0.02, "severity": {"beta": [2, 18]}}],
             "correlation": {"factors": ["x", "ETH"], "matrix": [[1, 0.25], [0.25, 1]], "repair": "nearest"},
             "copula": {"type": "student-t", "dof": 5},
             "strategies": [{"name": "r", "asset": "ETH", "base_apr": 0.03,
                             "restake": {"security": "shared", "avs": ["x"]}}]}
            """
        let s = try Scenario(yaml: json)
        #expect(s.name == "json")
        #expect(s.totalSteps == 6)
        #expect(s.factorNames == ["ETH", "x"])
        #expect(s.repairCorrelation)
        #expect(s.correlationMatrix() == [[1, 0.25], [0.25, 1]])
        #expect(s.copula == .studentT(dof: 5))
    }

    @Test func quotedNumberInJsonIsAStringNotANumber() {
        let json = """
            {"name": "json", "horizon_years": "1", "assets": [], "strategies": []}
            """
        let e = ScenarioFixtures.error(json)
        #expect(e?.path == "horizon_years")
        #expect(e?.message.contains("expected a number") == true)
    }

    @Test func systemicLoadingsGiveOneFactorMatrix() throws {
        let s = try Scenario(yaml: ScenarioFixtures.base)
        #expect(s.factorNames == ["ETH", "EIGEN", "da", "bridge", "stETH", "LRT"])
        let c = s.correlationMatrix()
        #expect(c.count == 6 && c.allSatisfy { $0.count == 6 })
        for i in 0..<6 { #expect(c[i][i] == 1) }
        #expect(c[0][2] == 0.5 * 0.4)
        #expect(c[2][5] == 0.4 * 0.6)
        #expect(c[5][0] == 0.6 * 0.5)
        #expect(c[1][0] == 0, "EIGEN is unlisted: loading 0")
        #expect(c[3][4] == 0)
    }

    @Test func fullMatrixIsReorderedToFactorOrder() throws {
        let s = try Scenario(yaml: ScenarioFixtures.matrixForm)
        let c = s.correlationMatrix()
        // factorNames: ETH, EIGEN, da, bridge, stETH, LRT; file order: LRT, ETH, EIGEN, da, bridge, stETH.
        #expect(c[0][5] == 0.3 && c[5][0] == 0.3, "ETH-LRT")
        #expect(c[0][1] == 0.2, "ETH-EIGEN")
        #expect(c[0][4] == 0.4, "ETH-stETH")
        #expect(c[2][3] == 0.1, "da-bridge")
        #expect(c[1][5] == 0)
        for i in 0..<6 { #expect(c[i][i] == 1) }
        #expect(s.repairCorrelation == false)
    }

    @Test func repairNearestIsRead() throws {
        let s = try Scenario(yaml: ScenarioFixtures.replacing("  systemic:", with: "  repair: nearest\n  systemic:"))
        #expect(s.repairCorrelation)
    }

    @Test func errorDescriptionNamesThePath() {
        #expect(ScenarioError(path: "strategies[5].leverage.ratio", message: "bad").description == "strategies[5].leverage.ratio: bad")
        #expect(ScenarioError(path: "", message: "empty").description == "<root>: empty")
    }

    @Test func yamlSyntaxErrorReportsLineAndColumn() {
        let e = ScenarioFixtures.error("name: test\nassets: [ {name: ETH\nstrategies: x\n")
        #expect(e?.path == "")
        #expect(e?.message.contains("YAML syntax error") == true)
        #expect(e?.message.contains("line") == true && e?.message.contains("column") == true)
    }

    @Test func emptyAndNonMappingDocuments() {
        #expect(ScenarioFixtures.error("")?.message.contains("empty") == true)
        let e = ScenarioFixtures.error("- a\n- b\n")
        #expect(e?.path == "")
        #expect(e?.message.contains("expected a map") == true)
    }

    @Test func duplicateKeyIsAnError() {
        let e = ScenarioFixtures.error(ScenarioFixtures.replacing("horizon_years: 1", with: "horizon_years: 1\nhorizon_years: 2"))
        #expect(e != nil)
        #expect(e?.message.contains("duplicate") == true)
    }

    @Test func loadFromFileAndMissingFile() throws {
        let url = ScenarioFixtures.repositoryRoot.appendingPathComponent("data/scenarios/example.yaml")
        let s = try Scenario.load(contentsOf: url)
        #expect(s.name == "eth-restaking-example")
        let missing = ScenarioFixtures.repositoryRoot.appendingPathComponent("data/scenarios/no-such-file.yaml")
        #expect(throws: ScenarioError.self) { try Scenario.load(contentsOf: missing) }
    }
}
