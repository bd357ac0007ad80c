/// Re-simulating single paths step by step (`PathTrace`).
extension Simulation {
    /// Rows a trace of `paths` paths writes: one per path, strategy and step, t = 0 included.
    public static func traceRows(model: CompiledModel, paths: Int) -> Int {
        paths * model.strategies.count * (model.steps + 1)
    }

    /// Re-simulates path `path` of a run and records every strategy's state after every step.
    ///
    /// Only the path's block is simulated, on the calling thread. Every asset's price is moved,
    /// needed or not, so that the trace can show it: prices draw nothing that other draws depend
    /// on (MODEL.md v2, Reproducibility), so the path's results are those of the run.
    public static func trace(model: CompiledModel, seed: UInt64, path: Int) -> PathTrace {
        precondition(path >= 0, "a path index is not negative")
        BLAS.useSingleThread()
        var traced = model
        traced.needsPrice = model.needsPrice.map { _ in true }
        let n = blockSize, strategyCount = model.strategies.count
        let doubles = UnsafeMutableBufferPointer<Double>.allocate(capacity: 2 * strategyCount * n)
        let counts = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: strategyCount * n)
        let rounds = UnsafeMutableBufferPointer<UInt16>.allocate(capacity: strategyCount * n)
        let steps = UnsafeMutableBufferPointer<Int32>.allocate(capacity: 3 * strategyCount * n)
        defer { doubles.deallocate(); counts.deallocate(); rounds.deallocate(); steps.deallocate() }
        let d = doubles.baseAddress!, c = counts.baseAddress!, r = rounds.baseAddress!, e = steps.baseAddress!
        let sink = BlockSink(terminalWealth: (0..<strategyCount).map { d + $0 * n },
                             slashingLoss: (0..<strategyCount).map { d + (strategyCount + $0) * n },
                             incidents: (0..<strategyCount).map { c + $0 * n },
                             liquidations: (0..<strategyCount).map { r + $0 * n },
                             firstSlashStep: (0..<strategyCount).map { e + $0 * n },
                             firstLiquidationStep: (0..<strategyCount).map { e + (strategyCount + $0) * n },
                             exitStep: (0..<strategyCount).map { e + (2 * strategyCount + $0) * n })
        let layout = FanLayout(strategyCount: strategyCount, timeCount: model.reportingSteps.count)
        var fan = FanAccumulator(collecting: FanPilot(layout: layout))
        let recorder = PathTraceRecorder(path: path % n, strategies: strategyCount, steps: model.steps)
        let workspace = BlockWorkspace(model: traced, blockSize: n)
        _ = workspace.run(block: path / n, model: traced, keys: DrawKeys(model: traced, seed: seed), seed: seed,
                          recordedPaths: n, sink: sink, fan: &fan, trace: recorder)
        return PathTrace(path: path, strategies: recorder.points,
                         assetNames: model.strategies.map { model.assets[$0.asset].name },
                         tokenNames: model.strategies.map { s in s.token.map { model.tokens[$0].name } })
    }
}
