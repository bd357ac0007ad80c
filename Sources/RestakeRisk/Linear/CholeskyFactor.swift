internal import COpenBLAS

/// A factor F with F F^T = C, used to turn independent normals e into correlated ones z = F e.
///
/// F is the lower Cholesky factor L (LAPACK `dpotrf`) when C is positive definite. When
/// `dpotrf` meets a zero or slightly negative pivot (a semidefinite C, e.g. two factors with
/// loading 1), F = P L from pivoted Cholesky (`dpstrf`, P^T C P = L L^T) truncated at the
/// numerical rank; the trailing columns of L are zero.
public struct CholeskyFactor: Sendable {
    /// L, column-major k x k with leading dimension k; the strict upper triangle is zero.
    internal let lower: [Double]
    /// `permutation[p]` is the factor that row p of L produces (0-based `dpstrf` pivots);
    /// the identity when not pivoted.
    internal let permutation: [Int]
    public let dimension: Int
    /// Numerical rank: k for `dpotrf`, the `dpstrf` rank otherwise.
    public let rank: Int
    /// Whether F = P L (the pivoted path); `apply(factorMajor:)` then needs its scratch.
    public let isPivoted: Bool
    /// Factor names, carried over for reports.
    public let names: [String]

    /// Factors a correlation matrix, after validating it.
    ///
    /// Throws the `validate()` error if C is not a correlation matrix (within 1e-10).
    public init(_ c: CorrelationMatrix) throws(CorrelationError) {
        try c.validate()
        let n = c.dimension
        precondition(n > 0, "CholeskyFactor: empty correlation matrix")
        dimension = n
        names = c.names
        let uplo = CChar(UInt8(ascii: "L"))
        // C is symmetric, so its row-major entries are also its column-major entries.
        var a = c.entries
        let info = a.withUnsafeMutableBufferPointer {
            LAPACKE_dpotrf(LAPACK_COL_MAJOR, uplo, Int32(n), $0.baseAddress, Int32(n))
        }
        precondition(info >= 0, "LAPACKE_dpotrf: illegal argument \(-info)")
        // Pivots at or below this are rounding residue of a zero eigenvalue. dpotrf can succeed on a
        // semidefinite matrix with such a pivot (e.g. 2e-16, giving L_ii = 1.5e-8), which would add
        // spurious independent noise to factors that should coincide; treat that as semidefinite.
        let pivotTolerance = 10 * Double(n) * Double.ulpOfOne
        let tinyPivot = info == 0 && (0..<n).contains { a[$0 + $0 * n] * a[$0 + $0 * n] <= pivotTolerance }
        if info == 0 && !tinyPivot {
            Self.zeroStrictUpper(&a, n)
            lower = a
            permutation = Array(0..<n)
            rank = n
            isPivoted = false
            return
        }

        a = c.entries
        var pivots = [Int32](repeating: 0, count: n)
        var r: Int32 = 0
        // The unit diagonal makes this tolerance relative to the matrix scale, as LAPACK's default is.
        let pinfo = a.withUnsafeMutableBufferPointer { ap in
            pivots.withUnsafeMutableBufferPointer { pp in
                LAPACKE_dpstrf(LAPACK_COL_MAJOR, uplo, Int32(n), ap.baseAddress, Int32(n), pp.baseAddress, &r, pivotTolerance)
            }
        }
        precondition(pinfo >= 0, "LAPACKE_dpstrf: illegal argument \(-pinfo)")
        let rk = Int(r)
        Self.zeroStrictUpper(&a, n)
        // dpstrf leaves the unfactored Schur complement in the trailing block; it is rounding
        // noise (possibly negative) and must not enter F.
        for j in rk..<n {
            for i in j..<n { a[i + j * n] = 0 }
        }
        lower = a
        permutation = pivots.map { Int($0) - 1 }
        rank = rk
        isPivoted = true
        assert(Set(permutation).count == n && permutation.allSatisfy { $0 >= 0 && $0 < n })
    }

    private static func zeroStrictUpper(_ a: inout [Double], _ n: Int) {
        for j in 0..<n {
            for i in 0..<j { a[i + j * n] = 0 }
        }
    }

    /// F F^T, for tests and reports.
    public func reconstructed() -> CorrelationMatrix {
        let n = dimension
        var m = [Double](repeating: 0, count: n * n)
        for p in 0..<n {
            for q in 0...p {
                var s = 0.0
                for j in 0...q { s += lower[p + j * n] * lower[q + j * n] }
                let (i, k) = (permutation[p], permutation[q])
                m[i * n + k] = s
                m[k * n + i] = s
            }
        }
        return CorrelationMatrix(rowMajor: m, dimension: n, names: names)
    }

    /// F as rows (row i gives factor i), for reports and tests.
    public var matrix: [[Double]] {
        let n = dimension
        var rows = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for p in 0..<n {
            for j in 0...p { rows[permutation[p]][j] = lower[p + j * n] }
        }
        return rows
    }
}
