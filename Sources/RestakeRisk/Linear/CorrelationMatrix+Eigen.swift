internal import COpenBLAS

extension CorrelationMatrix {
    /// The eigenvalues in ascending order (LAPACK `dsyevd` on the lower triangle).
    public func eigenvalues() -> [Double] {
        precondition(isSquare, "CorrelationMatrix: eigenvalues of a non-square matrix")
        return Self.symmetricEigen(entries, dimension: dimension, vectors: false).values
    }

    /// The smallest eigenvalue; negative means the matrix is not positive semidefinite.
    public var smallestEigenvalue: Double {
        eigenvalues().first ?? 0
    }

    /// Eigen-decomposes a symmetric matrix stored in `a` (n x n; only one triangle is read).
    ///
    /// Returns ascending eigenvalues and, if asked, the eigenvectors as columns of a column-major
    /// n x n array (column `j` belongs to `values[j]`).
    internal static func symmetricEigen(_ a: [Double], dimension n: Int, vectors: Bool) -> (values: [Double], vectors: [Double]) {
        guard n > 0 else { return ([], []) }
        var work = a
        var w = [Double](repeating: 0, count: n)
        let jobz = CChar(UInt8(ascii: vectors ? "V" : "N"))
        let uplo = CChar(UInt8(ascii: "L"))
        let info = work.withUnsafeMutableBufferPointer { ap in
            w.withUnsafeMutableBufferPointer { wp in
                LAPACKE_dsyevd(LAPACK_COL_MAJOR, jobz, uplo, Int32(n), ap.baseAddress, Int32(n), wp.baseAddress)
            }
        }
        // dsyevd fails only on non-finite input or non-convergence; callers check finiteness first.
        precondition(info == 0, "LAPACKE_dsyevd failed with info \(info)")
        return (w, vectors ? work : [])
    }
}
