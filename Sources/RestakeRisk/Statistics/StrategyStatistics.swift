import RealModule

/// Everything MODEL.md reports for one strategy, computed exactly from its per-path results.
public struct StrategyStatistics: Sendable {
    public var name: String
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

    /// The quantile levels of terminal wealth MODEL.md asks for.
    public static let terminalLevels = [0.001, 0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 0.999]

    /// One source's share of slashing risk.
    public struct AttributionEntry: Sendable, Equatable {
        public var source: String
        /// `E[L_s,j]`.
        public var expectedLoss: Double
        /// Mean of `L_s,j` over the tail set of `L_s`; the entries sum to `ES_a(L_s)`.
        public var esContribution: Double
    }

    /// Computes the statistics of a strategy over paths `[firstPath, firstPath + N)`.
    ///
    /// Sums run in path order, so the result depends on the per-path values only, never on how
    /// the paths were computed (threads, blocks, shards).
    public init(name: String, paths: StrategyPaths, firstPath: Int, horizonYears: Double,
                alphas: [Double]) {
        let n = paths.terminalWealth.count
        precondition(n > 0, "statistics of no paths")
        precondition(paths.slashingLoss.count == n && paths.incidents.count == n, "columns differ in length")
        self.name = name
        let count = Double(n)

        var sum = 0.0
        for w in paths.terminalWealth { sum += w }
        terminalMean = sum / count
        var ss = 0.0
        for w in paths.terminalWealth { let d = w - terminalMean; ss += d * d }
        terminalSD = n > 1 ? (ss / Double(n - 1)).squareRoot() : 0

        let sortedWealth = paths.terminalWealth.sorted()
        terminalQuantiles = Self.terminalLevels.map { EmpiricalQuantile.lower($0, sorted: sortedWealth) }

        let exponent = 1 / horizonYears
        func annualized(_ w: Double) -> Double { w > 0 ? Double.pow(w, exponent) - 1 : -1 }
        var annualSum = 0.0
        for w in paths.terminalWealth { annualSum += annualized(w) }
        annualizedMean = annualSum / count
        // W -> W^(1/H) - 1 is increasing, so the median's image is the image's median.
        annualizedMedian = annualized(EmpiricalQuantile.lower(0.5, sorted: sortedWealth))

        let sortedLoss = sortedWealth.reversed().map { 1 - $0 }
        loss = sortedLoss.withUnsafeBufferPointer { b in alphas.map { TailRisk(alpha: $0, sortedLosses: b) } }

        var slashSum = 0.0, slashed = 0
        for x in paths.slashingLoss { slashSum += x; if x > 0 { slashed += 1 } }
        slashingMean = slashSum / count
        slashingProbability = Double(slashed) / count
        let sortedSlashing = paths.slashingLoss.sorted()
        slashing = sortedSlashing.withUnsafeBufferPointer { b in alphas.map { TailRisk(alpha: $0, sortedLosses: b) } }

        var incidentSum = 0
        for i in paths.incidents { incidentSum += Int(i) }
        incidentsMean = Double(incidentSum) / count
        liquidationProbability = Double(paths.liquidatedPaths) / count

        attribution = alphas.map { alpha in
            Self.attribute(paths: paths, firstPath: firstPath, alpha: alpha,
                           valueAtRisk: sortedSlashing[EmpiricalQuantile.rank(alpha, count: n) - 1])
        }
    }

    /// Euler attribution of `ES_a(L_s)`: each source's mean loss over the tail set.
    ///
    /// The tail set is the paths at sorted positions `i >= ceil(a N)` of `L_s`, ties broken by
    /// path index (a later path sorts later), so it has exactly `N - ceil(a N) + 1` paths and the
    /// contributions sum to ES over the same set. Paths with `L_s = 0` contribute nothing, so only
    /// the slashed paths (the sparse rows) are visited.
    static func attribute(paths: StrategyPaths, firstPath: Int, alpha: Double,
                          valueAtRisk v: Double) -> [AttributionEntry] {
        let n = paths.slashingLoss.count
        let sparse = paths.attribution
        let width = sparse.sources.count
        let tailCount = n - EmpiricalQuantile.rank(alpha, count: n) + 1
        // Paths strictly above VaR are all in the tail; ties at VaR fill the rest, latest first.
        var above = 0
        for x in paths.slashingLoss where x > v { above += 1 }
        var tiesNeeded = tailCount - above
        var inTail = [Bool](repeating: false, count: sparse.paths.count)
        for row in stride(from: sparse.paths.count - 1, through: 0, by: -1) {
            let x = paths.slashingLoss[sparse.paths[row] - firstPath]
            if x > v {
                inTail[row] = true
            } else if x == v && tiesNeeded > 0 {
                inTail[row] = true
                tiesNeeded -= 1
            }
        }
        var expected = [Double](repeating: 0, count: width)
        var tail = [Double](repeating: 0, count: width)
        for row in sparse.paths.indices {
            for j in 0..<width {
                let x = sparse.values[row * width + j]
                expected[j] += x
                if inTail[row] { tail[j] += x }
            }
        }
        return (0..<width).map {
            AttributionEntry(source: sparse.sources[$0], expectedLoss: expected[$0] / Double(n),
                             esContribution: tail[$0] / Double(tailCount))
        }
    }
}
