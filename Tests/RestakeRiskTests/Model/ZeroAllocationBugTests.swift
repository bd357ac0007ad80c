import Foundation
import Testing
@testable import RestakeRisk

/// An isolated allocation of 0 to an AVS: MODEL.md, step 2, applies incidents only "for each AVS
/// j with allocation m_j > 0", and counts "AVS incidents that hit the strategy, m_j > 0"; exit is
/// triggered by "the first AVS incident that hits the strategy". Validation accepts a fraction of
/// 0 (`[0, 1]`), so such an AVS must neither count incidents nor trigger an exit.
///
/// Kept in its own file so that, if it fails, the integrator sees exactly this behaviour fail.
@Suite struct ModelZeroAllocationTests {
    typealias S = ModelTestSupport

    static let yaml = """
        name: zero-allocation
        horizon_years: 1
        steps_per_year: 4
        assets:
          - {name: ETH, price: 3000, volatility: 0.7}
        avs:
          - {name: a, incident_rate: 1.0, severity: {fixed: 0.1}}
          - {name: b, incident_rate: 0.0, severity: {fixed: 0.1}}
        strategies:
          - name: iso-zero-hold
            asset: ETH
            base_apr: 0.04
            restake: {security: isolated, avs: {a: 0.0, b: 0.5}}
          - name: iso-zero-sell
            asset: ETH
            base_apr: 0.04
            restake: {security: isolated, avs: {a: 0.0, b: 0.5}}
            exit: {on_incident: sell}
          - name: iso-zero-withdraw
            asset: ETH
            base_apr: 0.04
            restake: {security: isolated, avs: {a: 0.0, b: 0.5}}
            exit: {on_incident: withdraw, withdrawal_delay_days: 0}
        """

    /// a (rate 1) has m_a = 0: nothing is slashed, no incident counts, no exit; every strategy
    /// earns `(1 + 0.04/4)^4`. Expected incidents_mean = 0 for all three; W_T = 1.01^4.
    @Test func zeroAllocationNeitherCountsNorTriggersExit() throws {
        let run = try S.run(Self.yaml, paths: 1024)
        let w = pow(1.01, 4.0)
        for name in ["iso-zero-hold", "iso-zero-sell", "iso-zero-withdraw"] {
            let st = run.stats(name)
            #expect(st.slashingProbability == 0, "\(name): slashed")
            #expect(st.incidentsMean == 0, "\(name): incidents_mean \(st.incidentsMean), want 0 (m_a = 0)")
            let wT = run.paths(name).terminalWealth[0]
            #expect(S.relClose(wT, w, 1e-12), "\(name): W_T \(wT), want \(w) (no exit without a hit)")
        }
    }
}
