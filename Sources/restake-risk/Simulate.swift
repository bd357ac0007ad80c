import ArgumentParser
import Foundation
import RestakeRisk

/// `simulate`: runs a scenario (or a shard of it) and writes the output files.
struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Simulate a scenario and write summary.json, summary.csv, fan.csv, timeline.csv, distribution.csv, attribution.csv.",
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
            transform: { try Arguments.memory($0) })
    var maxMemory: Double?

    @Option(name: .customLong("trace-path"), parsing: .unconditionalSingleValue,
            help: ArgumentHelp("Also write trace.csv: path I's state after every step (asset price, discount, health factor, debt, equity, slashing loss), repeatable.",
                               discussion: "Every path of a pure replay is the same path; under random draws, pick a path from samples.csv.",
                               valueName: "I"),
            transform: { try Arguments.wholeNumber($0, flag: "--trace-path") })
    var tracePaths: [Int] = []

    @OptionGroup var input: ScenarioOptions

    @OptionGroup var report: ReportOptions

    /// Paths one run traces at most, and the rows `trace.csv` may hold (about 120 bytes each).
    static let maximumTracedPaths = 16
    static let maximumTraceRows = 1_000_000

    func validate() throws {
        if shardIndex != nil && shardCount == nil { throw ValidationError("--shard-index needs --shard-count") }
        for i in tracePaths where i < 0 || i >= paths {
            throw ValidationError("--trace-path \(i): not a path of this run (0 ..< \(paths))")
        }
        if Set(tracePaths).count < tracePaths.count { throw ValidationError("--trace-path: a path is given twice") }
        if tracePaths.count > Self.maximumTracedPaths {
            throw ValidationError("--trace-path: at most \(Self.maximumTracedPaths) paths, got \(tracePaths.count)")
        }
        if !tracePaths.isEmpty && shardCount != nil {
            throw ValidationError("--trace-path writes trace.csv beside a whole run's report; a shard writes only shard.bin (trace a path with a run of its own)")
        }
    }

    func run() throws {
        let threads = self.threads ?? ProcessInfo.processInfo.activeProcessorCount
        let source = scenario.map(Terminal.safe) ?? "default scenario"
        let input = try ScenarioInput.load(scenario, options: self.input)
        let text = input.document.text
        let loaded = input.scenario
        let model: CompiledModel
        do {
            let compiled = try CompiledModel.compile(loaded)
            model = compiled.model
            if let repair = compiled.repair, !report.quiet {
                Terminal.note("note: correlation repaired to the nearest correlation matrix: Frobenius distance \(repair.frobeniusDistance), largest change \(repair.maxAbsoluteChange)")
            }
        } catch {
            throw fail(source, error)
        }
        let traceRows = Simulation.traceRows(model: model, paths: tracePaths.count)
        if traceRows > Self.maximumTraceRows {
            throw fail("--trace-path: \(tracePaths.count) path\(tracePaths.count == 1 ? "" : "s") x \(model.strategies.count) strategies x \(model.steps + 1) steps is \(traceRows) rows of trace.csv, above \(Self.maximumTraceRows); trace fewer paths, or a scenario with fewer steps or strategies")
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
                                         overrides: input.overrides.map(\.description), result: result)
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
                                                    command: CommandText.current,
                                                    overrides: input.overrides.map(\.description))
        runReport.traces = tracePaths.map { Simulation.trace(model: model, seed: seed, path: $0) }
        try report.publish(runReport, to: output)
    }

    /// The shard to run, from the flags (and, only for `auto`, the scheduler's environment); nil
    /// for a whole run.
    func shardAssignment() throws -> (index: Int, count: Int)? {
        try ShardFlags.assignment(index: shardIndex, count: shardCount, quiet: report.quiet)
    }

    func runWithProgress(model: CompiledModel, blocks: Range<Int>?, threads: Int) -> SimulationResult {
        let progress = SimulationProgress()
        let totalBlocks = blocks?.count ?? Simulation.blockCount(paths: paths)
        let totalPaths = blocks.map { min($0.upperBound * Simulation.blockSize, paths) - $0.lowerBound * Simulation.blockSize } ?? paths
        let display = ProgressDisplay.start(progress: progress, totalBlocks: totalBlocks, totalPaths: totalPaths,
                                            enabled: !report.quiet && Terminal.stderrIsTerminal)
        let result = Simulation.run(model: model, seed: seed, paths: paths, blocks: blocks, threads: threads,
                                    attributionLevel: RunStatistics.levels(extra: report.alphas)[0],
                                    progress: progress)
        display?.finish()
        return result
    }
}

/// The options every command that reads a scenario shares: `--set` overrides and the file size
/// limit, applied by the library's one loader (`ScenarioDocument`).
struct ScenarioOptions: ParsableArguments {
    @Option(name: .customLong("set"),
            help: "PATH=VALUE override of a scenario field (repeatable), e.g. avs[bridge].incident_rate=0.05.")
    var overrides: [String] = []

    @Option(name: .customLong("max-file-size"),
            help: "Largest scenario file read, e.g. 64M or 1GiB (default: 16 MiB).",
            transform: { try Arguments.memory($0, flag: "--max-file-size") })
    var maxFileSize: Double?

    var limits: LoadLimits { ScenarioOptions.limits(maxFileSize: maxFileSize) }

    static func limits(maxFileSize: Double?) -> LoadLimits {
        guard let maxFileSize else { return .default }
        var limits = LoadLimits.default
        limits.maxFileBytes = maxFileSize >= Double(Int.max) ? Int.max : max(1, Int(maxFileSize))
        return limits
    }
}

/// A scenario read by the library's loader, with the `--set` overrides applied and validated.
struct ScenarioInput {
    /// The file's path as given, or nil for the built-in default scenario.
    var path: String?
    var document: ScenarioDocument
    var overrides: [ScenarioOverride]
    var scenario: Scenario

    /// The name errors use for the scenario's source.
    var source: String { ScenarioInput.source(path) }
    static func source(_ path: String?) -> String { path.map(Terminal.safe) ?? "default scenario" }

    /// Reads `path` (or the default scenario) within the options' limits, then applies every
    /// `--set`; an error names the file (with every problem the loader found) or the override.
    static func load(_ path: String?, options: ScenarioOptions) throws -> ScenarioInput {
        let (document, overrides) = try WhatIfInput.document(path: path, overrides: options.overrides,
                                                             limits: options.limits)
        let scenario: Scenario
        do {
            scenario = try document.scenario(overrides: overrides)
        } catch {
            throw fail(source(path), error)
        }
        return ScenarioInput(path: path, document: document, overrides: overrides, scenario: scenario)
    }
}
