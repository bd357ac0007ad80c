import RealModule

extension Sensitivity {
    /// A central difference of one number and its standard error.
    struct Estimate {
        var metric: String
        var alpha: Double?
        var low: Double?
        var high: Double?
        var derivative: Double?
        var se: Double?
    }

    /// The central differences of every number of one strategy between its down and up runs.
    static func difference(down: StrategyPaths, up: StrategyPaths, h: Double, name: String,
                           horizonYears: Double, alphas: [Double]) -> [Estimate] {
        let n = down.terminalWealth.count
        precondition(up.terminalWealth.count == n, "bumped runs of different sizes")
        func metrics(_ paths: StrategyPaths, _ range: Range<Int>) -> [SweepMetric] {
            let part = range.count == n ? paths : subset(paths, range)
            return StrategyStatistics(name: name, paths: part, firstPath: range.lowerBound,
                                      horizonYears: horizonYears, alphas: alphas)
                .sweepMetrics(pathCount: range.count)
        }
        let lows = metrics(down, 0..<n), highs = metrics(up, 0..<n)
        let groups = batchRanges(count: n)
        let batchLows = groups.map { metrics(down, $0) }, batchHighs = groups.map { metrics(up, $0) }
        var out: [Estimate] = []
        for (i, (lo, hi)) in zip(lows, highs).enumerated() {
            var e = Estimate(metric: lo.metric, alpha: lo.alpha, low: lo.value, high: hi.value)
            guard let a = lo.value, let b = hi.value, lo.metric == hi.metric else { out.append(e); continue }
            e.derivative = (b - a) / (2 * h)
            if lo.isPathMean, let x = perPath(lo.metric, down, horizonYears: horizonYears),
               let y = perPath(lo.metric, up, horizonYears: horizonYears) {
                e.se = standardError(of: zip(x, y).map { ($1 - $0) / (2 * h) })
            } else if groups.count >= 2 {
                var d: [Double] = []
                for g in groups.indices {
                    guard i < batchLows[g].count, let a = batchLows[g][i].value, let b = batchHighs[g][i].value else { break }
                    d.append((b - a) / (2 * h))
                }
                if d.count == groups.count { e.se = standardError(of: d) }
            }
            out.append(e)
        }
        return out
    }

    /// `sd / sqrt(n)` of a sample's mean; nil for fewer than two values.
    static func standardError(of x: [Double]) -> Double? {
        guard x.count >= 2 else { return nil }
        var sum = 0.0
        for v in x { sum += v }
        let mean = sum / Double(x.count)
        var ss = 0.0
        for v in x { ss += (v - mean) * (v - mean) }
        return (ss / Double(x.count - 1) / Double(x.count)).squareRoot()
    }

    /// Contiguous groups of paths for batch means: `batches` of them, at least 50 paths each;
    /// empty when the run is too small for two.
    static func batchRanges(count n: Int) -> [Range<Int>] {
        let g = min(batches, n / 50)
        guard g >= 2 else { return [] }
        return (0..<g).map { (($0 * n) / g)..<((($0 + 1) * n) / g) }
    }

    /// The per-path values whose mean is `metric`; nil for a number that is not such a mean.
    static func perPath(_ metric: String, _ p: StrategyPaths, horizonYears: Double) -> [Double]? {
        switch metric {
        case "terminal_wealth.mean": return p.terminalWealth
        case "annualized_return.mean":
            let e = 1 / horizonYears
            return p.terminalWealth.map { $0 > 0 ? Double.pow($0, e) - 1 : -1 }
        case "slashing_loss.mean": return p.slashingLoss
        case "slashing_loss.prob_any": return p.slashingLoss.map { $0 > 0 ? 1 : 0 }
        case "incidents_mean": return p.incidents.map { Double($0) }
        case "liquidation_prob": return p.liquidations.map { $0 > 0 ? 1 : 0 }
        default:
            let parts = metric.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count >= 3, parts.first == "attribution", parts.last == "expected_loss" else { return nil }
            let source = parts.dropFirst().dropLast().joined(separator: ".")
            guard let j = p.attribution.sources.firstIndex(of: source) else { return nil }
            let width = p.attribution.sources.count
            var column = [Double](repeating: 0, count: p.terminalWealth.count)
            for (row, path) in p.attribution.paths.enumerated() { column[path] = p.attribution.values[row * width + j] }
            return column
        }
    }

    /// The paths in `range` of a complete run (attribution rows keep their global path indices).
    static func subset(_ p: StrategyPaths, _ range: Range<Int>) -> StrategyPaths {
        let width = p.attribution.sources.count
        var rows: [Int] = [], values: [Double] = []
        for (row, path) in p.attribution.paths.enumerated() where range.contains(path) {
            rows.append(path)
            values.append(contentsOf: p.attribution.values[(row * width)..<((row + 1) * width)])
        }
        let liquidations = Array(p.liquidations[range])
        return StrategyPaths(terminalWealth: Array(p.terminalWealth[range]), slashingLoss: Array(p.slashingLoss[range]),
                             incidents: Array(p.incidents[range]),
                             liquidatedPaths: liquidations.reduce(0) { $0 + ($1 > 0 ? 1 : 0) },
                             attribution: SparseAttribution(sources: p.attribution.sources, paths: rows, values: values),
                             liquidations: liquidations, firstSlashStep: Array(p.firstSlashStep[range]),
                             firstLiquidationStep: Array(p.firstLiquidationStep[range]),
                             exitStep: Array(p.exitStep[range]))
    }
}
