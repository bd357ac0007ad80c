import Foundation
@testable import RestakeRisk

/// Helpers shared by the model tests: running a YAML scenario, and numerical oracles that do not
/// depend on the engine's own special functions (normal CDF from `erfc`, quantiles by bisection).
enum ModelTestSupport {
    struct Run {
        var scenario: Scenario
        var model: CompiledModel
        var result: SimulationResult
        var report: RunReport

        func strategyIndex(_ name: String) -> Int {
            guard let i = model.strategies.firstIndex(where: { $0.name == name }) else {
                fatalError("no strategy \(name)")
            }
            return i
        }
        func paths(_ name: String) -> StrategyPaths { result.strategies[strategyIndex(name)] }
        func stats(_ name: String) -> StrategyStatistics { report.strategies[strategyIndex(name)] }
    }

    static func run(_ yaml: String, seed: UInt64 = 42, paths: Int, threads: Int = 2) throws -> Run {
        let scenario = try Scenario(yaml: yaml)
        let model = try CompiledModel.compile(scenario).model
        let result = Simulation.run(model: model, seed: seed, paths: paths, threads: threads)
        let report = RunReport(scenarioName: scenario.name, model: model, result: result, seed: seed)
        return Run(scenario: scenario, model: model, result: result, report: report)
    }

    /// The shipped example scenario (MODEL.md's example).
    static func exampleYAML() throws -> String {
        let url = ScenarioFixtures.repositoryRoot.appendingPathComponent("data/scenarios/example.yaml")
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// `|a - b| <= tol * max(|a|, |b|)` (or both exactly 0).
    static func relClose(_ a: Double, _ b: Double, _ tol: Double) -> Bool {
        if a == b { return true }
        return abs(a - b) <= tol * max(abs(a), abs(b))
    }

    // MARK: Normal distribution (independent of the engine)

    static func phi(_ x: Double) -> Double { exp(-0.5 * x * x) / (2 * Double.pi).squareRoot() }
    static func Phi(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }

    /// Inverse normal CDF by bisection on `Phi` (slow but independent; ~1e-15 absolute).
    static func PhiInv(_ p: Double) -> Double {
        precondition(p > 0 && p < 1)
        var lo = -40.0, hi = 40.0
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if Phi(mid) < p { lo = mid } else { hi = mid }
            if hi - lo < 1e-15 { break }
        }
        return 0.5 * (lo + hi)
    }

    /// `P(X <= h, Y <= k)` for a standard bivariate normal with correlation rho, by Simpson's rule
    /// on `∫_{-∞}^{h} phi(x) Phi((k - rho x) / sqrt(1 - rho^2)) dx`.
    static func bivariateNormalCDF(_ h: Double, _ k: Double, rho: Double, intervals: Int = 2000) -> Double {
        let lo = min(h, -12.0)
        if h <= lo { return 0 }
        let s = (1 - rho * rho).squareRoot()
        func f(_ x: Double) -> Double { phi(x) * Phi((k - rho * x) / s) }
        return simpson(lo, h, intervals, f)
    }

    /// Composite Simpson's rule with an even number of intervals.
    static func simpson(_ a: Double, _ b: Double, _ intervals: Int, _ f: (Double) -> Double) -> Double {
        let n = intervals % 2 == 0 ? intervals : intervals + 1
        let h = (b - a) / Double(n)
        var sum = f(a) + f(b)
        for i in 1..<n { sum += (i % 2 == 1 ? 4 : 2) * f(a + Double(i) * h) }
        return sum * h / 3
    }

    // MARK: Counting

    static func binomialPMF(_ k: Int, _ n: Int, _ p: Double) -> Double {
        if p == 0 { return k == 0 ? 1 : 0 }
        if p == 1 { return k == n ? 1 : 0 }
        let logC = lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1))
        return exp(logC + Double(k) * log(p) + Double(n - k) * log1p(-p))
    }

    /// Empirical frequencies of 0...maxK of integer counts.
    static func frequencies(_ counts: [UInt32], maxK: Int) -> [Double] {
        var c = [Int](repeating: 0, count: maxK + 1)
        for x in counts { c[Int(x)] += 1 }
        return c.map { Double($0) / Double(counts.count) }
    }

    /// Mean and sample standard deviation.
    static func meanSD(_ xs: [Double]) -> (mean: Double, sd: Double) {
        let n = Double(xs.count)
        let m = xs.reduce(0, +) / n
        var ss = 0.0
        for x in xs { ss += (x - m) * (x - m) }
        return (m, (ss / (n - 1)).squareRoot())
    }

    /// Per-step probability of an annual probability p: `q = 1 - (1 - p)^dt`.
    static func perStep(_ p: Double, dt: Double) -> Double { -expm1(dt * log1p(-p)) }
}
