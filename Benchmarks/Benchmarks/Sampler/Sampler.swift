import Benchmark
import RestakeRisk

/// Correlated normals per second: batched blocks (one dtrmm per block and step) against a naive
/// loop doing one triangular matrix-vector product per path, at k = 8, 16, 64 factors.
///
/// Each iteration draws `paths x steps x k` = 2^22 correlated normals, so the reported
/// throughput (iterations/s) times 4.19 M is normals per second.
let benchmarks: @Sendable () -> Void = {
    let normalsPerIteration = 1 << 22
    func factor(_ k: Int) -> CholeskyFactor {
        // One-factor correlation with loading 0.5: a dense, valid k x k matrix.
        let names = (0..<k).map { "f\($0)" }
        return try! CholeskyFactor(CorrelationMatrix(loadings: Array(repeating: 0.5, count: k), names: names))
    }
    let configuration = Benchmark.Configuration(metrics: [.wallClock, .throughput], warmupIterations: 1,
                                                maxDuration: .seconds(5), maxIterations: 20)
    for k in [8, 16, 64] {
        let sampler = CorrelatedSampler(factor: factor(k))
        let steps = 16
        let paths = normalsPerIteration / (k * steps)
        for threads in [1, 2] {
            Benchmark("batched k=\(k) threads=\(threads)", configuration: configuration) { benchmark in
                for _ in benchmark.scaledIterations {
                    blackHole(sampler.checksum(seed: 1, paths: paths, steps: steps, threads: threads))
                }
            }
        }
        Benchmark("naive per-path k=\(k) threads=1", configuration: configuration) { benchmark in
            let f = factor(k)
            let e = UnsafeMutablePointer<Double>.allocate(capacity: k)
            let z = UnsafeMutablePointer<Double>.allocate(capacity: k)
            defer { e.deallocate(); z.deallocate() }
            for _ in benchmark.scaledIterations {
                var rng = RandomStream(seed: 1, stream: 0)
                var sum = 0.0
                for _ in 0..<(normalsPerIteration / k) {
                    rng.fillNormals(e, count: k)
                    f.apply(vector: e, into: z)
                    sum += z[0]
                }
                blackHole(sum)
            }
        }
    }
}
