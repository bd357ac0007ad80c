import Dispatch
import Synchronization

/// Correlated factor draws for blocks of paths: the sampling core under the restaking model.
///
/// A block's k x B standard normals are drawn factor-major (each factor's B values contiguous,
/// ~16K doubles that stay in L2), turned into correlated draws by one in-place triangular
/// multiply, and, under a Student-t copula, divided per path by `sqrt(W / nu)`, `W ~ chi2(nu)`.
public struct CorrelatedSampler: Sendable {
    public let factor: CholeskyFactor
    /// Degrees of freedom of the Student-t copula; nil for Gaussian draws.
    public let studentDegreesOfFreedom: Double?

    public init(factor: CholeskyFactor, studentDegreesOfFreedom: Double? = nil) {
        precondition(studentDegreesOfFreedom.map { $0 > 0 } ?? true, "degrees of freedom must be positive")
        self.factor = factor
        self.studentDegreesOfFreedom = studentDegreesOfFreedom
    }

    /// Fills `draws` (k x `paths`, factor-major) with one step's correlated draws.
    ///
    /// `scratch` holds k x `paths` doubles and `mixing` `paths` doubles.
    @inlinable
    public func fill(_ draws: UnsafeMutablePointer<Double>, paths: Int, rng: inout RandomStream,
                     scratch: UnsafeMutablePointer<Double>, mixing: UnsafeMutablePointer<Double>) {
        let k = factor.dimension
        rng.fillNormals(draws, count: k * paths)
        factor.apply(factorMajor: draws, paths: paths, scratch: scratch)
        if let nu = studentDegreesOfFreedom {
            rng.fillChiSquared(mixing, count: paths, dof: nu)
            for p in 0..<paths { mixing[p] = (nu / mixing[p]).squareRoot() }
            for f in 0..<k {
                let z = draws + f * paths
                for p in 0..<paths { z[p] *= mixing[p] }
            }
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
        let k = factor.dimension
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
        let k = factor.dimension
        return runBlocks(seed: seed, paths: paths, steps: steps, threads: threads, width: 1) { z, n, recorded, out in
            var s = 0.0
            for f in 0..<k {
                let zf = z + f * n
                for p in 0..<recorded { s += zf[p] }
            }
            out[0] += s
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
        let k = factor.dimension
        let blocks = Simulation.blockCount(paths: paths)
        let partials = UnsafeMutableBufferPointer<Double>.allocate(capacity: blocks * width)
        partials.initialize(repeating: 0)
        defer { partials.deallocate() }
        nonisolated(unsafe) let shared = partials
        let next = Atomic<Int>(0)
        let sampler = self
        DispatchQueue.concurrentPerform(iterations: min(threads, blocks)) { _ in
            let draws = UnsafeMutablePointer<Double>.allocate(capacity: k * b)
            let scratch = UnsafeMutablePointer<Double>.allocate(capacity: k * b)
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
