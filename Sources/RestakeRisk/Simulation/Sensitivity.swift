/// Derivatives of every reported number with respect to scenario parameters, by central
/// differences on common random numbers.
///
/// For a parameter with base value x, the bump is `h = rel * |x|`; the scenario runs at x - h
/// and x + h (and once at x), each on the same seed and paths, and the derivative of a number m
/// is `(m(x + h) - m(x - h)) / (2 h)`. Draws are keyed by purpose, so the two runs differ only
/// where the parameter acts and the difference carries little noise. Its standard error comes
/// from paired per-path differences for means and probabilities, and from batch means (the same
/// difference on `batches` contiguous groups of paths) for quantiles, VaR, ES and tail
/// contributions (attribution numbers: derivative only, no standard error yet).
public struct Sensitivity {
    /// One number's derivative with respect to one parameter.
    public struct Row: Sendable, Equatable {
        public var parameter: String
        public var strategy: String
        public var metric: String
        public var alpha: Double?
        /// The number at the base value, and at the down (x - h) and up (x + h) bumps.
        public var base: Double?
        public var low: Double?
        public var high: Double?
        public var derivative: Double?
        public var se: Double?
    }

    /// A parameter left out, and why (its bumped value is not a valid scenario, or it is 0).
    public struct Skipped: Sendable, Equatable {
        public var parameter: String
        public var reason: String
    }

    public let parameters: [SensitivityParameter]
    /// The relative bump.
    public let bump: Double
    public let base: Scenario
    let baseModel: CompiledModel
    /// Per parameter: the down and up models, and the absolute bump h.
    let bumped: [(down: CompiledModel, up: CompiledModel, h: Double)]
    public let skipped: [Skipped]

    /// Groups of paths for the batch-means standard errors.
    public static let batches = 20

    /// Prepares the runs: the named parameters (`paths` empty: every default parameter whose value
    /// is not 0), each bumped down and up, validated and compiled.
    ///
    /// A named parameter that cannot be bumped is an error naming it; a default one is skipped
    /// and listed in `skipped`.
    public init(base: Scenario, parameters paths: [String], bump: Double) throws(WhatIfError) {
        guard bump > 0 && bump < 1 else { throw WhatIfError("--bump \(bump): the relative bump must lie strictly between 0 and 1") }
        let named = !paths.isEmpty
        var candidates: [SensitivityParameter] = []
        if named {
            for path in paths { candidates.append(try SensitivityParameter.find(path, in: base)) }
        } else {
            candidates = SensitivityParameter.catalog(of: base).filter(\.isDefault)
        }
        do { baseModel = try CompiledModel.compile(base).model } catch { throw WhatIfError("\(error)") }
        var kept: [SensitivityParameter] = [], bumped: [(down: CompiledModel, up: CompiledModel, h: Double)] = []
        var skipped: [Skipped] = []
        for p in candidates {
            let x = p.value(in: base)
            let h = bump * abs(x)
            func compile(_ value: Double) throws(ScenarioError) -> CompiledModel {
                let s = p.applying(value, to: base)
                try s.validate()
                return try CompiledModel.compile(s).model
            }
            if h == 0 {
                if named { throw WhatIfError("--param \(p.path): its value is 0, so a relative bump does not move it; sweep it instead") }
                continue
            }
            do {
                bumped.append((down: try compile(x - h), up: try compile(x + h), h: h))
                kept.append(p)
            } catch {
                if named { throw WhatIfError("--param \(p.path): bumped to \(NumberText.csv(x - h)) or \(NumberText.csv(x + h)) it is not valid: \(error); use a smaller --bump") }
                skipped.append(Skipped(parameter: p.path, reason: "\(error)"))
            }
        }
        self.parameters = kept; self.bump = bump; self.base = base
        self.bumped = bumped; self.skipped = skipped
    }

    /// Blocks all runs simulate together (2M + 1 runs), for one progress bar.
    public func totalBlocks(paths: Int) -> Int { (2 * parameters.count + 1) * Simulation.blockCount(paths: paths) }

    /// The base run's report, every row and the tornado rankings.
    public struct Result: Sendable {
        public var baseReport: RunReport
        public var rows: [Row]
        public var tornado: [Tornado]
    }

    /// Runs the base and every bump on the same seed and paths and estimates the derivatives.
    public func run(seed: UInt64, paths: Int, threads: Int, alphas: [Double] = [],
                    progress: SimulationProgress? = nil) -> Result {
        precondition(paths > 0 && threads > 0, "paths and threads must be positive")
        let lowest = RunStatistics.levels(extra: alphas)[0]
        let baseResult = Simulation.run(model: baseModel, seed: seed, paths: paths, threads: threads,
                                        attributionLevel: lowest, progress: progress)
        let report = RunReport(scenarioName: base.name, model: baseModel, result: baseResult, seed: seed, extraAlphas: alphas)
        let levels = report.alphas
        let baseMetrics = report.strategies.map { $0.sweepMetrics(pathCount: paths) }
        var rows: [Row] = []
        for (p, parameter) in parameters.enumerated() {
            let (downModel, upModel, h) = bumped[p]
            let down = Simulation.run(model: downModel, seed: seed, paths: paths, threads: threads,
                                      attributionLevel: lowest, progress: progress)
            let up = Simulation.run(model: upModel, seed: seed, paths: paths, threads: threads,
                                    attributionLevel: lowest, progress: progress)
            for (s, strategy) in baseModel.strategies.enumerated() {
                let estimate = Self.difference(down: down.strategies[s], up: up.strategies[s], h: h,
                                               model: baseModel, strategy: s, alphas: levels)
                for (m, base) in baseMetrics[s].enumerated() {
                    let e = estimate.first { $0.metric == base.metric && $0.alpha == base.alpha }
                    rows.append(Row(parameter: parameter.path, strategy: strategy.name, metric: base.metric,
                                    alpha: base.alpha, base: baseMetrics[s][m].value, low: e?.low, high: e?.high,
                                    derivative: e?.derivative, se: e?.se))
                }
            }
        }
        return Result(baseReport: report, rows: rows, tornado: Tornado.rankings(rows: rows))
    }
}
