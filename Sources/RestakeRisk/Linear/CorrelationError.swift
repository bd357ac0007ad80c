/// Why a matrix is not a usable correlation matrix.
///
/// Every case carries the factor names it concerns, so `description` reads as a message about
/// the scenario rather than about matrix indices.
public enum CorrelationError: Error, Equatable, CustomStringConvertible {
    /// Row `row` has `columns` entries where the matrix has `rows` rows.
    case notSquare(rows: Int, row: Int, rowName: String, columns: Int)
    /// An entry is NaN or infinite. The value is not kept: NaN would make the error unequal to itself.
    case nonFinite(FactorPair)
    /// `C[i][j]` differs from `C[j][i]` by more than the tolerance.
    case notSymmetric(FactorPair, value: Double, transposedValue: Double)
    /// A diagonal entry is not 1.
    case diagonalNotOne(index: Int, name: String, value: Double)
    /// An off-diagonal entry lies outside [-1, 1].
    case outOfRange(FactorPair, value: Double)
    /// The matrix has a negative eigenvalue beyond the tolerance.
    ///
    /// `worstEntry` is the off-diagonal entry whose change moves the smallest eigenvalue the most
    /// (largest |v_i v_j| for its eigenvector v, since dλ_min/dC_ij = 2 v_i v_j).
    case notPositiveSemidefinite(smallestEigenvalue: Double, worstEntry: FactorPair, value: Double)

    public var description: String {
        switch self {
        case let .notSquare(rows, _, rowName, columns):
            return "correlation matrix is not square: it has \(rows) rows but the row for \(rowName) has \(columns) entries"
        case let .nonFinite(pair):
            return "correlation entry \(pair) is not a finite number"
        case let .notSymmetric(pair, value, transposedValue):
            return "correlation matrix is not symmetric: \(pair) = \(value) but (\(pair.columnName), \(pair.rowName)) = \(transposedValue)"
        case let .diagonalNotOne(_, name, value):
            return "correlation of \(name) with itself must be 1, found \(value)"
        case let .outOfRange(pair, value):
            return "correlation \(pair) = \(value) lies outside [-1, 1]"
        case let .notPositiveSemidefinite(smallestEigenvalue, worstEntry, value):
            return "correlation matrix is not positive semidefinite: smallest eigenvalue \(Self.short(smallestEigenvalue)); the entry most responsible is \(worstEntry) = \(value)"
        }
    }

    /// Four significant digits: the eigenvalue is a diagnostic, and full precision only adds noise.
    private static func short(_ x: Double) -> String {
        guard x != 0, x.isFinite else { return "\(x)" }
        let magnitude = Double.log10Floor(abs(x))
        let scale = Double.pow10(3 - magnitude)
        return "\((x * scale).rounded() / scale)"
    }
}

extension Double {
    fileprivate static func log10Floor(_ x: Double) -> Int {
        var e = 0
        var y = x
        while y >= 10 { y /= 10; e += 1 }
        while y < 1 { y *= 10; e -= 1 }
        return e
    }

    fileprivate static func pow10(_ e: Int) -> Double {
        var r = 1.0
        if e >= 0 { for _ in 0..<e { r *= 10 } } else { for _ in 0..<(-e) { r /= 10 } }
        return r
    }
}
