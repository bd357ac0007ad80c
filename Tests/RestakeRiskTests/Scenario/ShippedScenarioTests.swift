import Foundation
import Testing
@testable import RestakeRisk

@Suite struct ShippedScenarioTests {
    static let files = ["default.yaml", "ten-year-compounding.yaml", "stress-april-2024.yaml", "example.yaml"]

    static func url(_ file: String) -> URL {
        ScenarioFixtures.repositoryRoot.appendingPathComponent("data/scenarios").appendingPathComponent(file)
    }

    @Test(arguments: files) func loadsAndValidates(_ file: String) throws {
        let s = try Scenario.load(contentsOf: Self.url(file))
        try s.validate()
        let c = s.correlationMatrix()
        #expect(c.count == s.factorNames.count)
        #expect(!s.strategies.isEmpty)
    }

    @Test func everyShippedFileIsTested() throws {
        let dir = ScenarioFixtures.repositoryRoot.appendingPathComponent("data/scenarios")
        let present = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }
        #expect(Set(present) == Set(Self.files + ShippedScenarioV2Tests.files))
    }

    @Test func exampleIsModelMarkdownsExample() throws {
        let s = try Scenario.load(contentsOf: Self.url("example.yaml"))
        #expect(s.factorNames == ["ETH", "EIGEN", "da-layer", "oracle-net", "bridge", "sequencer", "stETH", "LRT"])
        #expect(s.strategies.map(\.name) == [
            "native-staking", "lst", "restaked-shared", "restaked-isolated", "lrt", "lrt-loop-3x",
        ])
        #expect(s.reportEverySteps == 7)
        #expect(s.copula == .studentT(dof: 4))
        #expect(s.strategies[4].exit == Scenario.Exit(onIncident: .withdraw, withdrawalDelayDays: 14))
        #expect(s.strategies[5].leverage?.oracle == .market)
        #expect(s.correlationMatrix()[0][7] == 0.5 * 0.6)
    }

    @Test func defaultScenarioShape() throws {
        let s = try Scenario.load(contentsOf: Self.url("default.yaml"))
        #expect(s.horizonYears == 1 && s.stepsPerYear == 365 && s.reportEverySteps == 7)
        #expect(s.strategies.count == 6)
        #expect(s.copula == .studentT(dof: 4))
        let loop = try #require(s.strategies.first { $0.leverage != nil }?.leverage)
        #expect(loop == Scenario.Leverage(ratio: 3, ltv: 0.93, liquidationThreshold: 0.95, bonus: 0.01,
                                          borrowApr: 0.025, closeFactor: 0.5, oracle: .market))
        #expect(s.strategies.contains { $0.exit.onIncident == .withdraw && $0.exit.withdrawalDelayDays == 14 })
        #expect(s.strategies.contains { $0.restake?.security == .isolated && $0.insurance != nil })
    }

    @Test func stressComparesOracles() throws {
        let s = try Scenario.load(contentsOf: Self.url("stress-april-2024.yaml"))
        let oracles = Set(s.strategies.compactMap { $0.leverage?.oracle })
        #expect(oracles == [.market, .exchangeRate])
        #expect(s.totalSteps == 720, "30 days of hourly steps")
    }

    @Test func tenYearHorizon() throws {
        let s = try Scenario.load(contentsOf: Self.url("ten-year-compounding.yaml"))
        #expect(s.horizonYears == 10 && s.reportEverySteps == 30 && s.totalSteps == 3650)
    }
}
