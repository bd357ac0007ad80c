import ArgumentParser
import Foundation
import RestakeRisk

/// `simulate`: runs a scenario (or a shard of it) and writes the output files.
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate a scenario and write summary.json, summary.csv, fan.csv, distribution.csv, attribution.csv.",
        discussion: """
            Without SCENARIO the default scenario (data/scenarios/default.yaml, built in) runs.
            With --shard-index/--shard-count only that shard's paths run and --out receives a shard \
            folder for `restake-risk merge`. `--shard-count auto` takes the count (and `--shard-index \
            auto` the index) from a Slurm array job (SLURM_ARRAY_TASK_COUNT, SLURM_ARRAY_TASK_ID - \
            SLURM_ARRAY_TASK_MIN) or a Kubernetes Indexed Job (JOB_COMPLETION_INDEX, with a numeric \
            --shard-count); without `auto` those variables are ignored.
            """)

    @Argument(help: "Scenario file (YAML or JSON).")
    var scenario: String?

    @Option(parsing: .unconditional, help: "Number of paths (e.g. 100000, 1e6).", transform: Arguments.paths)
    var paths = 100_000

    @Option(parsing: .unconditional,
            help: "Random seed: the same seed and paths give the same numbers on any thread count.",
            transform: Arguments.seed)
    var seed: UInt64 = 1

    @Option(parsing: .unconditional, help: "Worker threads (default: all cores).", transform: Arguments.threads)
    var threads: Int?

    @Option(help: "Output folder, replaced as a whole.")
    var out = "out"

    @Option(parsing: .unconditional, help: "This shard's index, 0 ..< shard-count, or auto.",
            transform: { try Arguments.shard($0, flag: "--shard-index", minimum: 0) })
    var shardIndex: Arguments.Shard?

    @Option(parsing: .unconditional, help: "Number of shards the run is split into, or auto (from the scheduler).",
            transform: { try Arguments.shard($0, flag: "--shard-count", minimum: 1) })
    var shardCount: Arguments.Shard?

    @Option(help: "Refuse runs estimated to need more memory, e.g. 8G (default: half of this machine's memory).",
            transform: Arguments.memory)
    var maxMemory: Double?

    @OptionGroup var report: ReportOptions

    func validate() throws {
        if shardIndex != nil && shardCount == nil { throw ValidationError("--shard-index needs --shard-count") }
    }

    func run() throws {
        let threads = self.threads ?? ProcessInfo.processInfo.activeProcessorCount
        let source = scenario.map(Terminal.safe) ?? "default scenario"
        let text: String
        let loaded: Scenario
        let model: CompiledModel
        do {
            if let scenario {
                text = try ScenarioFile.read(scenario)
            } else {
                text = Scenario.defaultText
            }
            loaded = try Scenario(yaml: text)
            let compiled = try CompiledModel.compile(loaded)
            model = compiled.model
            if let repair = compiled.repair, !report.quiet {
                Terminal.note("note: correlation repaired to the nearest correlation matrix: Frobenius distance \(repair.frobeniusDistance), largest change \(repair.maxAbsoluteChange)")
            }
        } catch let failure as ExitCode {
            throw failure
        } catch {
            throw fail(source, error)
        }
        let output: OutputDirectory
        do {
            output = try OutputDirectory(path: out, label: "--out")
            try output.prepare()
        } catch {
            throw fail("\(error)")
        }
        let shard = try shardAssignment()
        let blocks: Range<Int>?
        if let shard {
            let totalBlocks = Simulation.blockCount(paths: paths)
            guard shard.count <= totalBlocks else {
                throw fail("--shard-count \(shard.count): the run has only \(totalBlocks) blocks of \(Simulation.blockSize) paths; use fewer shards or more paths")
            }
            blocks = Sharding.blocks(index: shard.index, count: shard.count, paths: paths)
        } else {
            blocks = nil
        }
        let shardPaths = blocks.map { min($0.upperBound * Simulation.blockSize, paths) - $0.lowerBound * Simulation.blockSize }
        try Budget.check(model.resources(paths: paths, threads: threads, shardPaths: shardPaths),
                         maxMemory: maxMemory, quiet: report.quiet)

        let result = runWithProgress(model: model, blocks: blocks, threads: threads)
        if let shard {
            let bytes = ShardFile.encode(scenarioText: text, model: model, scenarioName: loaded.name, seed: seed,
                                         totalPaths: paths, shardIndex: shard.index, shardCount: shard.count,
                                         result: result)
            do {
                try output.write([(ShardFile.fileName, Data(bytes))])
            } catch {
                throw fail("\(error)")
            }
            if !report.quiet {
                Terminal.note("shard \(shard.index) of \(shard.count): paths \(result.firstPath)..<\(result.firstPath + result.pathCount) written to \(Terminal.safe(output.url.path))/\(ShardFile.fileName)")
            }
            return
        }
        var runReport = RunReport(scenarioName: loaded.name, model: model, result: result, seed: seed,
                                  extraAlphas: report.alphas, samples: report.samples ?? 0)
        runReport.provenance = RunReport.Provenance(version: BuildInfo.version,
                                                    scenarioSHA256: ShardFile.scenarioHash(text),
                                                    command: CommandText.current)
        try report.publish(runReport, to: output)
    }

    /// The shard to run, from the flags (and, only for `auto`, the scheduler's environment); nil
    /// for a whole run.
    func shardAssignment() throws -> (index: Int, count: Int)? {
        let environment = ProcessInfo.processInfo.environment
        let outcome = Result { () throws(SchedulerEnvironment.Failure) in
            try SchedulerEnvironment.assignment(index: shardIndex, count: shardCount, environment: environment)
        }
        guard case .success(let assignment) = outcome else {
            if case .failure(let error) = outcome { throw fail(error.message) }
            return nil
        }
        let usesEnvironment = shardCount == .auto || shardIndex == .auto
        if !usesEnvironment, !report.quiet,
           let note = SchedulerEnvironment.ignoredNote(environment) {
            Terminal.note(note)
        }
        return assignment.map { ($0.index, $0.count) }
    }

    func runWithProgress(model: CompiledModel, blocks: Range<Int>?, threads: Int) -> SimulationResult {
        let progress = SimulationProgress()
        let totalBlocks = blocks?.count ?? Simulation.blockCount(paths: paths)
        let totalPaths = blocks.map { min($0.upperBound * Simulation.blockSize, paths) - $0.lowerBound * Simulation.blockSize } ?? paths
        let display = ProgressDisplay.start(progress: progress, totalBlocks: totalBlocks, totalPaths: totalPaths,
                                            enabled: !report.quiet && Terminal.stderrIsTerminal)
        let result = Simulation.run(model: model, seed: seed, paths: paths, blocks: blocks,
                                    threads: threads, progress: progress)
        display?.finish()
        return result
    }
}

/// Reads a scenario file's text with messages that say what is wrong with the path.
///
/// Until the shared loader (Scenario/) offers a reader with its size limit and encodings, this
/// refuses what is not a regular file (`/dev/zero` would never end) and decodes UTF-8 strictly,
/// as `Scenario.load(contentsOf:)` does for `validate`.
enum ScenarioFile {
    static func read(_ path: String) throws -> String {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw fail("\(Terminal.safe(path)): cannot read the scenario file (\(String(cString: strerror(errno))))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw fail("\(Terminal.safe(path)): not a regular file; give a YAML or JSON scenario file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw fail("\(Terminal.safe(path)): cannot read the scenario file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw fail("\(Terminal.safe(path)): not UTF-8 text")
        }
        return text
    }
}
