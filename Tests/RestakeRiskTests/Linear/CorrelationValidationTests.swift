import Testing
@testable import RestakeRisk

@Suite("CorrelationValidation")
struct CorrelationValidationTests {
    func error(_ c: CorrelationMatrix) -> CorrelationError? {
        do {
            try c.validate()
            return nil
        } catch {
            return error
        }
    }

    @Test func validMatrixPasses() throws {
        let c = CorrelationMatrix(matrix: [[1, 0.3, -0.2], [0.3, 1, 0.5], [-0.2, 0.5, 1]], names: ["ETH", "stETH", "bridge"])
        try c.validate()
        #expect(c.dimension == 3)
        #expect(c[1, 2] == 0.5)
        #expect(c.names == ["ETH", "stETH", "bridge"])
    }

    @Test func notSquare() {
        let c = CorrelationMatrix(matrix: [[1, 0], [0]], names: ["ETH", "bridge"])
        let e = error(c)
        #expect(e == .notSquare(rows: 2, row: 1, rowName: "bridge", columns: 1))
        #expect(e?.description.contains("bridge") == true)
        #expect(e?.description.contains("not square") == true)
    }

    @Test func nonFinite() {
        let c = CorrelationMatrix(matrix: [[1, .nan], [.nan, 1]], names: ["ETH", "bridge"])
        let e = error(c)
        #expect(e == .nonFinite(FactorPair(row: 0, column: 1, rowName: "ETH", columnName: "bridge")))
        #expect(e?.description == "correlation entry (ETH, bridge) is not a finite number")
        let inf = CorrelationMatrix(matrix: [[1, 0], [0, .infinity]], names: ["ETH", "bridge"])
        #expect(error(inf) == .nonFinite(FactorPair(row: 1, column: 1, rowName: "bridge", columnName: "bridge")))
    }

    @Test func notSymmetric() {
        let c = CorrelationMatrix(matrix: [[1, 0.5], [0.4, 1]], names: ["ETH", "bridge"])
        let e = error(c)
        guard case let .notSymmetric(pair, value, transposed)? = e else {
            Issue.record("expected notSymmetric, got \(String(describing: e))")
            return
        }
        #expect(pair == FactorPair(row: 0, column: 1, rowName: "ETH", columnName: "bridge"))
        #expect(value == 0.5 && transposed == 0.4)
        #expect(e!.description.contains("(ETH, bridge) = 0.5"))
        #expect(e!.description.contains("(bridge, ETH) = 0.4"))
    }

    @Test func asymmetryWithinToleranceIsAccepted() throws {
        try CorrelationMatrix(matrix: [[1, 0.5], [0.5 + 1e-12, 1]], names: ["a", "b"]).validate()
        #expect(throws: CorrelationError.self) {
            try CorrelationMatrix(matrix: [[1, 0.5], [0.5 + 1e-12, 1]], names: ["a", "b"]).validate(tolerance: 1e-13)
        }
    }

    @Test func diagonalNotOne() {
        let c = CorrelationMatrix(matrix: [[1, 0], [0, 0.9]], names: ["ETH", "bridge"])
        let e = error(c)
        #expect(e == .diagonalNotOne(index: 1, name: "bridge", value: 0.9))
        #expect(e?.description == "correlation of bridge with itself must be 1, found 0.9")
    }

    @Test func outOfRange() {
        let c = CorrelationMatrix(matrix: [[1, 1.2], [1.2, 1]], names: ["ETH", "bridge"])
        let e = error(c)
        #expect(e == .outOfRange(FactorPair(row: 0, column: 1, rowName: "ETH", columnName: "bridge"), value: 1.2))
        #expect(e?.description == "correlation (ETH, bridge) = 1.2 lies outside [-1, 1]")
    }

    @Test func notPositiveSemidefiniteSymmetricExample() {
        let c = CorrelationMatrix(matrix: [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]], names: ["ETH", "bridge", "LST"])
        let e = error(c)
        guard case let .notPositiveSemidefinite(smallest, worst, value)? = e else {
            Issue.record("expected notPositiveSemidefinite, got \(String(describing: e))")
            return
        }
        // Eigenvector (1, -1, 1)/sqrt 3 gives eigenvalue 1 - 2 * 0.9.
        #expect(abs(smallest - (-0.8)) < 1e-12)
        #expect(abs(c.smallestEigenvalue - (-0.8)) < 1e-12)
        // All |v_i v_j| tie at 1/3: the first pair is reported, so the message is stable.
        #expect(worst == FactorPair(row: 0, column: 1, rowName: "ETH", columnName: "bridge"))
        #expect(value == 0.9)
        #expect(e!.description == "correlation matrix is not positive semidefinite: smallest eigenvalue -0.8; the entry most responsible is (ETH, bridge) = 0.9")
    }

    @Test func notPositiveSemidefiniteNamesTheInconsistentEntry() {
        // ETH is 0.95 correlated with both stETH and rETH, so stETH-rETH cannot be -0.5;
        // the remaining factor is independent and must not be blamed.
        let c = CorrelationMatrix(
            matrix: [[1, 0.95, 0.95, 0], [0.95, 1, -0.5, 0], [0.95, -0.5, 1, 0], [0, 0, 0, 1]],
            names: ["ETH", "stETH", "rETH", "bridge"])
        let e = error(c)
        guard case let .notPositiveSemidefinite(smallest, worst, value)? = e else {
            Issue.record("expected notPositiveSemidefinite, got \(String(describing: e))")
            return
        }
        #expect(smallest < -0.1)
        #expect(worst.rowName != "bridge" && worst.columnName != "bridge")
        #expect(value == c[worst.row, worst.column])
        #expect(e!.description.contains("\(worst) = \(value)"))
    }

    @Test func semidefiniteWithinToleranceIsAccepted() throws {
        // Rank 1: eigenvalues 0 and 2, the zero one only up to rounding.
        try CorrelationMatrix(matrix: [[1, 1], [1, 1]], names: ["a", "b"]).validate()
        try CorrelationMatrix(loadings: [1, 1, 0.5], names: ["a", "b", "c"]).validate()
    }

    @Test func loadingsBuildProducts() throws {
        let b = [0.5, -0.4, 0.8]
        let c = CorrelationMatrix(loadings: b, names: ["ETH", "bridge", "LST"])
        for i in 0..<3 {
            for j in 0..<3 {
                #expect(c[i, j] == (i == j ? 1 : b[i] * b[j]))
            }
        }
        #expect(c[0, 1] == -0.2)
        try c.validate()
    }

    @Test func eigenvaluesAscending() {
        let c = CorrelationMatrix(matrix: [[1, 0.5], [0.5, 1]], names: ["a", "b"])
        let ev = c.eigenvalues()
        #expect(ev.count == 2)
        #expect(abs(ev[0] - 0.5) < 1e-15 && abs(ev[1] - 1.5) < 1e-15)
        #expect(c.smallestEigenvalue == ev[0])
    }
}
