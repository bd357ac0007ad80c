extension CorrelationMatrix {
    /// Checks that the matrix is a correlation matrix, reporting the first problem found.
    ///
    /// Checks run in order: square, finite, unit diagonal, symmetric, entries in [-1, 1], positive
    /// semidefinite. Earlier problems would make later diagnostics meaningless (an eigenvalue of a
    /// non-symmetric matrix names the wrong entry), hence the order. `tolerance` is absolute for
    /// the entry checks and relative to the largest eigenvalue magnitude (at least 1) for the
    /// eigenvalue check, so that rounding in a valid semidefinite matrix is not an error.
    public func validate(tolerance: Double = 1e-10) throws(CorrelationError) {
        precondition(tolerance >= 0 && tolerance.isFinite, "CorrelationMatrix.validate: tolerance must be finite and >= 0")
        if let row = raggedRow {
            throw .notSquare(rows: dimension, row: row, rowName: names[row], columns: raggedRowLength)
        }
        let n = dimension
        for i in 0..<n {
            for j in 0..<n where !entries[i * n + j].isFinite {
                throw .nonFinite(pair(i, j))
            }
        }
        for i in 0..<n where abs(entries[i * n + i] - 1) > tolerance {
            throw .diagonalNotOne(index: i, name: names[i], value: entries[i * n + i])
        }
        for i in 0..<n {
            for j in (i + 1)..<n where abs(entries[i * n + j] - entries[j * n + i]) > tolerance {
                throw .notSymmetric(pair(i, j), value: entries[i * n + j], transposedValue: entries[j * n + i])
            }
        }
        for i in 0..<n {
            for j in 0..<n where i != j && abs(entries[i * n + j]) > 1 + tolerance {
                throw .outOfRange(pair(i, j), value: entries[i * n + j])
            }
        }
        if let failure = semidefiniteFailure(tolerance: tolerance) { throw failure }
    }

    /// Whether `validate(tolerance:)` passes.
    public func isValid(tolerance: Double = 1e-10) -> Bool {
        do { try validate(tolerance: tolerance); return true } catch { return false }
    }

    /// The non-PSD error, if the smallest eigenvalue is below `-tolerance * scale`.
    ///
    /// Assumes a square, finite, symmetric matrix.
    internal func semidefiniteFailure(tolerance: Double) -> CorrelationError? {
        let n = dimension
        guard n > 1 else { return nil }
        let (values, vectors) = Self.symmetricEigen(entries, dimension: n, vectors: true)
        let smallest = values[0]
        let scale = max(1, abs(values[n - 1]), abs(smallest))
        guard smallest < -tolerance * scale else { return nil }
        // Column 0 of the column-major eigenvector array belongs to the smallest eigenvalue.
        var best = (i: 0, j: 1, score: -1.0)
        for i in 0..<n {
            for j in (i + 1)..<n {
                let score = abs(vectors[i] * vectors[j])
                // Ties (common in symmetric examples) go to the first pair, so messages are stable.
                if score > best.score * (1 + 1e-9) + 1e-300 { best = (i, j, score) }
            }
        }
        return .notPositiveSemidefinite(
            smallestEigenvalue: smallest,
            worstEntry: pair(best.i, best.j),
            value: entries[best.i * n + best.j])
    }
}
