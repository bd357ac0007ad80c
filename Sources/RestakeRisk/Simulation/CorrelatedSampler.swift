import Dispatch
import Synchronization

/// Correlated factor draws for blocks of paths: the sampling core under the restaking model.
///
/// A block's k x B standard normals are drawn factor-major (each factor's B values contiguous,
/// ~16K doubles that stay in L2) and correlated in one BLAS call: an in-place triangular
/// multiply for a full matrix, `z = B g + D e` as one `dgemm` for latent factors, nothing for
/// independent factors. Under a Student-t copula each path's vector is then multiplied by
/// `sqrt(nu / W)`, `W ~ chi2(nu)` (one W per path and step, shared by every factor).
public struct CorrelatedSampler: Sendable {
    /// How the factors are coupled.
    public enum Correlation: Sendable {
        /// Independent factors.
        case identity(dimension: Int)
        /// A full correlation matrix through its (possibly pivoted) Cholesky factor.
        case cholesky(CholeskyFactor)
        /// Latent factors (`systemic` is the one-factor case).
        case latent(LatentFactorModel)
    }

    public let correlation: Correlation
    /// Degrees of freedom of the Student-t copula; nil for Gaussian draws.
    public let studentDegreesOfFreedom: Double?

    /// Creates a sampler; `studentDegreesOfFreedom`, if given, must be positive and finite.
    public init(correlation: Correlation, studentDegreesOfFreedom: Double? = nil) {
        precondition(studentDegreesOfFreedom.map { $0 > 0 && $0.isFinite } ?? true,
                     "degrees of freedom must be positive and finite")
        if case let .identity(k) = correlation { precondition(k > 0, "CorrelatedSampler: no factors") }
        self.correlation = correlation
        self.studentDegreesOfFreedom = studentDegreesOfFreedom
    }

    /// Creates a sampler through a Cholesky factor (the full-matrix form).
    public init(factor: CholeskyFactor, studentDegreesOfFreedom: Double? = nil) {
        self.init(correlation: .cholesky(factor), studentDegreesOfFreedom: studentDegreesOfFreedom)
    }

    /// k, the number of factors each path draws per step.
    public var dimension: Int {
        switch correlation {
        case let .identity(k): return k
        case let .cholesky(f): return f.dimension
        case let .latent(m): return m.dimension
        }
    }

    /// The number of doubles `fill`'s `scratch` must hold for a block of `paths`.
    ///
    /// k x paths for a full matrix (used only when its factor is pivoted); for d latent
    /// factors d x paths (their normals g) and one chunk of padded rows (where `dgemm` writes);
    /// 0 for independent factors.
    public func scratchCount(paths: Int) -> Int {
        switch correlation {
        case .identity: return 0
        case let .cholesky(f): return f.dimension * paths
        case let .latent(m):
            let chunk = min(m.dimension, LatentFactorModel.chunkRows(paths: paths))
            return m.latentCount * paths + chunk * LatentFactorModel.paddedStride(paths: paths)
        }
    }

    /// The correlation of the draws z (before the t copula's mixing), for reports and tests.
    public var impliedCorrelation: CorrelationMatrix {
        switch correlation {
        case let .identity(k): return CorrelationMatrix.identity(names: (0..<k).map { "f\($0)" })
        case let .cholesky(f): return f.reconstructed()
        case let .latent(m): return m.impliedCorrelation
        }
    }

    /// The smallest eigenvalue of `impliedCorrelation` (an O(k^3) check for `validate`).
    public var smallestEigenvalue: Double {
        impliedCorrelation.smallestEigenvalue
    }

    /// Fills `draws` (k x `paths`, factor-major) with one step's correlated draws.
    ///
    /// `scratch` holds `scratchCount(paths:)` doubles and `mixing` `paths` doubles. The stream
    /// is consumed as: for independent factors and a full matrix, k x `paths` normals e, then
    /// (t copula) `paths` chi-squared mixing draws; for latent factors, d x `paths` normals g,
    /// then (t copula) the mixing draws, then e. So for a given correlation form the draws
    /// depend only on the stream, k, d and `paths`. Latent factors go through in chunks of
    /// `LatentFactorModel.chunkRows(paths:)` factors, each drawn, correlated and mixed while it
    /// is in cache; the chunk size changes no bit.
    @inlinable
    public func fill(_ draws: UnsafeMutablePointer<Double>, paths: Int, rng: inout RandomStream,
                     scratch: UnsafeMutablePointer<Double>, mixing: UnsafeMutablePointer<Double>) {
        let k = dimension
        if case let .latent(model) = correlation {
            rng.fillNormals(scratch, count: model.latentCount * paths)
            let mixed = drawMixing(mixing, paths: paths, rng: &rng)
            let chunk = LatentFactorModel.chunkRows(paths: paths)
            var first = 0
            while first < k {
                let rows = first..<min(k, first + chunk)
                let z = draws + first * paths
                rng.fillNormals(z, count: rows.count * paths)
                model.apply(rows: rows, factorMajor: z, latent: scratch, paths: paths,
                            through: scratch + model.latentCount * paths, scaledBy: mixed ? mixing : nil)
                first = rows.upperBound
            }
            return
        }
        rng.fillNormals(draws, count: k * paths)
        if case let .cholesky(factor) = correlation {
            factor.apply(factorMajor: draws, paths: paths, scratch: scratch)
        }
        if drawMixing(mixing, paths: paths, rng: &rng) {
            Self.scale(draws, rows: k, paths: paths, by: mixing)
        }
    }

    /// Under the t copula, fills `mixing` with `sqrt(nu / W)`, `W ~ chi2(nu)`, one per path, and
    /// returns true; returns false (drawing nothing) for Gaussian draws.
    @inlinable
    func drawMixing(_ mixing: UnsafeMutablePointer<Double>, paths: Int, rng: inout RandomStream) -> Bool {
        guard let nu = studentDegreesOfFreedom else { return false }
        rng.fillChiSquared(mixing, count: paths, dof: nu)
        // Eight lanes at a time: the scalar `squareRoot()` keeps a call to libm's `sqrt` for
        // negative inputs (errno), which stops the loop from vectorising.
        let scale = SIMD8<Double>(repeating: nu)
        var p = 0
        while paths &- p >= 8 {
            let w = UnsafeRawPointer(mixing + p).loadUnaligned(as: SIMD8<Double>.self)
            UnsafeMutableRawPointer(mixing + p).storeBytes(of: (scale / w).squareRoot(), as: SIMD8<Double>.self)
            p &+= 8
        }
        while p < paths {
            mixing[p] = (nu / mixing[p]).squareRoot()
            p &+= 1
        }
        return true
    }

    /// Multiplies each of `rows` factor-major rows of `paths` values by the path's mixing factor.
    @inlinable
    static func scale(_ z: UnsafeMutablePointer<Double>, rows: Int, paths: Int, by mixing: UnsafeMutablePointer<Double>) {
        for f in 0..<rows {
            let row = z + f * paths
            for p in 0..<paths { row[p] *= mixing[p] }
        }
    }

    /// Sample means and covariances of every factor over `paths x steps` draws.
    public struct Moments: Sendable, Equatable {
        public var count: Int
        public var mean: [Double]
        /// Row-major k x k, divided by `count - 1`.
        public var covariance: [Double]

        /// The sample correlation of factors i and j.
        public func correlation(_ i: Int, _ j: Int) -> Double {
            let k = mean.count
            return covariance[i * k + j] / (covariance[i * k + i] * covariance[j * k + j]).squareRoot()
        }
    }

    /// Draws `steps` vectors for each of `paths` paths and returns their moments.
    ///
    /// Blocks run in parallel; their partial sums are added in block order, so the result is
    /// bit-identical for any thread count.
    public func moments(seed: UInt64, paths: Int, steps: Int, threads: Int) -> Moments {
        let k = dimension
        let partials = runBlocks(seed: seed, paths: paths, steps: steps, threads: threads,
                                 width: k + k * k) { z, n, recorded, out in
            for f in 0..<k {
                var s = 0.0
                let zf = z + f * n
                for p in 0..<recorded { s += zf[p] }
                out[f] += s
            }
            for i in 0..<k {
                let zi = z + i * n
                for j in 0...i {
                    let zj = z + j * n
                    var s = 0.0
                    for p in 0..<recorded { s += zi[p] * zj[p] }
                    out[k + i * k + j] += s
                }
            }
        }
        let count = paths * steps
        let mean = (0..<k).map { partials[$0] / Double(count) }
        var covariance = [Double](repeating: 0, count: k * k)
        for i in 0..<k {
            for j in 0...i {
                let c = (partials[k + i * k + j] - Double(count) * mean[i] * mean[j]) / Double(count - 1)
                covariance[i * k + j] = c; covariance[j * k + i] = c
            }
        }
        return Moments(count: count, mean: mean, covariance: covariance)
    }

    /// The sum of every draw: a cheap consumer for measuring the sampler's throughput.
    public func checksum(seed: UInt64, paths: Int, steps: Int, threads: Int) -> Double {
        let k = dimension
        return runBlocks(seed: seed, paths: paths, steps: steps, threads: threads, width: 1) { z, n, recorded, out in
            // Eight running sums, so that the consumer streams at memory speed instead of one
            // dependent add per value (which would bound a benchmark of the sampler).
            var s = SIMD8<Double>(repeating: 0)
            let whole = recorded & ~7
            for f in 0..<k {
                let zf = UnsafeRawPointer(z + f * n)
                for p in stride(from: 0, to: whole, by: 8) {
                    s += zf.loadUnaligned(fromByteOffset: p * 8, as: SIMD8<Double>.self)
                }
                for p in whole..<recorded { s[0] += z[f * n + p] }
            }
            out[0] += s.sum()
        }[0]
    }

    /// Runs every block's draws through `consume`, which adds into the block's `width` partial
    /// sums; returns the partial sums added in block order.
    func runBlocks(seed: UInt64, paths: Int, steps: Int, threads: Int, width: Int,
                   consume: @Sendable (UnsafeMutablePointer<Double>, Int, Int, UnsafeMutablePointer<Double>) -> Void)
        -> [Double] {
        precondition(paths > 0 && steps > 0 && threads > 0, "paths, steps and threads must be positive")
        BLAS.useSingleThread()
        let b = Simulation.blockSize
        let k = dimension
        let scratchSize = max(1, scratchCount(paths: b))
        let blocks = Simulation.blockCount(paths: paths)
        let partials = UnsafeMutableBufferPointer<Double>.allocate(capacity: blocks * width)
        partials.initialize(repeating: 0)
        defer { partials.deallocate() }
        nonisolated(unsafe) let shared = partials
        let next = Atomic<Int>(0)
        let sampler = self
        DispatchQueue.concurrentPerform(iterations: min(threads, blocks)) { _ in
            let draws = UnsafeMutablePointer<Double>.allocate(capacity: k * b)
            let scratch = UnsafeMutablePointer<Double>.allocate(capacity: scratchSize)
            let mixing = UnsafeMutablePointer<Double>.allocate(capacity: b)
            defer { draws.deallocate(); scratch.deallocate(); mixing.deallocate() }
            while true {
                let block = next.add(1, ordering: .relaxed).oldValue
                if block >= blocks { break }
                var rng = RandomStream(seed: seed, stream: UInt64(block))
                let recorded = min(b, paths - block * b)
                let out = shared.baseAddress! + block * width
                for _ in 0..<steps {
                    sampler.fill(draws, paths: b, rng: &rng, scratch: scratch, mixing: mixing)
                    consume(draws, b, recorded, out)
                }
            }
        }
        var total = [Double](repeating: 0, count: width)
        for block in 0..<blocks {
            for w in 0..<width { total[w] += partials[block * width + w] }
        }
        return total
    }
}
