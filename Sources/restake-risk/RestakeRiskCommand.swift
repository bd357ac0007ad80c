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
        version: BuildInfo.version,
        subcommands: [Simulate.self, Validate.self, SweepCommand.self, SensitivityCommand.self, Merge.self,
                      Report.self, Init.self, SchemaCommand.self, SelfCheck.self, VersionCommand.self, Completions.self],
        defaultSubcommand: Simulate.self
    )

    /// Parses and runs a command with this tool's error conventions: bad input exits 2 (the
    /// parser's own usage errors included), `--format json` makes errors JSON, a mistyped
    /// command gets a suggestion, and the interrupt signals clean up (`Signals`).
    static func main() {
        Signals.install()
        let arguments = Array(CommandLine.arguments.dropFirst())
        ErrorOutput.json = zip(arguments, arguments.dropFirst()).contains { $0 == "--format" && $1 == "json" }
            || arguments.contains("--format=json")
        if let first = arguments.first, let suggestion = Suggestions.command(for: first) {
            Foundation.exit(ErrorOutput.fail("unknown command '\(first)'; did you mean '\(suggestion)'? (restake-risk --help lists the commands)").rawValue)
        }
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success { Self.exit(withError: error) }
            if let exit = error as? ExitCode { Foundation.exit(exit.rawValue) }   // already reported
            var message = fullMessage(for: error)
            if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
            if ErrorOutput.json {
                ErrorOutput.emit(message.components(separatedBy: "\n").first ?? message)
            } else {
                FileHandle.standardError.write(Data("error: \(Terminal.safe(message))\n".utf8))
            }
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}

/// `version`: the build's version, as `--version` prints it.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version", abstract: "Print the version of this build.")
    func run() { print(BuildInfo.version) }
}

/// `completions`: a shell completion script, to source or install.
struct Completions: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a completion script for bash, zsh or fish.",
        discussion: "bash: `source <(restake-risk completions bash)`; `make install` puts all three in place.")

    @Argument(help: "bash, zsh or fish.")
    var shell: String

    func validate() throws {
        guard CompletionShell(rawValue: shell) != nil else {
            throw ValidationError("shell \(Terminal.safe(shell)): give bash, zsh or fish")
        }
    }

    func run() {
        print(RestakeRiskCommand.completionScript(for: CompletionShell(rawValue: shell)!), terminator: "")
    }
}

/// "Did you mean" for a mistyped command.
enum Suggestions {
    static let commands = ["simulate", "validate", "sweep", "sensitivity", "merge", "report", "init", "schema",
                           "selfcheck", "version", "completions", "help"]

    /// The command `word` probably meant, or nil when it is a command, an option, a file (the
    /// default command's scenario) or not close to any command.
    static func command(for word: String) -> String? {
        guard !word.hasPrefix("-"), !commands.contains(word), !word.contains("/"), !word.contains("."),
              !FileManager.default.fileExists(atPath: word) else { return nil }
        let scored = commands.map { ($0, distance(word.lowercased(), $0)) }.min { $0.1 < $1.1 }!
        return scored.1 <= max(1, scored.0.count / 3) ? scored.0 : nil
    }

    /// Optimal string alignment distance (Levenshtein plus adjacent swaps, as in `valdiate`).
    static func distance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        var d = [[Int]](repeating: [Int](repeating: 0, count: y.count + 1), count: x.count + 1)
        for i in 0...x.count { d[i][0] = i }
        for j in 0...y.count { d[0][j] = j }
        for i in stride(from: 1, through: x.count, by: 1) {
            for j in stride(from: 1, through: y.count, by: 1) {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[x.count][y.count]
    }
}

/// Options shared by the commands that write a report.
struct ReportOptions: ParsableArguments {
    @Option(name: .customLong("alpha"), parsing: .upToNextOption,
            help: ArgumentHelp("VaR/ES levels the table shows (the first) and the files report besides 0.95 0.99 0.999, e.g. --alpha 0.975.",
                               discussion: "The table's level defaults to 0.99 for the total and the slashing loss."))
    var alphas: [Double] = []

    @Option(parsing: .unconditional, help: "Write samples.csv with the first K paths of every strategy.",
            transform: Arguments.samples)
    var samples: Int?

    @Option(help: "What to print on stdout: table or json (the summary.json text); json also makes errors JSON on stderr.")
    var format: OutputFormat = .table

    @Flag(help: "No progress display or notes on stderr.")
    var quiet = false

    func validate() throws {
        for a in alphas where !(a > 0 && a < 1) {
            throw ValidationError("--alpha \(a): a level must lie strictly between 0 and 1")
        }
    }

    /// The table's level: the first `--alpha`, else 0.99.
    var tableAlpha: Double { alphas.first ?? 0.99 }

    /// Writes the report's files into `out` (all or none) and prints it.
    func publish(_ report: RunReport, to out: OutputDirectory) throws {
        let files = report.files(includeSamples: samples != nil)
        do {
            try out.write(files)
        } catch {
            throw fail("\(error)")
        }
        switch format {
        case .table:
            print(report.table(alpha: tableAlpha, width: Terminal.width), terminator: "")
        case .json: print(report.summaryJSON(), terminator: "")
        }
        if !quiet {
            Terminal.note("wrote \(files.map(\.name).joined(separator: ", ")) to \(Terminal.safe(out.url.path))")
        }
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// The command line as a shell would re-run it, for `summary.json`'s provenance.
enum CommandText {
    static var current: String {
        CommandLine.arguments.enumerated().map { i, a in
            i == 0 ? "restake-risk" : quoted(a)
        }.joined(separator: " ")
    }

    static func quoted(_ a: String) -> String {
        let plain = a.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "-_./=:,+@%".unicodeScalars.contains($0)
        }
        return plain && !a.isEmpty ? a : "'" + a.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
