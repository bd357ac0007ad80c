import ArgumentParser
import Foundation
import RestakeRisk

/// `selfcheck`: checks the sampler against the default scenario's correlation matrix.
struct SelfCheck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selfcheck",
        abstract: "Draw correlated normals for the default scenario's factors and compare their sample correlation with the target.")

    /// Fewer draws than this cannot tell a wrong correlation from noise (a 0.1 error in a
    /// correlation is 5 standard errors only from about 2,500 draws).
    static let minimumDraws = 10_000

    @Option(parsing: .unconditional, help: "Paths (each draws 16 steps; at least 625).", transform: Arguments.paths)
    var paths = 65_536

    @Option(parsing: .unconditional, help: "Worker threads (default: all cores).", transform: Arguments.threads)
    var threads: Int?

    func validate() throws {
        guard paths * 16 >= Self.minimumDraws else {
            throw ValidationError("--paths: at least \(Self.minimumDraws / 16) for a meaningful check (\(Self.minimumDraws) draws), got \(paths)")
        }
        guard paths <= 100_000_000 else { throw ValidationError("--paths: at most 100000000 for the self-check, got \(paths)") }
    }

    func run() throws {
        let threads = self.threads ?? ProcessInfo.processInfo.activeProcessorCount
        let scenario = try Scenario(yaml: Scenario.defaultText)
        let target = CorrelationMatrix(matrix: scenario.correlationMatrix(), names: scenario.factorNames)
        let sampler = CorrelatedSampler(factor: try CholeskyFactor(target))
        let steps = 16
        let moments = sampler.moments(seed: 1, paths: paths, steps: steps, threads: threads)
        let n = Double(moments.count)
        var worst = 0.0
        var worstPair = (0, 0)
        for i in 0..<target.dimension {
            for j in 0..<i {
                let rho = target[i, j]
                // The standard error of a sample correlation of normals: (1 - rho^2) / sqrt(n).
                let z = abs(moments.correlation(i, j) - rho) / ((1 - rho * rho) / n.squareRoot())
                if z > worst { worst = z; worstPair = (i, j) }
            }
        }
        let names = target.names
        print("sampler self-check: \(moments.count) draws of \(target.dimension) factors")
        print(String(format: "largest deviation of a sample correlation: %.2f standard errors (%@, %@)",
                     worst, names[worstPair.0], names[worstPair.1]))
        guard worst < 5 else { throw fail("sampler self-check failed: deviation above 5 standard errors") }
        print("ok")
    }
}
