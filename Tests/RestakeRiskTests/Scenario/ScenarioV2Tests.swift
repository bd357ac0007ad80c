import Foundation
import Testing
@testable import RestakeRisk

/// MODEL.md v2 fields: operators, vetoes, latent factors, operator shares, stress events.
@Suite struct ScenarioV2Tests {
    static let v2 = """
        name: v2
        horizon_years: 1
        assets:
          - {name: ETH, price: 3000, volatility: 0.7}
          - {name: EIGEN, price: 1.0, volatility: 1.1}
        avs:
          - {name: da, incident_rate: 0.01, severity: {beta: [2, 38]}}
          - {name: bridge, incident_rate: 0.03, severity: {fixed: 0.05}, veto_probability: 0.3}
        operators:
          - {name: op-a, fault_rate: 0.004, fault_severity: {beta: [2, 6]}}
          - {name: op-b, fault_rate: 0.002, fault_severity: {fixed: 0.1}, serves: [da]}
        tokens:
          - {name: LRT, underlying: ETH, depeg: {rate: 0.3, severity: {fixed: 0.02}, half_life_days: 10}}
        correlation:
          latent:
            market: {ETH: 0.6, EIGEN: 0.6, LRT: 0.6, bridge: 0.3}
            software: {da: 0.4, op-a: 0.2, op-b: 0.2}
        copula: {type: student-t, dof: 1.5}
        stress:
          - {at_days: 120, asset_return: {ETH: -0.21}, depeg: {LRT: 0.05}}
          - {at_days: 200, incident: {bridge: 0.3}, operator_fault: {op-a: 0.5}, borrow_apr: 0.15}
        strategies:
          - name: shared
            asset: ETH
            token: LRT
            base_apr: 0.03
            restake: {security: shared, avs: [da, bridge], operators: {op-a: 0.5, op-b: 0.5}}
          - name: iso
            asset: ETH
            base_apr: 0.03
            restake: {security: isolated, avs: {da: 0.4, bridge: 0.3}, operators: {op-a: 0.1, op-b: 0.2, op-a2: 0.7}}

        """

    /// The v2 fixture without the third operator share, which is there to be broken.
    static let valid = v2.replacingOccurrences(of: "{op-a: 0.1, op-b: 0.2, op-a2: 0.7}", with: "{op-a: 0.3, op-b: 0.7}")

    static func error(_ old: String, _ new: String, in text: String = valid) -> ScenarioError? {
        ScenarioFixtures.error(ScenarioFixtures.replacing(old, with: new, in: text))
    }

    @Test func loadsEveryV2Field() throws {
        let s = try Scenario(yaml: Self.valid)
        #expect(s.operators.map(\.name) == ["op-a", "op-b"])
        #expect(s.operators[0].serves == ["da", "bridge"], "serves defaults to all AVSs")
        #expect(s.operators[1].serves == ["da"])
        #expect(s.operators[1].faultSeverity == .fixed(0.1))
        #expect(s.avs[1].vetoProbability == 0.3)
        #expect(s.avs[0].vetoProbability == 0, "veto defaults to 0")
        #expect(s.copula == .studentT(dof: 1.5), "dof below 2 is allowed in v2")
        #expect(s.factorNames == ["ETH", "EIGEN", "da", "bridge", "LRT", "op-a", "op-b"])
        guard case .latent(let latent)? = s.correlation?.form else { Issue.record("not latent"); return }
        #expect(latent.map(\.name) == ["market", "software"], "latent factors keep file order")
        #expect(latent[0].loadings.map(\.factor) == ["ETH", "EIGEN", "LRT", "bridge"])
        #expect(s.strategies[0].restake?.operators == [.init(operator: "op-a", fraction: 0.5), .init(operator: "op-b", fraction: 0.5)])
        #expect(s.stress.count == 2)
        #expect(s.stress[0] == Scenario.StressEvent(atDays: 120, assetReturns: [.init(name: "ETH", value: -0.21)],
                                                    depegs: [.init(name: "LRT", value: 0.05)]))
        #expect(s.stress[1].incidents == [.init(name: "bridge", value: 0.3)])
        #expect(s.stress[1].operatorFaults == [.init(name: "op-a", value: 0.5)])
        #expect(s.stress[1].borrowApr == 0.15)
        let c = s.correlationMatrix()
        #expect(abs(c[0][1] - 0.36) < 1e-15, "ETH-EIGEN through the market factor")
        #expect(abs(c[2][5] - 0.08) < 1e-15, "da-op-a through the software factor")
    }

    @Test func v1FixtureStillLoads() throws {
        let s = try Scenario(yaml: ScenarioFixtures.base)
        #expect(s.operators.isEmpty && s.stress.isEmpty)
        #expect(s.strategies.allSatisfy { $0.restake?.operators.isEmpty ?? true })
    }

    @Test(arguments: [
        ("fault_rate: 0.004", "fault_rate: 1.5", "operators[0].fault_rate", "[0, 1]"),
        ("fault_severity: {fixed: 0.1}", "fault_severity: {fixed: 2}", "operators[1].fault_severity.fixed", "[0, 1]"),
        ("serves: [da]", "serves: [dax]", "operators[1].serves[0]", "unknown AVS 'dax'"),
        ("serves: [da]", "serves: [da, da]", "operators[1].serves[1]", "listed twice"),
        ("veto_probability: 0.3", "veto_probability: -0.1", "avs[1].veto_probability", "[0, 1]"),
        ("dof: 1.5", "dof: 0", "copula.dof", "(0, 1e6]"),
        ("dof: 1.5", "dof: 1e16", "copula.dof", "gaussian"),
        ("{name: op-a,", "{name: da,", "operators[0].name", "duplicate name 'da'"),
        ("software: {", "ETH: {", "correlation.latent.ETH", "name of a declared asset"),
        ("da: 0.4, op-a", "dax: 0.4, op-a", "correlation.latent.software.dax", "unknown factor 'dax'"),
        ("da: 0.4, op-a", "da: 1.4, op-a", "correlation.latent.software.da", "[-1, 1]"),
        ("bridge: 0.3}", "bridge: 0.3, da: 0.95}", "correlation.latent", "factor 'da' has squared loadings summing to"),
        ("{op-a: 0.5, op-b: 0.5}", "{op-a: 0.5, op-c: 0.5}", "strategies[0].restake.operators.op-c", "unknown operator 'op-c'"),
        ("{op-a: 0.5, op-b: 0.5}", "{op-a: 0.5, op-b: 0.4}", "strategies[0].restake.operators", "sum to 1"),
        ("{op-a: 0.5, op-b: 0.5}", "{op-a: 0, op-b: 1}", "strategies[0].restake.operators.op-a", "(0, 1]"),
        ("{op-a: 0.5, op-b: 0.5}", "[op-a, op-b]", "strategies[0].restake.operators", "map of operator name"),
        ("at_days: 120", "at_days: 0", "stress[0].at_days", "(0, 365.0]"),
        ("at_days: 120", "at_days: 400", "stress[0].at_days", "(0, 365.0]"),
        ("depeg: {LRT: 0.05}", "depeg: {LRT: 1.2}", "stress[0].depeg.LRT", "[0, 1]"),
        ("depeg: {LRT: 0.05}", "depeg: {stETH: 0.1}", "stress[0].depeg.stETH", "unknown token 'stETH'"),
        ("asset_return: {ETH: -0.21}", "asset_return: {BTC: -0.21}", "stress[0].asset_return.BTC", "unknown asset 'BTC'"),
        ("incident: {bridge: 0.3}", "incident: {bridge: 3}", "stress[1].incident.bridge", "[0, 1]"),
        ("operator_fault: {op-a: 0.5}", "operator_fault: {op-z: 0.5}", "stress[1].operator_fault.op-z", "unknown operator"),
        ("borrow_apr: 0.15", "borrow_apr: -1", "stress[1].borrow_apr", ">= 0"),
        ("{at_days: 120, asset_return: {ETH: -0.21}, depeg: {LRT: 0.05}}", "{at_days: 120}", "stress[0]", "at least one shock"),
        ("{at_days: 120,", "{at_day: 120,", "stress[0].at_day", "did you mean 'at_days'"),
    ] as [(String, String, String, String)])
    func refusals(old: String, new: String, path: String, message: String) {
        let e = Self.error(old, new)
        #expect(e?.path == path, "\(String(describing: e))")
        #expect(e?.message.contains(message) == true, "\(String(describing: e))")
    }

    @Test func latentAndSystemicAreExclusive() {
        let e = Self.error("  latent:\n", "  systemic: {ETH: 0.5}\n  latent:\n")
        #expect(e?.path == "correlation")
        #expect(e?.message.contains("one form") == true)
    }
}
