extension BlockWorkspace {
    /// Step 5 for one strategy: borrow interest, then liquidations of the (few) unhealthy paths.
    func applyLeverage(_ strategy: CompiledModel.Strategy, _ lev: CompiledModel.Leverage,
                       state st: StrategyState, step t: Int, borrowPerStep: Double) {
        let n = blockSize
        let debt = st.debt, collateral = self.collateral
        let growth = 1 + borrowPerStep
        for p in 0..<n { debt[p] *= growth }
        collateral.update(from: st.stake, count: n)
        for p in 0..<n { collateral[p] += st.accrued[p] }
        for o in 1..<max(st.subCount, 1) {
            let stake = st.stake + o * n, accrued = st.accrued + o * n
            for p in 0..<n { collateral[p] += stake[p] + accrued[p] }
        }
        let oracle = lev.oracleIsMarket ? (strategy.token.map { ratio + $0 * n } ?? par) : par
        let threshold = lev.liquidationThreshold
        events.count = 0
        for p in 0..<n where debt[p] > 0 && collateral[p] > 0 && collateral[p] * oracle[p] * threshold < debt[p] {
            events.append(p, 0)
        }
        for k in 0..<events.count {
            liquidate(lev, st, path: Int(events.paths[k]), oracle: oracle[Int(events.paths[k])], step: t)
        }
    }

    /// Liquidation rounds while the path is unhealthy: each repays `close_factor * debt` and
    /// seizes `repaid * (1 + bonus) / R` tokens, accrued first, then stake, pro rata across
    /// sub-positions (so every allocation scales in proportion).
    func liquidate(_ lev: CompiledModel.Leverage, _ st: StrategyState, path p: Int, oracle: Double, step t: Int) {
        let n = blockSize
        var debt = st.debt[p]
        var rounds = 0
        func count() {
            if st.liquidations[p] < UInt16.max { st.liquidations[p] += 1 }
            if st.firstLiquidation[p] == StrategyPaths.never { st.firstLiquidation[p] = Int32(t + 1) }
        }
        while debt > 0 && rounds < 64 {
            var stake = 0.0, accrued = 0.0
            for o in 0..<st.subCount { stake += st.stake[o * n + p]; accrued += st.accrued[o * n + p] }
            let collateral = stake + accrued
            if collateral <= 0 { break }
            if oracle <= 0 {
                for o in 0..<st.subCount { st.stake[o * n + p] = 0; st.accrued[o * n + p] = 0 }
                count()
                break
            }
            if collateral * oracle * lev.liquidationThreshold >= debt { break }
            count()
            var repaid = lev.closeFactor * debt
            var seized = repaid * (1 + lev.bonus) / oracle
            if seized >= collateral {
                seized = collateral
                repaid = collateral * oracle / (1 + lev.bonus)
            }
            let fromAccrued = min(max(accrued, 0), seized)
            let fromStake = seized - fromAccrued
            if st.subCount == 1 {
                st.accrued[p] -= fromAccrued
                st.stake[p] -= fromStake
            } else {
                let keepAccrued = accrued > 0 ? (accrued - fromAccrued) / accrued : 1
                let keepStake = stake > 0 ? (stake - fromStake) / stake : 0
                for o in 0..<st.subCount {
                    st.accrued[o * n + p] *= keepAccrued
                    st.stake[o * n + p] *= keepStake
                }
            }
            debt -= repaid
            rounds += 1
        }
        st.debt[p] = debt
    }
}
