import ArgumentParser
import Foundation
import RestakeRisk

/// `validate`: checks a scenario file and prints what the engine will simulate.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a scenario file; print its factors, operators, the correlation's smallest eigenvalue and its strategies.")

    @Argument(help: "Scenario file (YAML or JSON).")
    var scenario: String

    @OptionGroup(title: "Scenario") var input: ScenarioOptions

    @Option(help: "How errors are printed: table (text) or json (a JSON object on stderr).")
    var format: OutputFormat = .table

    func run() throws {
        let scenario: Scenario
        let model: CompiledModel
        let repair: NearestCorrelationReport?
        do {
            // The same loader as `simulate`, so the two commands accept exactly the same files.
            scenario = try ScenarioInput.load(self.scenario, options: input).scenario
            (model, repair) = try CompiledModel.compile(scenario)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw fail(Terminal.safe(self.scenario), error)
        }
        let matrix = CorrelationMatrix(matrix: scenario.correlationMatrix(), names: scenario.factorNames)
        var out = "\(self.scenario): valid\n"
        out += "scenario \(scenario.name): \(scenario.horizonYears) years, \(model.steps) steps (\(scenario.stepsPerYear) a year), "
        out += "numeraire \(scenario.numeraire.rawValue), copula "
        out += model.studentDegreesOfFreedom.map { "student-t (dof \($0))" } ?? "gaussian"
        out += ", fan every \(scenario.reportEverySteps) steps\n"
        out += "factors (\(model.factorNames.count)):\n"
        for a in scenario.assets { out += "  asset  \(a.name): volatility \(a.volatility), drift \(a.drift)\(a.jumps.map { ", jumps \($0.rate)/year" } ?? "")\n" }
        for s in scenario.avs {
            out += "  avs    \(s.name): incident rate \(s.incidentRate)/year, severity \(Self.describe(s.severity)), reward apr \(s.rewardApr)"
            out += (s.vetoProbability > 0 ? ", veto probability \(s.vetoProbability)" : "") + "\n"
        }
        for t in scenario.tokens { out += "  token  \(t.name): underlying \(t.underlying)\(t.depeg.map { ", depeg rate \($0.rate)/year" } ?? ", no depeg")\n" }
        for o in scenario.operators {
            let serves = o.serves == scenario.avs.map(\.name) ? "every AVS" : o.serves.joined(separator: ", ")
            out += "  operator \(o.name): fault rate \(o.faultRate)/year, severity \(Self.describe(o.faultSeverity)), serves \(serves)\n"
        }
        switch scenario.correlation?.form {
        case .systemic(let loadings)?:
            let listed = scenario.factorNames.compactMap { n in loadings[n].map { "\(n) \($0)" } }
            out += "correlation: systemic (1 latent factor)\n  latent systemic: \(listed.joined(separator: ", "))\n"
            out += "implied correlation: smallest eigenvalue \(matrix.smallestEigenvalue)"
        case .latent(let factors)?:
            out += "correlation: latent (\(factors.count) factor\(factors.count == 1 ? "" : "s"))\n"
            for f in factors {
                out += "  latent \(f.name): " + f.loadings.map { "\($0.factor) \($0.loading)" }.joined(separator: ", ") + "\n"
            }
            out += "implied correlation: smallest eigenvalue \(matrix.smallestEigenvalue)"
        case .matrix?:
            out += "correlation: matrix, smallest eigenvalue \(matrix.smallestEigenvalue)"
        case nil:
            out += "correlation: none (independent factors), smallest eigenvalue \(matrix.smallestEigenvalue)"
        }
        if let repair {
            out += "; repaired to the nearest correlation matrix (Frobenius distance \(repair.frobeniusDistance), largest change \(repair.maxAbsoluteChange))"
        }
        out += "\nstrategies (\(scenario.strategies.count)):\n"
        for s in scenario.strategies {
            var parts = ["asset \(s.asset)"]
            if let t = s.token { parts.append("token \(t)") }
            if let r = s.restake {
                parts.append("\(r.security.rawValue) security over \(r.allocations.map { r.security == .shared ? $0.avs : "\($0.avs) \($0.fraction)" }.joined(separator: ", "))")
            }
            if let l = s.leverage { parts.append("leverage \(l.ratio)x (\(l.oracle.rawValue) oracle)") }
            parts.append("exit \(s.exit.onIncident.rawValue)")
            out += "  \(s.name): " + parts.joined(separator: ", ") + "\n"
        }
        print(Terminal.safe(out), terminator: "")
    }

    /// A severity as the file gives it, with a Beta's mean.
    static func describe(_ severity: Scenario.Severity) -> String {
        switch severity {
        case .fixed(let s): return "fixed \(s)"
        case .beta(let a, let b): return "beta(\(a), \(b)), mean \(severity.mean)"
        }
    }
}

/// `schema`: the JSON Schema of the scenario format, generated from the loader's field tables.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of the scenario file (as docs/scenario.schema.json).",
        discussion: "Editors with the YAML language server validate and complete a scenario that starts with "
            + "`# yaml-language-server: $schema=docs/scenario.schema.json`.")

    func run() { print(Scenario.jsonSchema(), terminator: "") }
}
