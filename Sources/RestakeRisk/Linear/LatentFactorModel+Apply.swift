internal import COpenBLAS

extension LatentFactorModel {
    /// Turns factor-major normals into correlated draws in place: `z = B g + D e` for every path.
    ///
    /// On entry `block` holds e (k x `paths`, factor i's values at `block[i * paths ..<
    /// (i + 1) * paths]`) and `latent` holds g (d x `paths`, the same layout). e is scaled by
    /// D row by row, then one `dgemm` adds B G (row-major: k x d times d x paths). `latent` is
    /// read only. Does not allocate: this runs per block per step.
    public func apply(factorMajor block: UnsafeMutablePointer<Double>, latent: UnsafePointer<Double>, paths: Int) {
        apply(rows: 0..<dimension, factorMajor: block, latent: latent, paths: paths)
    }

    /// `z = B g + D e` for the declared factors in `rows` only.
    ///
    /// `block` points at the first of those rows (`rows.count` x `paths`, factor-major);
    /// `latent` holds all of g. Applying consecutive row ranges gives the same bits as one
    /// call over all rows (each row's sum is the same dgemm dot product), which lets a caller
    /// keep a chunk of rows in cache from its normals to its correlated values.
    public func apply(rows: Range<Int>, factorMajor block: UnsafeMutablePointer<Double>,
                      latent: UnsafePointer<Double>, paths: Int) {
        precondition(paths > 0 && paths <= Int(Int32.max), "LatentFactorModel.apply: paths out of range")
        precondition(rows.lowerBound >= 0 && rows.upperBound <= dimension, "LatentFactorModel.apply: rows out of range")
        guard !rows.isEmpty else { return }
        let d = latentCount
        idiosyncratic.withUnsafeBufferPointer { scale in
            for (r, i) in rows.enumerated() {
                let row = block + r * paths
                let s = scale[i]
                for p in 0..<paths { row[p] *= s }
            }
        }
        loadings.withUnsafeBufferPointer { b in
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows.count), Int32(paths), Int32(d),
                        1.0, b.baseAddress! + rows.lowerBound * d, Int32(d), latent, Int32(paths), 1.0, block, Int32(paths))
        }
    }

    /// `z = B g + D e` for the declared factors in `rows`, with the product formed in `padded`.
    ///
    /// The same values as `apply(rows:factorMajor:latent:paths:)`, each then multiplied by
    /// `mixing[p]` when `mixing` is given (the t copula's per-path scale). `padded` holds
    /// `rows.count * paddedStride(paths:)` doubles: D e is written there with a row stride that
    /// is no multiple of 4 KB, `dgemm` adds B G into it, and the rows are copied back. Why: a
    /// block's rows are 1,024 doubles (8 KB) apart, so the rows of `dgemm`'s output tile all
    /// fall in one set of the L1 cache and evict each other; the copies cost less than that
    /// (docs/PERFORMANCE.md, seventh round). Does not allocate.
    public func apply(rows: Range<Int>, factorMajor block: UnsafeMutablePointer<Double>,
                      latent: UnsafePointer<Double>, paths: Int, through padded: UnsafeMutablePointer<Double>,
                      scaledBy mixing: UnsafePointer<Double>?) {
        precondition(paths > 0 && paths <= Int(Int32.max) - Self.stridePadding,
                     "LatentFactorModel.apply: paths out of range")
        precondition(rows.lowerBound >= 0 && rows.upperBound <= dimension, "LatentFactorModel.apply: rows out of range")
        guard !rows.isEmpty else { return }
        let d = latentCount
        let ld = Self.paddedStride(paths: paths)
        idiosyncratic.withUnsafeBufferPointer { scale in
            for (r, i) in rows.enumerated() {
                let row = block + r * paths, out = padded + r * ld
                let s = scale[i]
                for p in 0..<paths { out[p] = row[p] * s }
            }
        }
        loadings.withUnsafeBufferPointer { b in
            cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows.count), Int32(paths), Int32(d),
                        1.0, b.baseAddress! + rows.lowerBound * d, Int32(d), latent, Int32(paths), 1.0, padded, Int32(ld))
        }
        for r in 0..<rows.count {
            let row = block + r * paths, out = UnsafePointer(padded + r * ld)
            if let mixing {
                for p in 0..<paths { row[p] = out[p] * mixing[p] }
            } else {
                row.update(from: out, count: paths)
            }
        }
    }

    /// Doubles between two rows of `apply(rows:factorMajor:latent:paths:through:scaledBy:)`'s
    /// `padded` buffer: `paths` plus one cache line.
    public static func paddedStride(paths: Int) -> Int { paths + stridePadding }
    static let stridePadding = 8

    /// How many declared factors to draw and correlate at a time for a block of `paths`.
    ///
    /// About 256 KB of doubles, so that a chunk stays in a core's L2 cache from its normals
    /// through the `dgemm` (a whole 1,000-factor block is 8 MB and made every pass go to
    /// memory). Only speed depends on it: `CorrelatedSampler` draws the same bits for any
    /// chunk size.
    public static func chunkRows(paths: Int) -> Int {
        max(1, (1 << 15) / max(1, paths))
    }
}
