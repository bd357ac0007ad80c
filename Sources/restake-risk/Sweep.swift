import ArgumentParser
import Foundation
import RestakeRisk

/// `sweep`: one scenario run over a grid (or a zip) of parameter values on common random numbers.
struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run a scenario at every point of a parameter grid and write sweep.csv.",
        discussion: """
            --vary PATH=a:b:n takes n evenly spaced values from a to b; --vary PATH=v1,v2,... the \
            listed values. Several --vary give the grid of every combination (the last varies \
            fastest), or with --zip the values paired in order. Every point runs on the same seed \
            and paths (common random numbers), from one parse of the scenario. PATH is a numeric \
            field with names in place of indices: avs[bridge].incident_rate, \
            strategies[lrt-loop-3x].leverage.ratio, correlation.systemic.ETH; a Beta severity's \
            location is ....severity.mean (a + b kept). With --shard-index/--shard-count only that \
            shard's share of the points x blocks runs and --out receives a sweep shard folder \
            (points/NNNN/shard.bin) for `restake-risk merge`, which writes the unsharded sweep's \
            files; `auto` takes the shard from a Slurm array or Kubernetes Indexed Job as simulate does.
            """)

    @Argument(help: "Scenario file (YAML or JSON); the built-in default scenario without it.")
    var scenario: String?

    @Option(name: .customLong("vary"), help: "PATH=a:b:n or PATH=v1,v2,... (repeatable).")
    var vary: [String] = []

    @Flag(help: "Pair the --vary values in order instead of taking their grid product.")
    var zip = false

    @OptionGroup(title: "Scenario") var input: ScenarioOptions

    @Option(help: "Number of paths at every point.")
    var paths = 100_000

    @Option(help: "Random seed, the same at every point.")
    var seed: UInt64 = 1

    @Option(help: "Worker threads (default: all cores).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Output folder.")
    var out = "out"

    @Flag(help: "Also write each point's run files under points/NNNN/.")
    var keepRuns = false

    @Option(parsing: .unconditional, help: "This shard's index, 0 ..< shard-count, or auto.",
            transform: { try Arguments.shard($0, flag: "--shard-index", minimum: 0) })
    var shardIndex: Arguments.Shard?

    @Option(parsing: .unconditional,
            help: "Number of shards the sweep's points x blocks are split into, or auto (from the scheduler).",
            transform: { try Arguments.shard($0, flag: "--shard-count", minimum: 1) })
    var shardCount: Arguments.Shard?

    @OptionGroup var report: ReportOptions

    func validate() throws {
        if vary.isEmpty { throw ValidationError("--vary: give at least one PATH=a:b:n or PATH=v1,v2,...") }
        if paths <= 0 { throw ValidationError("--paths \(paths): must be at least 1") }
        if threads <= 0 { throw ValidationError("--threads \(threads): must be at least 1") }
        if shardIndex != nil && shardCount == nil { throw ValidationError("--shard-index needs --shard-count") }
    }

    func run() throws {
        let (document, parsed) = try WhatIfInput.document(path: scenario, overrides: input.overrides, limits: input.limits)
        let sweep: Sweep
        do {
            var axes: [SweepAxis] = []
            for v in vary { axes.append(try SweepAxis(parsing: v)) }
            sweep = try Sweep(document: document, plan: try SweepPlan(axes: axes, zipped: zip), overrides: parsed)
        } catch {
            throw fail("\(error)")
        }
        let output: OutputDirectory
        do {
            output = try OutputDirectory(path: out, label: "--out")
            try output.prepare()
        } catch {
            throw fail("\(error)")
        }

        if let shard = try ShardFlags.assignment(index: shardIndex, count: shardCount, quiet: report.quiet) {
            try runShard(sweep, document: document, overrides: parsed, shard: shard, output: output)
            return
        }
        let progress = SimulationProgress()
        let display = ProgressDisplay.start(progress: progress, totalBlocks: sweep.totalBlocks(paths: paths),
                                            totalPaths: sweep.totalBlocks(paths: paths) * Simulation.blockSize,
                                            enabled: !report.quiet && isatty(STDERR_FILENO) == 1)
        var sweepOutput = SweepOutput(plan: sweep.plan, keepRuns: keepRuns, includeSamples: report.samples != nil)
        sweep.run(seed: seed, paths: paths, threads: threads,
                  attributionLevel: RunStatistics.levels(extra: report.alphas)[0], progress: progress) { point, result in
            sweepOutput.add(point: point, report: RunReport(scenarioName: sweep.scenarios[point].name,
                                                            model: sweep.models[point], result: result, seed: seed,
                                                            extraAlphas: report.alphas, samples: report.samples ?? 0))
        }
        display?.finish()
        do { try output.write(sweepOutput.files) } catch { throw fail("\(error)") }
        print(sweepOutput.table, terminator: "")
        if !report.quiet {
            FileHandle.standardError.write(Data("wrote sweep.csv (\(sweep.plan.count) points)\(keepRuns ? " and points/" : "") to \(output.url.path)\n".utf8))
        }
    }

    /// Runs one shard's pieces of the sweep and writes `points/NNNN/shard.bin` for each.
    func runShard(_ sweep: Sweep, document: ScenarioDocument, overrides: [ScenarioOverride],
                  shard: (index: Int, count: Int), output: OutputDirectory) throws {
        let points = sweep.plan.count
        let total = Sweep.blockCount(points: points, paths: paths)
        guard shard.count <= total else {
            throw fail("--shard-count \(shard.count): the sweep has only \(total) blocks (\(points) points of \(Simulation.blockCount(paths: paths)) blocks of \(Simulation.blockSize) paths); use fewer shards or more paths")
        }
        let pieces = Sweep.pieces(shard: shard.index, of: shard.count, points: points, paths: paths)
        let progress = SimulationProgress()
        let blocks = pieces.map(\.blocks.count).reduce(0, +)
        let display = ProgressDisplay.start(progress: progress, totalBlocks: blocks, totalPaths: blocks * Simulation.blockSize,
                                            enabled: !report.quiet && isatty(STDERR_FILENO) == 1)
        var files: [(name: String, contents: Data)] = []
        for piece in pieces {
            let model = sweep.models[piece.point]
            let result = Simulation.run(model: model, seed: seed, paths: paths, blocks: piece.blocks,
                                        threads: threads,
                                        attributionLevel: RunStatistics.levels(extra: report.alphas)[0],
                                        progress: progress)
            let record = ShardFile.SweepRecord(axes: sweep.plan.axes, zipped: sweep.plan.zipped, keepRuns: keepRuns,
                                               point: piece.point, pointCount: points)
            let header = ShardFile.Header(scenarioText: document.text, model: model,
                                          scenarioName: sweep.scenarios[piece.point].name, seed: seed,
                                          totalPaths: paths, shardIndex: piece.index, shardCount: piece.count,
                                          blocks: piece.blocks, overrides: overrides.map(\.description),
                                          sweep: record, result: result)
            files.append(("\(SweepOutput.folder(point: piece.point, of: points))/\(ShardFile.fileName)",
                          ShardFile.encode(header: header, result: result)))
        }
        display?.finish()
        do { try output.write(files) } catch { throw fail("\(error)") }
        if !report.quiet {
            let described = pieces.map { "point \($0.point) blocks \($0.blocks.lowerBound)..<\($0.blocks.upperBound)" }
            Terminal.note("sweep shard \(shard.index) of \(shard.count): \(described.joined(separator: ", ")) written to \(Terminal.safe(output.url.path))/points/")
        }
    }
}

/// Reading the scenario of a what-if command: the file (or the default) parsed once.
enum WhatIfInput {
    /// The parsed document and the `--set` overrides, each checked against the document.
    static func document(path: String?, overrides: [String],
                         limits: LoadLimits = .default) throws -> (ScenarioDocument, [ScenarioOverride]) {
        let document: ScenarioDocument
        do {
            if let path {
                document = try ScenarioDocument(contentsOf: URL(fileURLWithPath: path), limits: limits)
            } else {
                document = try ScenarioDocument(yaml: Scenario.defaultText, limits: limits)
            }
        } catch {
            throw fail(ScenarioInput.source(path), error)
        }
        var parsed: [ScenarioOverride] = []
        for o in overrides {
            do {
                let override = try ScenarioOverride(parsing: o)
                _ = try document.scenario(overrides: parsed + [override])
                parsed.append(override)
            } catch {
                throw ErrorOutput.fail("--set \(Terminal.safe(o)): \(error)", path: error.path)
            }
        }
        return (document, parsed)
    }

    /// The loaded scenario with every `--set PATH=VALUE` applied and validated.
    static func scenario(path: String?, options: ScenarioOptions) throws -> Scenario {
        try ScenarioInput.load(path, options: options).scenario
    }
}
