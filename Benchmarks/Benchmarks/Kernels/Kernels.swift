import Benchmark
import Dispatch
import RestakeRisk

/// The v2 sampling kernels: latent-factor correlation (one dgemm per block and step) against
/// the same correlation as a full Cholesky factor, dgemm from one and two Dispatch workers,
/// the vectorised exp and log, the t-copula transform, keyed Philox fills, chi-squared mixing.
///
/// Throughput is iterations per second; each benchmark's name says what one iteration is.
let benchmarks: @Sendable () -> Void = {
    let configuration = Benchmark.Configuration(metrics: [.wallClock, .throughput], warmupIterations: 1,
                                                maxDuration: .seconds(4), maxIterations: 20)
    let block = 1024

    // Latent: k = 1,000 factors on d = 10 latent ones; each factor loads 0.3 on one latent
    // factor and 0.2 on the next (sum of squares 0.13).
    let k = 1000, d = 10
    let rows: [[Double]] = (0..<k).map { i in
        var r = [Double](repeating: 0, count: d)
        r[i % d] = 0.3
        r[(i + 1) % d] = 0.2
        return r
    }
    let names = (0..<k).map { "f\($0)" }
    let model = try! LatentFactorModel(loadings: rows, names: names, latentNames: (0..<d).map { "L\($0)" })
    let latent = CorrelatedSampler(correlation: .latent(model))
    // 16 blocks of 1,024 paths x 16 steps x 1,000 factors = 262 M correlated values per iteration.
    let paths = 16 * block, steps = 16
    for threads in [1, 2] {
        Benchmark("latent k=1000 d=10 threads=\(threads) (262M values)", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(latent.checksum(seed: 1, paths: paths, steps: steps, threads: threads))
            }
        }
    }
    // The same correlation as a full 1,000 x 1,000 matrix: dtrmm per block and step.
    let full = CorrelatedSampler(factor: try! CholeskyFactor(model.impliedCorrelation))
    for threads in [1, 2] {
        Benchmark("cholesky k=1000 threads=\(threads) (1.0M values)", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(full.checksum(seed: 1, paths: block, steps: 1, threads: threads))
            }
        }
    }

    // dgemm alone, on buffers prepared once: the same 16 x 16 block-steps split over 1 or 2 workers.
    for workers in [1, 2] {
        Benchmark("latent apply (dgemm) only, workers=\(workers) (262M values)", configuration: configuration) { benchmark in
            let e = UnsafeMutablePointer<Double>.allocate(capacity: workers * k * block)
            let g = UnsafeMutablePointer<Double>.allocate(capacity: workers * d * block)
            defer { e.deallocate(); g.deallocate() }
            var rng = RandomStream(seed: 3, stream: 0)
            rng.fillNormals(e, count: workers * k * block)
            rng.fillNormals(g, count: workers * d * block)
            nonisolated(unsafe) let eShared = e
            nonisolated(unsafe) let gShared = g
            BLAS.useSingleThread()
            for _ in benchmark.scaledIterations {
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    for _ in 0..<(256 / workers) {
                        model.apply(factorMajor: eShared + w * k * block, latent: gShared + w * d * block, paths: block)
                    }
                }
                blackHole(e[0])
            }
        }
    }

    let n = 1 << 20
    Benchmark("VectorMath.exp (1M values)", configuration: configuration) { benchmark in
        let x = UnsafeMutablePointer<Double>.allocate(capacity: n)
        let y = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer { x.deallocate(); y.deallocate() }
        for i in 0..<n { x[i] = Double(i % 2000) * 0.01 - 10 }
        for _ in benchmark.scaledIterations {
            VectorMath.exp(x, into: y, count: n)
            blackHole(y[n - 1])
        }
    }
    Benchmark("VectorMath.log (1M values)", configuration: configuration) { benchmark in
        let x = UnsafeMutablePointer<Double>.allocate(capacity: n)
        let y = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer { x.deallocate(); y.deallocate() }
        for i in 0..<n { x[i] = Double(i % 2000 + 1) * 0.001 }
        for _ in benchmark.scaledIterations {
            VectorMath.log(x, into: y, count: n)
            blackHole(y[n - 1])
        }
    }
    for dof in [4.0, 30.0] {
        Benchmark("StudentToNormal dof=\(dof) (1M values)", configuration: configuration) { benchmark in
            let g = StudentToNormal(dof: dof)
            let t = UnsafeMutablePointer<Double>.allocate(capacity: n)
            let x = UnsafeMutablePointer<Double>.allocate(capacity: n)
            defer { t.deallocate(); x.deallocate() }
            // t draws as the copula makes them: normal / sqrt(chi2 / nu).
            var rng = RandomStream(seed: 5, stream: 0)
            rng.fillNormals(t, count: n)
            rng.fillChiSquared(x, count: n, dof: dof)
            for i in 0..<n { t[i] /= (x[i] / dof).squareRoot() }
            for _ in benchmark.scaledIterations {
                g.apply(t, into: x, count: n)
                blackHole(x[n - 1])
            }
        }
    }
    Benchmark("KeyedStream.fillUniforms (1M values)", configuration: configuration) { benchmark in
        let key = EventKey(seed: 1, purpose: .jumpOccurrence, entity: "ETH")
        let u = UnsafeMutablePointer<Double>.allocate(capacity: block)
        defer { u.deallocate() }
        for _ in benchmark.scaledIterations {
            for b in 0..<(n / block) {
                KeyedStream.fillUniforms(key, firstPath: b * block, count: block, step: 7, into: u)
            }
            blackHole(u[0])
        }
    }
    Benchmark("KeyedStream scalar severity Beta(2,38) (100k draws)", configuration: configuration) { benchmark in
        let key = EventKey(seed: 1, purpose: .incidentSeverity, entity: "bridge")
        for _ in benchmark.scaledIterations {
            var sum = 0.0
            for p in 0..<100_000 {
                var s = KeyedStream(key, path: p, step: 3)
                sum += s.nextBeta(2, 38)
            }
            blackHole(sum)
        }
    }
    for dof in [4.0, 5.0, 4.5] {
        Benchmark("fillChiSquared dof=\(dof) (1M values)", configuration: configuration) { benchmark in
            let w = UnsafeMutablePointer<Double>.allocate(capacity: block)
            defer { w.deallocate() }
            var rng = RandomStream(seed: 9, stream: 0)
            for _ in benchmark.scaledIterations {
                for _ in 0..<(n / block) { rng.fillChiSquared(w, count: block, dof: dof) }
                blackHole(w[0])
            }
        }
    }
}
