import ArgumentParser
import Foundation
import RestakeRisk

/// The `restake-risk` command: a thin layer over the RestakeRisk library.
@main
struct RestakeRiskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restake-risk",
        abstract: "Monte Carlo yield and risk of restaking strategies.",
        discussion: "Run `restake-risk simulate` for the default scenario, or give a scenario file.",
        subcommands: [Simulate.self, Validate.self, Merge.self, SelfCheck.self, SweepCommand.self, SensitivityCommand.self],
        defaultSubcommand: Simulate.self
    )
}

/// Prints a user-facing error to stderr and fails with exit code 2, without a stack trace.
func fail(_ message: String) -> ExitCode {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    return ExitCode(2)
}

/// Options shared by the commands that write a report.
struct ReportOptions: ParsableArguments {
    @Option(name: .customLong("alpha"), parsing: .upToNextOption,
            help: "Extra VaR/ES levels besides 0.95 0.99 0.999, e.g. --alpha 0.975 0.9999.")
    var alphas: [Double] = []

    @Option(help: "Write samples.csv with the first K paths of every strategy.")
    var samples: Int?

    @Option(help: "What to print on stdout: table or json (the summary.json text).")
    var format: OutputFormat = .table

    @Flag(help: "No progress display on stderr.")
    var quiet = false

    func validate() throws {
        for a in alphas where !(a > 0 && a < 1) {
            throw ValidationError("--alpha \(a): a level must lie strictly between 0 and 1")
        }
        if let samples, samples < 0 { throw ValidationError("--samples \(samples): must be 0 or more") }
    }

    /// Writes the report's files into `out` (all or none) and prints it.
    func publish(_ report: RunReport, to out: OutputDirectory) throws {
        do {
            try out.write(report.files(includeSamples: samples != nil))
        } catch {
            throw fail("\(error)")
        }
        switch format {
        case .table: print(report.table(), terminator: "")
        case .json: print(report.summaryJSON(), terminator: "")
        }
        if !quiet {
            FileHandle.standardError.write(Data("wrote \(report.files(includeSamples: samples != nil).map(\.name).joined(separator: ", ")) to \(out.url.path)\n".utf8))
        }
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}
