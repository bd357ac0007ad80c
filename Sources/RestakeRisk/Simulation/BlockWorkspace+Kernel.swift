/// Where one block's per-path results go: the run's columns, already offset to the block's first path.
struct BlockSink {
    let terminalWealth: [UnsafeMutablePointer<Double>]
    let slashingLoss: [UnsafeMutablePointer<Double>]
    let incidents: [UnsafeMutablePointer<UInt32>]
    let liquidations: [UnsafeMutablePointer<UInt16>]
    let firstSlashStep: [UnsafeMutablePointer<Int32>]
    let firstLiquidationStep: [UnsafeMutablePointer<Int32>]
    let exitStep: [UnsafeMutablePointer<Int32>]
}

/// What one block hands back besides its columns: per strategy, liquidated paths and slashed paths.
struct BlockSummary {
    var liquidatedPaths: [Int]
    var attribution: [SparseAttribution]
}

extension BlockWorkspace {
    /// Simulates one block of paths over the whole horizon: MODEL.md's step order, all strategies.
    ///
    /// The bulk normals (and the t copula's mixing variable) come from the block's own stream,
    /// which nothing else reads; every event draw is keyed by (seed, path, step, purpose,
    /// entity). So a strategy never changes another's randomness, and an edit of one entity
    /// changes only what depends on it.
    ///
    /// - Parameters:
    ///   - block: the block's index; with the seed it fixes every random number the block uses.
    ///   - recordedPaths: how many of the block's paths belong to the run (the last block of a run
    ///     may be partial: its paths are still all simulated, so path i's numbers never depend on
    ///     the run's path count, but only the first `recordedPaths` are recorded).
    ///   - trace: when given, one path's state is recorded after every step (`PathTrace`).
    func run(block: Int, model: CompiledModel, keys: DrawKeys, seed: UInt64, recordedPaths: Int,
             sink: BlockSink, fan: inout FanAccumulator, trace: PathTraceRecorder? = nil) -> BlockSummary {
        let n = blockSize
        let firstPath = block * n
        let sampler = self.sampler
        reset(model: model)
        var rng = RandomStream(seed: seed, stream: UInt64(block))
        let timeCount = model.reportingSteps.count
        var nextReport = 1  // index into reportingSteps; t = 0 is exact (W = 1) and not recorded
        let usesBaseSlashing = model.strategies.contains { $0.baseSlashingProbability > 0 }
        var stressIndex = 0
        var borrowOverride: Double?
        if let trace { record(trace, model: model, step: 0) }

        for t in 0..<model.steps {
            sampler.fill(draws, paths: n, rng: &rng, scratch: scratch, mixing: mixing)
            var stress: CompiledModel.StressStep?
            if stressIndex < model.stress.count && model.stress[stressIndex].step == t {
                stress = model.stress[stressIndex]
                stressIndex += 1
                if let b = stress?.borrowApr { borrowOverride = b }
            }

            movePrices(model: model, keys: keys, firstPath: firstPath, step: t, stress: stress)
            computeRewardRatios()
            drawEvents(model: model, keys: keys, firstPath: firstPath, step: t, stress: stress)
            if usesBaseSlashing {
                KeyedStream.fillUniforms(keys.baseEvent, firstPath: firstPath, count: n, step: t, into: baseUniforms)
            }
            // Step 4 is shared by every strategy and reads no strategy state, so it runs first.
            moveDepegs(model: model, keys: keys, firstPath: firstPath, step: t, stress: stress)

            for (s, strategy) in model.strategies.enumerated() {
                let st = strategies[s]
                slash(strategy, state: st, keys: keys, firstPath: firstPath, step: t)
                accrueRewards(strategy, index: s, state: st, step: t)
                if let lev = strategy.leverage {
                    applyLeverage(strategy, lev, state: st, step: t,
                                  borrowPerStep: borrowOverride.map { $0 * model.dt } ?? lev.borrowPerStep)
                }
                applyExits(strategy, state: st, step: t)
            }
            checkInvariants(model: model, step: t)

            // The fan at reporting times strictly inside the horizon; t = T comes from the exact
            // terminal values.
            if nextReport < timeCount - 1 && model.reportingSteps[nextReport] == t + 1 {
                for s in model.strategies.indices {
                    computeEquity(model: model, strategy: s, count: recordedPaths)
                    fan.record(strategy: s, time: nextReport, values: wealth, count: recordedPaths, scratch: binScratch)
                }
                nextReport += 1
            }
            if let trace { record(trace, model: model, step: t + 1) }
        }
        return finish(block: block, model: model, recordedPaths: recordedPaths, sink: sink)
    }

    /// Writes the block's terminal columns and the slashed paths' attribution.
    func finish(block: Int, model: CompiledModel, recordedPaths: Int, sink: BlockSink) -> BlockSummary {
        let n = blockSize
        var summary = BlockSummary(liquidatedPaths: [], attribution: [])
        for s in model.strategies.indices {
            let st = strategies[s]
            var liquidated = 0
            var attribution = SparseAttribution(sources: model.attributionSources(of: s))
            computeEquity(model: model, strategy: s, count: recordedPaths)
            sink.terminalWealth[s].update(from: wealth, count: recordedPaths)
            sink.incidents[s].update(from: st.incidents, count: recordedPaths)
            sink.liquidations[s].update(from: st.liquidations, count: recordedPaths)
            sink.firstSlashStep[s].update(from: st.firstSlash, count: recordedPaths)
            sink.firstLiquidationStep[s].update(from: st.firstLiquidation, count: recordedPaths)
            sink.exitStep[s].update(from: st.exitStep, count: recordedPaths)
            gatherSlashing(st, count: recordedPaths, totals: sink.slashingLoss[s])
            for p in 0..<recordedPaths where st.liquidations[p] > 0 { liquidated += 1 }
            for p in 0..<recordedPaths {
                for i in entryStart[p]..<entryStart[p + 1] {
                    attribution.add(path: block * n + p, source: Int(entrySource[i]), loss: entryLoss[i])
                }
            }
            summary.liquidatedPaths.append(liquidated)
            summary.attribution.append(attribution)
        }
        return summary
    }

    /// Writes `W_t` of the block's first `count` paths in the numeraire into `wealth`:
    /// `(stake + accrued) R - debt` floored at 0, or the idle proceeds after an exit.
    func computeEquity(model: CompiledModel, strategy s: Int, count: Int) {
        let strategy = model.strategies[s]
        let st = strategies[s]
        let n = blockSize
        let r = strategy.token.map { ratio + $0 * n } ?? par
        let wealth = self.wealth
        wealth.update(from: st.stake, count: count)
        for p in 0..<count { wealth[p] += st.accrued[p] }
        for o in 1..<max(st.subCount, 1) {
            let stake = st.stake + o * n, accrued = st.accrued + o * n
            for p in 0..<count { wealth[p] += stake[p] + accrued[p] }
        }
        for p in 0..<count {
            let held = max(0, wealth[p] * r[p] - st.debt[p])
            wealth[p] = st.phase[p] == 2 ? st.idle[p] : held
        }
        if model.numeraireIsUSD {
            let price = relativePrice + strategy.asset * n
            let ceiling = Self.positionCeiling
            for p in 0..<count { wealth[p] = min(wealth[p] * price[p], ceiling) }
        }
    }
}
