internal import COpenBLAS

extension LatentFactorModel {
    /// Turns factor-major normals into correlated draws in place: `z = B g + D e` for every path.
    ///
    /// On entry `block` holds e (k x `paths`, factor i's values at `block[i * paths ..<
    /// (i + 1) * paths]`) and `latent` holds g (d x `paths`, the same layout). e is scaled by
    /// D row by row, then one `dgemm` adds B G (row-major: k x d times d x paths). `latent` is
    /// read only. Does not allocate: this runs per block per step.
    public func apply(factorMajor block: UnsafeMutablePointer<Double>, latent: UnsafePointer<Double>, paths: Int) {
        precondition(paths > 0 && paths <= Int(Int32.max), "LatentFactorModel.apply: paths out of range")
        let k = dimension, d = latentCount
        idiosyncratic.withUnsafeBufferPointer { scale in
            for i in 0..<k {
                let row = block + i * paths
                let s = scale[i]
                for p in 0..<paths { row[p] *= s }
            }
        }
        loadings.withUnsafeBufferPointer { b in
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(k), Int32(paths), Int32(d),
                        1.0, b.baseAddress, Int32(d), latent, Int32(paths), 1.0, block, Int32(paths))
        }
    }
}
