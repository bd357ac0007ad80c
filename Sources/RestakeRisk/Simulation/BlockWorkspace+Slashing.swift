extension BlockWorkspace {
    /// Step 2 for one strategy: AVS incidents, then operator faults, then base-layer slashing,
    /// each a walk over its compacted event list (most steps: empty).
    func slash(_ strategy: CompiledModel.Strategy, state st: StrategyState, keys: DrawKeys,
               firstPath: Int, step t: Int) {
        let n = blockSize
        let coverage = strategy.insuranceCoverage
        let triggers = strategy.exit != .hold
        for (j, exposed) in strategy.exposuresByService.enumerated() where !exposed.isEmpty && hits[j].count > 0 {
            let list = hits[j]
            for k in 0..<list.count {
                let p = Int(list.paths[k]), s = list.values[k]
                if st.phase[p] == 2 { continue }
                var total = 0.0
                for (o, e) in exposed {
                    let exposure = strategy.subPositions[o].exposures[e]
                    let loss = strategy.isolated
                        ? slashAllocation(strategy, st, subPosition: o, exposure: e, path: p, step: t, severity: s)
                        : slashWhole(st, subPosition: o, path: p, severity: s)
                    st.slashed[exposure.source * n + p] += loss
                    st.accrued[o * n + p] += coverage * loss
                    total += loss
                }
                hit(st, path: p, step: t, loss: total, triggers: triggers)
            }
        }
        for (o, sub) in strategy.subPositions.enumerated() {
            guard let op = sub.operator, let source = sub.source, !sub.exposures.isEmpty, faults[op].count > 0 else { continue }
            let list = faults[op]
            for k in 0..<list.count {
                let p = Int(list.paths[k]), s = list.values[k]
                if st.phase[p] == 2 { continue }
                // One severity, applied once per AVS the sub-position is exposed to (compounded).
                var total = 0.0
                for e in sub.exposures.indices {
                    total += strategy.isolated
                        ? slashAllocation(strategy, st, subPosition: o, exposure: e, path: p, step: t, severity: s)
                        : slashWhole(st, subPosition: o, path: p, severity: s)
                }
                st.slashed[source * n + p] += total
                st.accrued[o * n + p] += coverage * total
                hit(st, path: p, step: t, loss: total, triggers: triggers)
            }
        }
        if strategy.isolated {
            // Once per path and sub-position slashed this step, from its final fractions: the
            // same rates as refreshing after every slash (nothing reads them in between), at a
            // cost that no longer grows with the number of slashes times the number of AVSs.
            for k in 0..<st.staleRates.count {
                let i = Int(st.staleRates.paths[k])
                refreshRates(strategy, st, subPosition: i / n, path: i % n)
            }
            st.staleRates.count = 0
        }
        if strategy.baseSlashingProbability > 0 {
            let probability = strategy.baseSlashingProbability
            let base = (strategy.sources.count - 1) * n
            Self.forEachPath(below: probability, in: baseUniforms, count: n) { p in
                if st.phase[p] == 2 { return }
                let s = strategy.baseSlashingSeverity.draw(keys.baseSeverity, path: firstPath + p, step: t)
                var total = 0.0
                for o in 0..<st.subCount {
                    // Every allocation in proportion: fractions of stake are unchanged.
                    let loss = st.stake[o * n + p] * s
                    st.stake[o * n + p] -= loss
                    total += loss
                }
                st.slashed[base + p] += total
                if total > 0 && st.firstSlash[p] == StrategyPaths.never { st.firstSlash[p] = Int32(t + 1) }
            }
        }
    }

    /// Counts a hit by an AVS incident or operator fault, and queues the path's exit trigger.
    @inline(__always)
    func hit(_ st: StrategyState, path p: Int, step t: Int, loss: Double, triggers: Bool) {
        st.incidents[p] &+= 1
        if loss > 0 && st.firstSlash[p] == StrategyPaths.never { st.firstSlash[p] = Int32(t + 1) }
        if st.hitStep[p] != Int32(t) {
            st.hitStep[p] = Int32(t)
            if triggers && st.phase[p] == 0 { st.triggered.append(p, 0) }
        }
    }

    /// Shared security: the AVS can slash the whole stake of the sub-position.
    @inline(__always)
    func slashWhole(_ st: StrategyState, subPosition o: Int, path p: Int, severity s: Double) -> Double {
        let i = o * blockSize + p
        let loss = st.stake[i] * s
        st.stake[i] -= loss
        return loss
    }

    /// Unique stake (ELIP-002): the AVS slashes only its own allocation; the other allocations
    /// keep their amounts, so every fraction `a / stake` is rescaled. The reward rates follow
    /// once the step's slashes are done (`refreshRates`).
    func slashAllocation(_ strategy: CompiledModel.Strategy, _ st: StrategyState, subPosition o: Int,
                         exposure e: Int, path p: Int, step t: Int, severity s: Double) -> Double {
        let n = blockSize
        let i = o * n + p
        let exposureCount = strategy.subPositions[o].exposures.count
        let f = st.fractions + st.fractionOffset[o] + p * exposureCount
        let before = st.stake[i]
        let allocated = f[e] * before
        let loss = allocated * s
        let after = before - loss
        st.stake[i] = after
        if after > 0 {
            let scale = before / after
            for x in 0..<exposureCount { f[x] *= scale }
            f[e] = (allocated - loss) / after
        } else {
            f.update(repeating: 0, count: exposureCount)
        }
        if st.rateMark[i] != Int32(t) {
            st.rateMark[i] = Int32(t)
            st.staleRates.append(i, 0)
        }
        return loss
    }

    /// Recomputes a sub-position's reward rates on one path from its allocated fractions.
    func refreshRates(_ strategy: CompiledModel.Strategy, _ st: StrategyState, subPosition o: Int, path p: Int) {
        let n = blockSize
        let i = o * n + p
        let exposures = strategy.subPositions[o].exposures
        let f = st.fractions + st.fractionOffset[o] + p * exposures.count
        var own = strategy.baseRewardPerStep + strategy.defiRewardPerStep
        for r in 0..<st.rewardSlots { st.foreignRate[(o * st.rewardSlots + r) * n + p] = 0 }
        for (x, exposure) in exposures.enumerated() {
            let reward = f[x] * exposure.rewardPerStep
            if let slot = exposure.rewardSlot { st.foreignRate[(o * st.rewardSlots + slot) * n + p] += reward } else { own += reward }
        }
        st.ownRate[i] = own
    }
}
