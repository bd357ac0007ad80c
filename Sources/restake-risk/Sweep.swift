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
            location is ....severity.mean (a + b kept).
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

    @OptionGroup var report: ReportOptions

    func validate() throws {
        if vary.isEmpty { throw ValidationError("--vary: give at least one PATH=a:b:n or PATH=v1,v2,...") }
        if paths <= 0 { throw ValidationError("--paths \(paths): must be at least 1") }
        if threads <= 0 { throw ValidationError("--threads \(threads): must be at least 1") }
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

        let progress = SimulationProgress()
        let display = ProgressDisplay.start(progress: progress, totalBlocks: sweep.totalBlocks(paths: paths),
                                            totalPaths: sweep.totalBlocks(paths: paths) * Simulation.blockSize,
                                            enabled: !report.quiet && isatty(STDERR_FILENO) == 1)
        var csv = SweepCSV(plan: sweep.plan)
        var files: [(name: String, contents: Data)] = []
        var reports: [(point: Int, report: RunReport)] = []
        let digits = max(4, String(sweep.plan.count - 1).count)
        sweep.run(seed: seed, paths: paths, threads: threads, progress: progress) { point, result in
            let runReport = RunReport(scenarioName: sweep.scenarios[point].name, model: sweep.models[point],
                                      result: result, seed: seed, extraAlphas: report.alphas,
                                      samples: report.samples ?? 0)
            csv.append(point: point, values: sweep.plan.values(at: point), report: runReport)
            if keepRuns {
                let folder = "points/" + String(repeating: "0", count: max(0, digits - String(point).count)) + String(point)
                files += runReport.files(includeSamples: report.samples != nil).map { ("\(folder)/\($0.name)", $0.contents) }
            }
            // The table needs only the statistics; drop the per-point distributions and fan.
            var kept = runReport
            kept.fan = []; kept.distributions = []; kept.samples = []
            reports.append((point, kept))
        }
        display?.finish()
        files.insert(("sweep.csv", Data(csv.text.utf8)), at: 0)
        do { try output.write(files) } catch { throw fail("\(error)") }
        print(Sweep.table(plan: sweep.plan, reports: reports), terminator: "")
        if !report.quiet {
            FileHandle.standardError.write(Data("wrote sweep.csv (\(sweep.plan.count) points)\(keepRuns ? " and points/" : "") to \(output.url.path)\n".utf8))
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
