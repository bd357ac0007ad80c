extension BlockWorkspace {
    /// The largest stake, accrued rewards or equity a path may hold (multiples of `W0`).
    static let positionCeiling = 1e300

    /// Step 3 for one strategy: rewards of active paths (not while withdrawing or exited), net
    /// of fees and the insurance premium, then compounding; one pass per sub-position.
    func accrueRewards(_ strategy: CompiledModel.Strategy, index s: Int, state st: StrategyState, step t: Int) {
        let n = blockSize
        let keep = strategy.platformKeep
        let premium = strategy.premiumPerStep
        let compounds = strategy.compoundEverySteps > 0 && (t + 1) % strategy.compoundEverySteps == 0
        let phase = st.phase
        let ceiling = Self.positionCeiling
        let ratioRows = rewardRatioRows[s]
        for o in 0..<st.subCount {
            let stake = st.stake + o * n, accrued = st.accrued + o * n
            // The own rate itself where no reward asset adds to it, else own plus each foreign
            // rate in its price, summed into the `rate` scratch (no copy of the own rate first).
            var pathRate = UnsafePointer(st.ownRate + o * n)
            for slot in strategy.rewardAssets.indices {
                let ratio = rewardPriceRatio + ratioRows[slot] * n
                let foreign = st.foreignRate + (o * st.rewardSlots + slot) * n
                let sum = rate
                for p in 0..<n { sum[p] = pathRate[p] + foreign[p] * ratio[p] }
                pathRate = UnsafePointer(sum)
            }
            for p in 0..<n {
                let active: Double = phase[p] == 0 ? 1 : 0
                accrued[p] = min(accrued[p] + active * stake[p] * (pathRate[p] * keep - premium), ceiling)
            }
            if compounds {
                for p in 0..<n {
                    let moved: Double = phase[p] == 0 ? accrued[p] : 0
                    stake[p] = min(stake[p] + moved, ceiling)
                    accrued[p] -= moved
                }
            }
        }
    }

    /// Each reward asset's price in the staked asset of the strategies paid in it
    /// (`rewardRatioPairs`), once a step: strategies with the same pair read the same row.
    func computeRewardRatios() {
        let n = blockSize
        for (row, pair) in rewardRatioPairs.enumerated() {
            let price = relativePrice + pair.asset * n, own = relativePrice + pair.staked * n
            let ratio = rewardPriceRatio + row * n
            for p in 0..<n { ratio[p] = price[p] / own[p] }
        }
    }
}
