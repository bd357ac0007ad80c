/// Collects one path's `PathTrace` points while its block runs.
final class PathTraceRecorder {
    /// The path's index inside its block.
    let path: Int
    var points: [[PathTrace.Point]]

    init(path: Int, strategies: Int, steps: Int) {
        self.path = path
        points = Array(repeating: [], count: strategies)
        for s in points.indices { points[s].reserveCapacity(steps + 1) }
    }
}

extension BlockWorkspace {
    /// Appends the traced path's state at the end of step `step` (0: the start) for every strategy.
    func record(_ recorder: PathTraceRecorder, model: CompiledModel, step: Int) {
        let p = recorder.path, n = blockSize
        for (s, strategy) in model.strategies.enumerated() {
            let st = strategies[s]
            computeEquity(model: model, strategy: s, count: p + 1)
            var position = 0.0
            for o in 0..<st.subCount { position += st.stake[o * n + p] + st.accrued[o * n + p] }
            let r = strategy.token.map { ratio[$0 * n + p] } ?? 1
            let phase: PathTrace.Phase = st.phase[p] == 2 ? .exited : st.phase[p] == 1 ? .withdrawing : .active
            var health: Double?
            if let lev = strategy.leverage, st.debt[p] > 0, phase != .exited {
                health = position * (lev.oracleIsMarket ? r : 1) * lev.liquidationThreshold / st.debt[p]
            }
            // Summed in source order, as the run's slashing loss is.
            var slashed = 0.0
            for a in 0..<st.sourceCount { slashed += st.slashed[a * n + p] }
            recorder.points[s].append(PathTrace.Point(
                step: step, tYears: Double(step) / Double(model.stepsPerYear),
                assetPrice: relativePrice[strategy.asset * n + p],
                discount: strategy.token.map { depeg[$0 * n + p] } ?? 0,
                healthFactor: health, debt: st.debt[p], equity: wealth[p], slashingLoss: slashed,
                liquidations: Int(st.liquidations[p]), phase: phase))
        }
    }
}
