import RealModule

/// Everything MODEL.md reports for one strategy, computed exactly from its per-path results.
public struct StrategyStatistics: Sendable {
    public var name: String
    public var pathCount: Int
    public var terminalMean: Double
    public var terminalSD: Double
    /// Lower empirical quantiles of `W_T` at `StrategyStatistics.terminalLevels`.
    public var terminalQuantiles: [Double]
    public var annualizedMean: Double
    public var annualizedMedian: Double
    /// Loss `L = 1 - W_T` at each reported alpha.
    public var loss: [TailRisk]
    public var slashingMean: Double
    public var slashingProbability: Double
    public var slashing: [TailRisk]
    public var incidentsMean: Double
    public var liquidationProbability: Double
    /// Per reported alpha (same order as `loss`), one entry per source.
    public var attribution: [[AttributionEntry]]
    /// At every reporting time (t = 0 included): slashed, liquidated and exited fractions.
    public var timeline: [TimelinePoint]

    /// The quantile levels of terminal wealth MODEL.md asks for.
    public static let terminalLevels = [0.001, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 0.999]

    /// One source's share of slashing risk.
    public struct AttributionEntry: Sendable, Equatable {
        public var source: String
        /// `E[L_s,j]`.
        public var expectedLoss: Double
        /// Mean of `L_s,j` over the tail set of `L_s`; the entries sum to `ES_a(L_s)`.
        public var esContribution: Double
        /// `avs`, `operator` or `base`; nil when the statistics were computed without the model.
        public var kind: String? = nil
    }

    /// Computes the statistics of a strategy over paths `[firstPath, firstPath + N)` from its
    /// columns and the same columns sorted once.
    ///
    /// Sums run in path order, so the result depends on the per-path values only, never on how
    /// the paths were computed (threads, blocks, shards).
    public init(name: String, paths: StrategyPaths, sorted: SortedColumns, firstPath: Int,
                horizonYears: Double, alphas: [Double], reportingSteps: [Int], stepsPerYear: Int) {
        let n = paths.count
        precondition(n > 0, "statistics of no paths")
        paths.checkColumns()
        precondition(sorted.terminalWealth.count == n && sorted.slashingLoss.count == n, "sorted columns of other paths")
        precondition(alphas.allSatisfy { $0 > 0 && $0 < 1 }, "alpha outside (0, 1)")
        self.name = name
        pathCount = n
        let count = Double(n)

        let exponent = 1 / horizonYears
        func annualized(_ w: Double) -> Double { w > 0 ? Double.pow(w, exponent) - 1 : -1 }
        var sum = 0.0, annualSum = 0.0
        for w in paths.terminalWealth { sum += w; annualSum += annualized(w) }
        terminalMean = sum / count
        var ss = 0.0
        for w in paths.terminalWealth { let d = w - terminalMean; ss += d * d }
        terminalSD = n > 1 ? (ss / Double(n - 1)).squareRoot() : 0
        annualizedMean = annualSum / count

        terminalQuantiles = Self.terminalLevels.map { EmpiricalQuantile.lower($0, sorted: sorted.terminalWealth) }
        // W -> W^(1/H) - 1 is increasing, so the median's image is the image's median.
        annualizedMedian = annualized(EmpiricalQuantile.lower(0.5, sorted: sorted.terminalWealth))
        loss = sorted.loss.withUnsafeBufferPointer { b in alphas.map { TailRisk(alpha: $0, sortedLosses: b) } }

        var slashSum = 0.0, slashed = 0
        for x in paths.slashingLoss { slashSum += x; if x > 0 { slashed += 1 } }
        slashingMean = slashSum / count
        slashingProbability = Double(slashed) / count
        slashing = sorted.slashingLoss.withUnsafeBufferPointer { b in alphas.map { TailRisk(alpha: $0, sortedLosses: b) } }

        var incidentSum = 0
        for i in paths.incidents { incidentSum += Int(i) }
        incidentsMean = Double(incidentSum) / count
        liquidationProbability = Double(paths.liquidatedPaths) / count

        attribution = Self.attribute(paths: paths, sortedSlashing: sorted.slashingLoss,
                                     firstPath: firstPath, alphas: alphas)
        timeline = TimelinePoint.timeline(reportingSteps: reportingSteps, stepsPerYear: stepsPerYear, paths: paths)
    }

    /// Computes the statistics of strategy `s` of a model over paths `[firstPath, firstPath + N)`.
    public init(model: CompiledModel, strategy s: Int, paths: StrategyPaths, firstPath: Int = 0,
                alphas: [Double]) {
        self.init(name: model.strategies[s].name, paths: paths, sorted: SortedColumns(paths),
                  firstPath: firstPath, horizonYears: model.horizonYears, alphas: alphas,
                  reportingSteps: model.reportingSteps, stepsPerYear: model.stepsPerYear)
        let kinds = model.attributionSourceKinds(of: s)
        for a in attribution.indices {
            for i in attribution[a].indices where i < kinds.count { attribution[a][i].kind = kinds[i].rawValue }
        }
    }
}
