import ArgumentParser
import Foundation
import RestakeRisk

/// `simulate`: runs a scenario (or a shard of it) and writes the output files.
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate a scenario and write summary.json, fan.csv, distribution.csv, attribution.csv.",
        discussion: """
            Without SCENARIO the default scenario (data/scenarios/default.yaml, built in) runs.
            With --shard-index/--shard-count (or in a Slurm array job, from SLURM_ARRAY_TASK_ID and \
            SLURM_ARRAY_TASK_COUNT; or JOB_COMPLETION_INDEX with --shard-count) only that shard's \
            paths run and --out receives a shard folder for `restake-risk merge`.
            """)

    @Argument(help: "Scenario file (YAML or JSON).")
    var scenario: String?

    @Option(help: "Number of paths.")
    var paths = 100_000

    @Option(help: "Random seed: the same seed and paths give the same numbers on any thread count.")
    var seed: UInt64 = 1

    @Option(help: "Worker threads (default: all cores).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Output folder.")
    var out = "out"

    @Option(help: "This shard's index, 0 ..< shard-count.")
    var shardIndex: Int?

    @Option(help: "Number of shards the run is split into.")
    var shardCount: Int?

    @OptionGroup var report: ReportOptions

    func validate() throws {
        if paths <= 0 { throw ValidationError("--paths \(paths): must be at least 1") }
        if threads <= 0 { throw ValidationError("--threads \(threads): must be at least 1") }
        if let shardCount, shardCount <= 0 { throw ValidationError("--shard-count \(shardCount): must be at least 1") }
        if shardIndex != nil && shardCount == nil { throw ValidationError("--shard-index needs --shard-count") }
    }

    func run() throws {
        let text: String
        if let scenario {
            guard let data = FileManager.default.contents(atPath: scenario) else {
                throw fail("\(scenario): cannot read the scenario file")
            }
            text = String(decoding: data, as: UTF8.self)
        } else {
            text = Scenario.defaultText
        }
        let loaded: Scenario
        let model: CompiledModel
        do {
            loaded = try Scenario(yaml: text)
            let compiled = try CompiledModel.compile(loaded)
            model = compiled.model
            if let repair = compiled.repair, !report.quiet {
                FileHandle.standardError.write(Data("note: correlation repaired to the nearest correlation matrix: Frobenius distance \(repair.frobeniusDistance), largest change \(repair.maxAbsoluteChange)\n".utf8))
            }
        } catch {
            throw fail("\(scenario ?? "default scenario"): \(error)")
        }
        let shard = try shardAssignment()
        let output = OutputDirectory(path: out)
        do { try output.prepare() } catch { throw fail("\(error)") }

        if let shard {
            let totalBlocks = Simulation.blockCount(paths: paths)
            guard shard.count <= totalBlocks else {
                throw fail("--shard-count \(shard.count): the run has only \(totalBlocks) blocks of \(Simulation.blockSize) paths; use fewer shards or more paths")
            }
            let blocks = Sharding.blocks(index: shard.index, count: shard.count, paths: paths)
            let result = runWithProgress(model: model, blocks: blocks)
            let header = ShardFile.Header(
                formatVersion: ShardFile.formatVersion, scenarioName: loaded.name,
                scenarioHash: ShardFile.hash(Array(text.utf8)), scenarioText: text, seed: seed,
                totalPaths: paths, shardIndex: shard.index, shardCount: shard.count,
                firstBlock: blocks.lowerBound, endBlock: blocks.upperBound, firstPath: result.firstPath,
                pathCount: result.pathCount, strategies: model.strategies.map(\.name),
                threads: result.threads, elapsedSeconds: result.elapsedSeconds, sections: [])
            do {
                try output.write([(ShardFile.fileName, ShardFile.encode(header: header, result: result))])
            } catch {
                throw fail("\(error)")
            }
            if !report.quiet {
                FileHandle.standardError.write(Data("shard \(shard.index) of \(shard.count): paths \(result.firstPath)..<\(result.firstPath + result.pathCount) written to \(output.url.path)/\(ShardFile.fileName)\n".utf8))
            }
            return
        }

        let result = runWithProgress(model: model, blocks: nil)
        let runReport = RunReport(scenarioName: loaded.name, model: model, result: result, seed: seed,
                                  extraAlphas: report.alphas, samples: report.samples ?? 0)
        try report.publish(runReport, to: output)
    }

    /// The shard to run, from the flags or the scheduler's environment; nil for a whole run.
    func shardAssignment() throws -> (index: Int, count: Int)? {
        let env = ProcessInfo.processInfo.environment
        var index = shardIndex
        var count = shardCount
        if index == nil, let id = env["SLURM_ARRAY_TASK_ID"].flatMap(Int.init) {
            // Array indices need not start at 0 (`--array=1-4`): count from the smallest.
            let minimum = env["SLURM_ARRAY_TASK_MIN"].flatMap(Int.init) ?? 0
            index = id - minimum
            if count == nil { count = env["SLURM_ARRAY_TASK_COUNT"].flatMap(Int.init) }
        }
        if index == nil, let id = env["JOB_COMPLETION_INDEX"].flatMap(Int.init) {
            guard count != nil else {
                throw fail("JOB_COMPLETION_INDEX is set but --shard-count is not: give the number of completions")
            }
            index = id
        }
        guard let count else { return nil }
        guard let index else { throw fail("--shard-count \(count) given without --shard-index") }
        guard index >= 0 && index < count else {
            throw fail("shard index \(index) outside 0..<\(count)")
        }
        return (index, count)
    }

    func runWithProgress(model: CompiledModel, blocks: Range<Int>?) -> SimulationResult {
        let progress = SimulationProgress()
        let totalBlocks = blocks?.count ?? Simulation.blockCount(paths: paths)
        let display = ProgressDisplay.start(progress: progress, totalBlocks: totalBlocks,
                                            enabled: !report.quiet && isatty(STDERR_FILENO) == 1)
        let result = Simulation.run(model: model, seed: seed, paths: paths, blocks: blocks,
                                    threads: threads, progress: progress)
        display?.finish()
        return result
    }
}
