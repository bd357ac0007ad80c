internal import COpenBLAS

extension CholeskyFactor {
    /// Correlates a factor-major block in place: z = F e for every path.
    ///
    /// The block is a column-major paths x k matrix E (leading dimension `paths`; factor f's
    /// values are `block[f*paths ..< (f+1)*paths]`), and Z = E L^T is one `dtrmm`. `dtrmm` rather
    /// than `dgemm` because `dgemm` called from two Dispatch workers at once was erratic here.
    /// `scratch` (paths * k doubles) is touched only when the factor is pivoted, to permute the
    /// factor slices. Does not allocate: this runs per block per step.
    public func apply(factorMajor block: UnsafeMutablePointer<Double>, paths: Int, scratch: UnsafeMutablePointer<Double>) {
        precondition(paths > 0 && paths <= Int(Int32.max), "CholeskyFactor.apply: paths out of range")
        let k = dimension
        lower.withUnsafeBufferPointer { l in
            cblas_dtrmm(CblasColMajor, CblasRight, CblasLower, CblasTrans, CblasNonUnit,
                        Int32(paths), Int32(k), 1.0, l.baseAddress, Int32(k), block, Int32(paths))
        }
        guard isPivoted else { return }
        // Row p of L produces factor permutation[p]: move slice p to slice permutation[p].
        scratch.update(from: block, count: paths * k)
        permutation.withUnsafeBufferPointer { perm in
            for p in 0..<k {
                (block + perm[p] * paths).update(from: scratch + p * paths, count: paths)
            }
        }
    }

    /// z = F e for one path: the naive per-path product, for benchmark comparison and tests.
    ///
    /// `e` and `z` hold `dimension` values and must not overlap.
    public func apply(vector e: UnsafePointer<Double>, into z: UnsafeMutablePointer<Double>) {
        let k = dimension
        lower.withUnsafeBufferPointer { l in
            if !isPivoted {
                z.update(from: e, count: k)
                cblas_dtrmv(CblasColMajor, CblasLower, CblasNoTrans, CblasNonUnit, Int32(k), l.baseAddress, Int32(k), z, 1)
                return
            }
            permutation.withUnsafeBufferPointer { perm in
                for p in 0..<k {
                    var s = 0.0
                    for j in 0...p { s += l[p + j * k] * e[j] }
                    z[perm[p]] = s
                }
            }
        }
    }
}
