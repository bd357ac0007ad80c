import Foundation
import Testing
@testable import RestakeRisk

/// Several problems per file, each with its path, message, line and column (issue 12 item 6).
@Suite struct ScenarioErrorsTests {
    @Test func independentProblemsAreReportedTogetherInFileOrder() {
        var yaml = ScenarioFixtures.replacing("volatility: 1.1", with: "volatility: -1.1")
        yaml = ScenarioFixtures.replacing("incident_rate: 0.03", with: "incident_rate: 3", in: yaml)
        yaml = ScenarioFixtures.replacing("premium_apr: 0.002", with: "premium_apr: -1", in: yaml)
        let e = ScenarioFixtures.error(yaml)
        #expect(e?.all.map(\.path) == ["assets[1].volatility", "avs[1].incident_rate", "strategies[2].insurance.premium_apr"])
        #expect(e?.others.count == 2)
    }

    @Test func errorsCarryTheLineAndColumnOfTheirNode() {
        let e = ScenarioFixtures.error(ScenarioFixtures.replacing("incident_rate: 0.03", with: "incident_rate: 3"))
        #expect(e?.path == "avs[1].incident_rate")
        #expect(e?.line == 9, "\(String(describing: e))")
        #expect((e?.column ?? 0) > 1)
        let missing = ScenarioFixtures.error(ScenarioFixtures.replacing("ratio: 3, ", with: ""))
        #expect(missing?.path == "strategies[1].leverage.ratio")
        #expect(missing?.line == 27, "a missing field points at its map: \(String(describing: missing))")
    }

    /// Problems the reader finds (unknown fields, wrong types) are collected across blocks and
    /// list elements too, not only the validation's.
    @Test func readingProblemsAcrossBlocksAreReportedTogether() {
        let yaml = """
            name: multi
            horizon_years: 1
            colour: blue
            assets:
              - {name: ETH, price: 3000, volatility: 0.5}
            avs:
              - {name: a, incident_rate: 0.01, severity: {fixed: 0.1}}
              - {name: b, incident_rate: lots, severity: {fixed: 0.1}}
            strategies:
              - {name: s, asset: ETH, base_apr: 0.03, colour: red, flavour: mint}
              - {name: t, asset: ETH, base_apr: high}

            """
        let e = ScenarioFixtures.error(yaml)
        #expect(e?.all.map(\.path) == ["colour", "avs[1].incident_rate", "strategies[0].colour",
                                        "strategies[0].flavour", "strategies[1].base_apr"], "\(String(describing: e?.all))")
        #expect(e?.all.allSatisfy { $0.line != nil } == true)
        // A bad `avs` block is not echoed by the blocks that name AVSs.
        let cascade = ScenarioFixtures.error(ScenarioFixtures.replacing("incident_rate: 0.03", with: "incident_rate: [1]"))
        #expect(cascade?.all.map(\.path) == ["avs[1].incident_rate"], "\(String(describing: cascade?.all))")
    }

    @Test func theNumberOfReportedProblemsIsBounded() {
        let avs = (0..<30).map { "  - {name: a\($0), incident_rate: 2, severity: {fixed: 0.1}}" }.joined(separator: "\n")
        let yaml = "name: many\nhorizon_years: 1\nassets: [{name: ETH, price: 1, volatility: 0.5}]\navs:\n\(avs)\nstrategies: [{name: s, asset: ETH, base_apr: 0.03}]\n"
        let e = ScenarioFixtures.error(yaml)
        #expect(e?.all.count == ScenarioError.maxReported)
        #expect(e?.all.last?.path == "avs[19].incident_rate")
    }
}
