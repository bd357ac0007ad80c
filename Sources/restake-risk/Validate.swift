import ArgumentParser
import Foundation
import RestakeRisk

/// `validate`: checks a scenario file and prints what the engine will simulate.
struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a scenario file; print its factors, the correlation's smallest eigenvalue and its strategies.")

    @Argument(help: "Scenario file (YAML or JSON).")
    var scenario: String

    @Option(help: "How errors are printed: table (text) or json (a JSON object on stderr).")
    var format: OutputFormat = .table

    func run() throws {
        let scenario: Scenario
        let model: CompiledModel
        let repair: NearestCorrelationReport?
        do {
            // The same reader as `simulate`, so the two commands accept exactly the same files.
            scenario = try Scenario(yaml: try ScenarioFile.read(self.scenario))
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
        for s in scenario.avs { out += "  avs    \(s.name): incident rate \(s.incidentRate)/year, reward apr \(s.rewardApr)\n" }
        for t in scenario.tokens { out += "  token  \(t.name): underlying \(t.underlying)\(t.depeg.map { ", depeg rate \($0.rate)/year" } ?? ", no depeg")\n" }
        out += "correlation: smallest eigenvalue \(matrix.smallestEigenvalue)"
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
}
