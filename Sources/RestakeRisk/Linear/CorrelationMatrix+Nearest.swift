/// What `nearestCorrelation` changed, for the run report.
public struct NearestCorrelationReport: Sendable, Equatable {
    /// Frobenius norm of (repaired - original).
    public var frobeniusDistance: Double
    /// Largest |repaired_ij - original_ij|.
    public var maxAbsoluteChange: Double
    /// Where the largest change happened (upper triangle); nil when nothing changed.
    public var worstEntry: FactorPair?
    /// Alternating-projection iterations run; 0 when the input was already valid.
    public var iterations: Int
    /// Whether the stopping test was met before `maxIterations`.
    public var converged: Bool
    /// Smallest eigenvalue of the (symmetrised) input.
    public var originalSmallestEigenvalue: Double
}

extension CorrelationMatrix {
    /// The nearest correlation matrix in the Frobenius norm (Higham 2002, alternating projections
    /// with Dykstra's correction), with a report of what changed.
    ///
    /// A matrix that passes `validate()` is returned unchanged. Otherwise the input is symmetrised,
    /// then projections onto the PSD cone and onto unit-diagonal matrices alternate until the
    /// relative changes fall below `tolerance`. The last PSD iterate is rescaled to an exact unit
    /// diagonal (D^-1/2 X D^-1/2), which keeps it PSD: the unit-diagonal iterate can instead be
    /// indefinite by rounding, and the result is meant to be factored.
    public func nearestCorrelation(tolerance: Double = 1e-12, maxIterations: Int = 1000) -> (matrix: CorrelationMatrix, report: NearestCorrelationReport) {
        precondition(isSquare, "nearestCorrelation: the matrix is not square")
        precondition(entries.allSatisfy(\.isFinite), "nearestCorrelation: the matrix has non-finite entries")
        precondition(tolerance > 0 && maxIterations > 0, "nearestCorrelation: tolerance and maxIterations must be positive")
        let n = dimension
        var a = entries
        for i in 0..<n {
            for j in (i + 1)..<n {
                let s = 0.5 * (a[i * n + j] + a[j * n + i])
                a[i * n + j] = s
                a[j * n + i] = s
            }
        }
        let originalSmallest = Self.symmetricEigen(a, dimension: n, vectors: false).values.first ?? 0

        if isValid() {
            let report = NearestCorrelationReport(
                frobeniusDistance: 0, maxAbsoluteChange: 0, worstEntry: nil,
                iterations: 0, converged: true, originalSmallestEigenvalue: originalSmallest)
            return (self, report)
        }

        var y = a
        var x = a
        var correction = [Double](repeating: 0, count: n * n)
        var r = [Double](repeating: 0, count: n * n)
        var iterations = 0
        var converged = false
        while iterations < maxIterations {
            iterations += 1
            let previousX = x
            let previousY = y
            for t in 0..<(n * n) { r[t] = y[t] - correction[t] }
            x = Self.projectOntoSemidefinite(r, dimension: n)
            for t in 0..<(n * n) { correction[t] = x[t] - r[t] }
            y = x
            for i in 0..<n { y[i * n + i] = 1 }
            let normX = Self.frobenius(x), normY = Self.frobenius(y)
            let changeX = Self.frobeniusDistance(x, previousX) / max(normX, .leastNormalMagnitude)
            let changeY = Self.frobeniusDistance(y, previousY) / max(normY, .leastNormalMagnitude)
            let gap = Self.frobeniusDistance(y, x) / max(normY, .leastNormalMagnitude)
            if max(changeX, changeY, gap) <= tolerance {
                converged = true
                break
            }
        }

        var result = x
        var scale = [Double](repeating: 1, count: n)
        for i in 0..<n {
            let d = x[i * n + i]
            // A PSD matrix with a zero diagonal entry has that whole row zero; leave it unscaled
            // and let the diagonal reset below make the factor independent.
            scale[i] = d > 0 ? 1 / d.squareRoot() : 1
        }
        for i in 0..<n {
            for j in 0..<n {
                result[i * n + j] = i == j ? 1 : x[i * n + j] * scale[i] * scale[j]
            }
        }
        for i in 0..<n {
            for j in (i + 1)..<n {
                let s = max(-1, min(1, 0.5 * (result[i * n + j] + result[j * n + i])))
                result[i * n + j] = s
                result[j * n + i] = s
            }
        }

        var worst: FactorPair? = nil
        var maxChange = 0.0
        for i in 0..<n {
            for j in i..<n {
                let change = abs(result[i * n + j] - entries[i * n + j])
                if change > maxChange {
                    maxChange = change
                    worst = pair(i, j)
                }
            }
        }
        let report = NearestCorrelationReport(
            frobeniusDistance: Self.frobeniusDistance(result, entries),
            maxAbsoluteChange: maxChange, worstEntry: worst,
            iterations: iterations, converged: converged,
            originalSmallestEigenvalue: originalSmallest)
        return (CorrelationMatrix(rowMajor: result, dimension: n, names: names), report)
    }

    /// V max(Λ, 0) V^T: the nearest PSD matrix to a symmetric one.
    private static func projectOntoSemidefinite(_ r: [Double], dimension n: Int) -> [Double] {
        let (values, v) = symmetricEigen(r, dimension: n, vectors: true)
        var out = [Double](repeating: 0, count: n * n)
        for k in 0..<n where values[k] > 0 {
            let lambda = values[k]
            let column = k * n
            for i in 0..<n {
                let vi = lambda * v[column + i]
                for j in i..<n {
                    out[i * n + j] += vi * v[column + j]
                }
            }
        }
        for i in 0..<n {
            for j in (i + 1)..<n { out[j * n + i] = out[i * n + j] }
        }
        return out
    }

    private static func frobenius(_ a: [Double]) -> Double {
        var s = 0.0
        for v in a { s += v * v }
        return s.squareRoot()
    }

    private static func frobeniusDistance(_ a: [Double], _ b: [Double]) -> Double {
        var s = 0.0
        for t in a.indices {
            let d = a[t] - b[t]
            s += d * d
        }
        return s.squareRoot()
    }
}
