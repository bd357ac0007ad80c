/// A named square matrix meant to be a correlation matrix; `validate()` says whether it is one.
///
/// Construction never fails so that a scenario loader can build the matrix first and report
/// every problem through `CorrelationError`, with factor names, instead of trapping.
public struct CorrelationMatrix: Sendable, Equatable {
    /// Row-major entries; empty when the input rows were ragged.
    internal let entries: [Double]
    public let dimension: Int
    public let names: [String]
    /// The first row whose length differs from the row count, kept for `validate()`.
    internal let raggedRow: Int?
    internal let raggedRowLength: Int

    /// Wraps a full matrix; `names[i]` labels row and column `i` in error messages.
    ///
    /// Empty `names` stand for `factor 0`, `factor 1`, ...
    public init(matrix: [[Double]], names: [String]) {
        let n = matrix.count
        precondition(names.isEmpty || names.count == n, "CorrelationMatrix: \(names.count) names for \(n) rows")
        self.dimension = n
        self.names = names.isEmpty ? (0..<n).map { "factor \($0)" } : names
        if let bad = matrix.firstIndex(where: { $0.count != n }) {
            raggedRow = bad
            raggedRowLength = matrix[bad].count
            entries = []
        } else {
            raggedRow = nil
            raggedRowLength = n
            entries = matrix.flatMap { $0 }
        }
    }

    /// Builds the one-factor model: `C_ij = b_i b_j` off the diagonal, 1 on it.
    ///
    /// Loadings outside [-1, 1] are not rejected here; `validate()` reports what they cause.
    public init(loadings: [Double], names: [String]) {
        let n = loadings.count
        precondition(names.isEmpty || names.count == n, "CorrelationMatrix: \(names.count) names for \(n) loadings")
        var m = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0..<n {
                m[i * n + j] = i == j ? 1 : loadings[i] * loadings[j]
            }
        }
        self.init(rowMajor: m, dimension: n, names: names)
    }

    /// Wraps row-major storage that is already square.
    internal init(rowMajor: [Double], dimension n: Int, names: [String]) {
        assert(rowMajor.count == n * n)
        self.entries = rowMajor
        self.dimension = n
        self.names = names.isEmpty ? (0..<n).map { "factor \($0)" } : names
        self.raggedRow = nil
        self.raggedRowLength = n
    }

    /// The identity: independent factors.
    public static func identity(names: [String]) -> CorrelationMatrix {
        CorrelationMatrix(loadings: [Double](repeating: 0, count: names.count), names: names)
    }

    /// Whether every row had as many entries as there are rows.
    public var isSquare: Bool { raggedRow == nil }

    public subscript(i: Int, j: Int) -> Double {
        precondition(isSquare, "CorrelationMatrix: subscript on a non-square matrix")
        precondition(i >= 0 && i < dimension && j >= 0 && j < dimension, "CorrelationMatrix: index (\(i), \(j)) out of range")
        return entries[i * dimension + j]
    }

    /// The entries as rows, for reports and serialisation.
    public var rows: [[Double]] {
        precondition(isSquare, "CorrelationMatrix: rows of a non-square matrix")
        return (0..<dimension).map { Array(entries[$0 * dimension ..< ($0 + 1) * dimension]) }
    }

    internal func pair(_ i: Int, _ j: Int) -> FactorPair {
        FactorPair(row: i, column: j, rowName: names[i], columnName: names[j])
    }
}
