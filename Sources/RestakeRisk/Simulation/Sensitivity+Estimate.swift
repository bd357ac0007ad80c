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
    ///
    /// Attribution numbers get no standard error: the batches leave attribution out (see `subset`).
    static func difference(down: StrategyPaths, up: StrategyPaths, h: Double, model: CompiledModel,
                           strategy: Int, alphas: [Double]) -> [Estimate] {
        let n = down.terminalWealth.count
        precondition(up.terminalWealth.count == n, "bumped runs of different sizes")
        let horizonYears = model.horizonYears
        func metrics(_ paths: StrategyPaths, _ range: Range<Int>) -> [SweepMetric] {
            let part = range.count == n ? paths : subset(paths, range)
            return statistics(model: model, strategy: strategy, paths: part, firstPath: range.lowerBound, alphas: alphas)
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
            } else if groups.count >= 2 && !lo.metric.hasPrefix("attribution.") {
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
        default: return nil
        }
    }

    /// The statistics of one strategy's paths `[firstPath, firstPath + N)`: the one call into
    /// Statistics' constructor.
    static func statistics(model: CompiledModel, strategy: Int, paths: StrategyPaths, firstPath: Int,
                           alphas: [Double]) -> StrategyStatistics {
        StrategyStatistics(model: model, strategy: strategy, paths: paths, firstPath: firstPath, alphas: alphas)
    }

    /// The paths in `range` of a complete run, without their attribution: batches estimate the
    /// error of every other number, and leaving the sparse attribution out keeps this independent
    /// of its storage.
    static func subset(_ p: StrategyPaths, _ range: Range<Int>) -> StrategyPaths {
        let liquidations = Array(p.liquidations[range])
        return StrategyPaths(terminalWealth: Array(p.terminalWealth[range]), slashingLoss: Array(p.slashingLoss[range]),
                             incidents: Array(p.incidents[range]),
                             liquidatedPaths: liquidations.reduce(0) { $0 + ($1 > 0 ? 1 : 0) },
                             attribution: SparseAttribution(sources: p.attribution.sources),
                             liquidations: liquidations, firstSlashStep: Array(p.firstSlashStep[range]),
                             firstLiquidationStep: Array(p.firstLiquidationStep[range]),
                             exitStep: Array(p.exitStep[range]))
    }
}
