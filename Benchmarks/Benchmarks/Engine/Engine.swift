import Benchmark
import Foundation
import RestakeRisk

/// The whole engine on MODEL.md's example scenario (8 factors, 6 strategies, 365 steps): each
/// iteration simulates 16,384 paths, i.e. 5.98 M path-steps; throughput x 5.98 M is path-steps/s.
let benchmarks: @Sendable () -> Void = {
    let url = Bundle.module.url(forResource: "example", withExtension: "yaml")!
    let scenario = try! Scenario.load(contentsOf: url)
    let model = try! CompiledModel.compile(scenario).model
    let configuration = Benchmark.Configuration(metrics: [.wallClock, .throughput], warmupIterations: 1,
                                                maxDuration: .seconds(10), maxIterations: 10)
    for threads in [1, 2] {
        Benchmark("example scenario 16384 paths threads=\(threads)", configuration: configuration) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(Simulation.run(model: model, seed: 1, paths: 16_384, threads: threads).pathCount)
            }
        }
    }
}
