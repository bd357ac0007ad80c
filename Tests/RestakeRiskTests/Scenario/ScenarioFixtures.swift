import Foundation
@testable import RestakeRisk

/// A small valid scenario that exercises every block, so each test can break exactly one field.
enum ScenarioFixtures {
    static let base = """
        name: test
        horizon_years: 1
        steps_per_year: 365
        assets:
          - {name: ETH, price: 3000, volatility: 0.7, jumps: {rate: 1.0, mean: -0.1, sd: 0.08}}
          - {name: EIGEN, price: 1.0, volatility: 1.1}
        avs:
          - {name: da, incident_rate: 0.01, severity: {beta: [2, 38]}, reward_apr: 0.006, reward_asset: EIGEN}
          - {name: bridge, incident_rate: 0.03, severity: {fixed: 0.05}}
        tokens:
          - {name: stETH, underlying: ETH, depeg: {rate: 0.1, severity: {beta: [2, 60]}, half_life_days: 20, max: 0.5}}
          - {name: LRT, underlying: ETH, depeg: {rate: 0.3, severity: {fixed: 0.02}, half_life_days: 10, incident_jump: 0.01, max: 0.8}, exposed_to: [bridge]}
        correlation:
          systemic: {ETH: 0.5, da: 0.4, LRT: 0.6}
        copula: {type: student-t, dof: 4}
        strategies:
          - name: native
            asset: ETH
            base_apr: 0.03
            base_slashing: {rate: 0.0004, severity: {fixed: 0.0002}}
          - name: loop
            asset: ETH
            token: LRT
            base_apr: 0.03
            fees: {lst: 0.1, operator: 0.1, platform: 0.1}
            restake: {security: shared, avs: [da, bridge]}
            leverage: {ratio: 3, ltv: 0.93, liquidation_threshold: 0.95, bonus: 0.01, borrow_apr: 0.025}
          - name: isolated
            asset: ETH
            token: stETH
            base_apr: 0.03
            restake: {security: isolated, avs: {da: 0.4, bridge: 0.3}}
            insurance: {coverage: 0.5, premium_apr: 0.002}
            exit: {on_incident: withdraw}

        """

    /// The same scenario with a full correlation matrix in a shuffled factor order.
    static let matrixForm = replacing(
        "  systemic: {ETH: 0.5, da: 0.4, LRT: 0.6}",
        with: """
              factors: [LRT, ETH, EIGEN, da, bridge, stETH]
              matrix:
                - [1.0, 0.3, 0.0, 0.0, 0.0, 0.0]
                - [0.3, 1.0, 0.2, 0.0, 0.0, 0.4]
                - [0.0, 0.2, 1.0, 0.0, 0.0, 0.0]
                - [0.0, 0.0, 0.0, 1.0, 0.1, 0.0]
                - [0.0, 0.0, 0.0, 0.1, 1.0, 0.0]
                - [0.0, 0.4, 0.0, 0.0, 0.0, 1.0]
            """)

    /// `text` with the first occurrence of `old` replaced; traps if `old` is absent, so a test
    /// can never pass because its edit silently did nothing.
    static func replacing(_ old: String, with new: String, in text: String = base) -> String {
        guard let range = text.range(of: old) else { fatalError("fixture does not contain \(old)") }
        return text.replacingCharacters(in: range, with: new)
    }

    /// The repository root, found from this file's location.
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The error that loading `yaml` throws, or nil if it loads.
    static func error(_ yaml: String) -> ScenarioError? {
        do {
            _ = try Scenario(yaml: yaml)
            return nil
        } catch {
            return error
        }
    }
}
