import ArgumentParser
import Foundation
import RestakeRisk

/// `sensitivity`: derivatives of every reported number by central differences on common random numbers.
struct SensitivityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sensitivity",
        abstract: "Derivatives of every reported number w.r.t. scenario parameters; writes sensitivity.csv.",
        discussion: """
            Each parameter x is run at x(1 - bump) and x(1 + bump) besides the base, on the same \
            seed and paths; the derivative is the central difference, with a standard error from \
            paired per-path differences (means, probabilities) or batch means over 20 groups of \
            paths (quantiles, VaR, ES). Without --param: every nonzero rate, severity mean (a \
            Beta's mean at fixed a + b), APR, fee, loading and leverage parameter. The terminal \
            shows the parameters ranked by their effect on ES99 of the slashing loss and of the \
            total loss (a tornado).
            """)

    @Argument(help: "Scenario file (YAML or JSON); the built-in default scenario without it.")
    var scenario: String?

    @Option(name: .customLong("param"), help: "A numeric parameter path to bump (repeatable), e.g. avs[bridge].incident_rate.")
    var parameters: [String] = []

    @Option(help: "Relative bump: x is moved to x(1 -/+ bump).")
    var bump = 0.05

    @OptionGroup(title: "Scenario") var input: ScenarioOptions

    @Option(help: "Number of paths of every run.")
    var paths = 100_000

    @Option(help: "Random seed, the same for every run.")
    var seed: UInt64 = 1

    @Option(help: "Worker threads (default: all cores).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Output folder.")
    var out = "out"

    @Option(help: "Parameters shown per tornado ranking.")
    var top = 8

    @OptionGroup var report: ReportOptions

    func validate() throws {
        if !(bump > 0 && bump < 1) { throw ValidationError("--bump \(bump): must lie strictly between 0 and 1") }
        if paths <= 0 { throw ValidationError("--paths \(paths): must be at least 1") }
        if threads <= 0 { throw ValidationError("--threads \(threads): must be at least 1") }
        if top <= 0 { throw ValidationError("--top \(top): must be at least 1") }
    }

    func run() throws {
        let base = try WhatIfInput.scenario(path: scenario, options: input)
        let sensitivity: Sensitivity
        do { sensitivity = try Sensitivity(base: base, parameters: parameters, bump: bump) } catch { throw fail("\(error)") }
        if sensitivity.parameters.isEmpty { throw fail("no parameter to bump: every default parameter is 0 or cannot be bumped; name one with --param") }
        let output: OutputDirectory
        do {
            output = try OutputDirectory(path: out, label: "--out")
            try output.prepare()
        } catch {
            throw fail("\(error)")
        }
        if !report.quiet {
            for s in sensitivity.skipped {
                FileHandle.standardError.write(Data("note: \(s.parameter) skipped: bumped by \(bump) it is not valid (\(s.reason))\n".utf8))
            }
        }
        let progress = SimulationProgress()
        let display = ProgressDisplay.start(progress: progress, totalBlocks: sensitivity.totalBlocks(paths: paths),
                                            totalPaths: sensitivity.totalBlocks(paths: paths) * Simulation.blockSize,
                                            enabled: !report.quiet && isatty(STDERR_FILENO) == 1)
        let result = sensitivity.run(seed: seed, paths: paths, threads: threads, alphas: report.alphas, progress: progress)
        display?.finish()
        do { try output.write([("sensitivity.csv", Data(result.csv().utf8))]) } catch { throw fail("\(error)") }
        print("\(base.name): \(sensitivity.parameters.count) parameters bumped by \(bump), \(paths) paths, seed \(seed)")
        print(result.tornadoText(top: top), terminator: "")
        if !report.quiet {
            FileHandle.standardError.write(Data("wrote sensitivity.csv (\(result.rows.count) rows) to \(output.url.path)\n".utf8))
        }
    }
}
