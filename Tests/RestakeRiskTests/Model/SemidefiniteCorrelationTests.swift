import Foundation
import Testing
@testable import RestakeRisk

/// A positive semidefinite (singular) correlation matrix is valid (MODEL.md: "a semidefinite matrix
/// may need a pivoted or eigen-based factor"); the draws must reproduce it exactly.
@Suite struct ModelSemidefiniteCorrelationTests {
    typealias S = ModelTestSupport

    /// x and y load 1.0 on the systemic factor: C_xy = 1, so z_x = z_y and (same p) they have
    /// incidents on exactly the same paths; w and v are perfectly anti-correlated (full matrix
    /// entry -1), so with p = 0.3 (< 0.5) they are never hit together, and
    /// P(w or v) = 0.6 within 4 SE. Gaussian copula, 12 steps.
    @Test func perfectlyCorrelatedFactors() throws {
        let yaml = """
            name: singular
            horizon_years: 1
            steps_per_year: 12
            assets:
              - {name: ETH, price: 3000, volatility: 0.7}
            avs:
              - {name: x, incident_rate: 0.2, severity: {fixed: 0.0}}
              - {name: y, incident_rate: 0.2, severity: {fixed: 0.0}}
            strategies:
              - {name: x-only, asset: ETH, base_apr: 0.0, restake: {security: shared, avs: [x]}}
              - {name: y-only, asset: ETH, base_apr: 0.0, restake: {security: shared, avs: [y]}}
            correlation:
              systemic: {x: 1.0, y: 1.0}
            """
        let n = 20_000
        let run = try S.run(yaml, seed: 4, paths: n)
        let x = run.paths("x-only").incidents, y = run.paths("y-only").incidents
        #expect(x == y, "perfectly correlated AVSs hit on different steps")
        let hit = Double(x.filter { $0 > 0 }.count) / Double(n)
        #expect(abs(hit - 0.2) <= 4 * (0.16 / Double(n)).squareRoot(), "P(hit in a year) \(hit)")

        let anti = """
            name: antithetic
            horizon_years: 1
            steps_per_year: 1
            assets:
              - {name: ETH, price: 3000, volatility: 0.7}
            avs:
              - {name: w, incident_rate: 0.3, severity: {fixed: 0.0}}
              - {name: v, incident_rate: 0.3, severity: {fixed: 0.0}}
            strategies:
              - {name: both, asset: ETH, base_apr: 0.0, restake: {security: shared, avs: [w, v]}}
            correlation:
              factors: [ETH, w, v]
              matrix:
                - [1.0, 0.0, 0.0]
                - [0.0, 1.0, -1.0]
                - [0.0, -1.0, 1.0]
            """
        let run2 = try S.run(anti, seed: 4, paths: n)
        let k = run2.paths("both").incidents
        #expect(k.allSatisfy { $0 <= 1 }, "anti-correlated AVSs hit together")
        let any = Double(k.filter { $0 == 1 }.count) / Double(n)
        #expect(abs(any - 0.6) <= 4 * (0.24 / Double(n)).squareRoot(), "P(w or v) \(any)")
    }
}
