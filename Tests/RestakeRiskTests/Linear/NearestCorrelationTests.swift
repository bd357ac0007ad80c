import Testing
@testable import RestakeRisk

@Suite("NearestCorrelation")
struct NearestCorrelationTests {
    func expectClose(_ m: CorrelationMatrix, _ expected: [[Double]], within tolerance: Double, _ label: String) {
        var worst = 0.0
        for i in 0..<expected.count {
            for j in 0..<expected.count { worst = max(worst, abs(m[i, j] - expected[i][j])) }
        }
        #expect(worst <= tolerance, "\(label): off by \(worst); got \(m.rows)")
    }

    func expectCorrelation(_ m: CorrelationMatrix) {
        for i in 0..<m.dimension { #expect(m[i, i] == 1) }
        for i in 0..<m.dimension {
            for j in 0..<m.dimension { #expect(m[i, j] == m[j, i]) }
        }
        #expect(m.smallestEigenvalue >= -1e-12, "smallest eigenvalue \(m.smallestEigenvalue)")
        #expect(m.isValid())
    }

    /// Higham (2002), IMA J. Numer. Anal. 22, section 4 example.
    @Test func highamExample() throws {
        let a = CorrelationMatrix(matrix: [[1, 1, 0], [1, 1, 1], [0, 1, 1]], names: ["a", "b", "c"])
        #expect(!a.isValid())
        let (x, report) = a.nearestCorrelation()
        expectClose(x, [[1, 0.7607, 0.1573], [0.7607, 1, 0.7607], [0.1573, 0.7607, 1]], within: 1e-4, "Higham 2002")
        expectCorrelation(x)
        #expect(report.converged)
        #expect(report.iterations > 1)
        #expect(abs(report.originalSmallestEigenvalue - (1 - 2.0.squareRoot())) < 1e-12)
        // The repair moves every off-diagonal entry; (a, c) moves from 0 to 0.1573 and (a, b) from 1 to 0.7607.
        #expect(report.worstEntry?.description == "(a, b)" || report.worstEntry?.description == "(b, c)")
        #expect(abs(report.maxAbsoluteChange - (1 - x[0, 1])) < 1e-15)
        var squared = 0.0
        for i in 0..<3 { for j in 0..<3 { squared += (x[i, j] - a[i, j]) * (x[i, j] - a[i, j]) } }
        #expect(abs(report.frobeniusDistance - squared.squareRoot()) < 1e-14)
        let f = try CholeskyFactor(x)
        #expect(maxAbsDifference(f.reconstructed(), x) <= 1e-12)
    }

    /// NAG g02aaf/g02aac example: input with diagonal 2 (not even unit diagonal); published result to 4 places.
    @Test func nagExample() {
        let g = CorrelationMatrix(
            matrix: [[2, -1, 0, 0], [-1, 2, -1, 0], [0, -1, 2, -1], [0, 0, -1, 2]],
            names: ["a", "b", "c", "d"])
        let (x, report) = g.nearestCorrelation()
        expectClose(x, [
            [1.0000, -0.8084, 0.1916, 0.1068],
            [-0.8084, 1.0000, -0.6562, 0.1916],
            [0.1916, -0.6562, 1.0000, -0.8084],
            [0.1068, 0.1916, -0.8084, 1.0000],
        ], within: 1e-4, "NAG g02aa")
        expectCorrelation(x)
        #expect(report.converged)
    }

    /// MATLAB `nearcorr` documentation example (unit diagonal, one negative eigenvalue -0.1244).
    @Test func matlabExample() {
        let a = CorrelationMatrix(matrix: [
            [1.0000, 0, 0, 0, -0.9360],
            [0, 1.0000, -0.5500, -0.3645, -0.5300],
            [0, -0.5500, 1.0000, -0.0351, 0.0875],
            [0, -0.3645, -0.0351, 1.0000, 0.4557],
            [-0.9360, -0.5300, 0.0875, 0.4557, 1.0000],
        ], names: [])
        #expect(abs(a.smallestEigenvalue - (-0.1244)) < 1e-4)
        let (x, report) = a.nearestCorrelation()
        expectClose(x, [
            [1.0000, 0.0372, 0.0100, -0.0219, -0.8478],
            [0.0372, 1.0000, -0.5449, -0.3757, -0.4849],
            [0.0100, -0.5449, 1.0000, -0.0381, 0.0996],
            [-0.0219, -0.3757, -0.0381, 1.0000, 0.4292],
            [-0.8478, -0.4849, 0.0996, 0.4292, 1.0000],
        ], within: 1e-4, "MATLAB nearcorr")
        expectCorrelation(x)
        #expect(abs(report.originalSmallestEigenvalue - (-0.1244)) < 1e-4)
        #expect(x.names == ["factor 0", "factor 1", "factor 2", "factor 3", "factor 4"])
    }

    @Test func validMatrixUnchanged() {
        let c = randomCorrelation(dimension: 6, rank: 8, seed: 7)
        let (x, report) = c.nearestCorrelation()
        #expect(x == c)
        #expect(report.frobeniusDistance == 0)
        #expect(report.maxAbsoluteChange == 0)
        #expect(report.worstEntry == nil)
        #expect(report.iterations == 0)
        #expect(report.originalSmallestEigenvalue > 0)
    }

    @Test func repairsTheNonPSDExampleAndStaysClose() throws {
        let c = CorrelationMatrix(matrix: [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]], names: ["ETH", "bridge", "LST"])
        let (x, report) = c.nearestCorrelation()
        expectCorrelation(x)
        #expect(x.names == c.names)
        // Any correlation matrix is a candidate, so the nearest one is at least as close as the
        // one-factor fit with loadings (1, 1, 0)... and as close as the identity.
        let identityDistance = (6 * 0.81).squareRoot()
        #expect(report.frobeniusDistance < identityDistance)
        #expect(report.frobeniusDistance > 0)
        // Sign pattern is kept: the inconsistent triangle is shrunk, not flipped.
        #expect(x[0, 1] > 0 && x[1, 2] > 0 && x[0, 2] < 0)
        _ = try CholeskyFactor(x)
    }
}
