extension BlockWorkspace {
    /// Step 6 for one strategy: withdrawals that complete this step convert at par, then the
    /// paths first hit this step start their exit (sell at R at once, or withdraw).
    func applyExits(_ strategy: CompiledModel.Strategy, state st: StrategyState, step t: Int) {
        let n = blockSize
        if st.withdrawing > 0 {
            for p in 0..<n where st.phase[p] == 1 {
                st.countdown[p] -= 1
                if st.countdown[p] == 0 {
                    convert(st, path: p, step: t, value: position(st, path: p))
                    st.withdrawing -= 1
                }
            }
        }
        let r = strategy.token.map { ratio + $0 * n } ?? par
        for k in 0..<st.triggered.count {
            let p = Int(st.triggered.paths[k])
            guard st.phase[p] == 0 else { continue }
            switch strategy.exit {
            case .hold:
                break
            case .sell:
                convert(st, path: p, step: t, value: max(0, position(st, path: p) * r[p] - st.debt[p]))
            case .withdraw(let delay):
                if delay == 0 {
                    convert(st, path: p, step: t, value: position(st, path: p))
                } else {
                    st.phase[p] = 1
                    st.countdown[p] = Int32(clamping: delay)
                    st.withdrawing += 1
                }
            }
        }
        st.triggered.count = 0
    }

    /// `stake + accrued` summed over the sub-positions.
    @inline(__always)
    func position(_ st: StrategyState, path p: Int) -> Double {
        var total = 0.0
        for o in 0..<st.subCount { total += st.stake[o * blockSize + p] + st.accrued[o * blockSize + p] }
        return total
    }

    /// Converts the position into idle proceeds (asset units): no further risk or reward.
    func convert(_ st: StrategyState, path p: Int, step t: Int, value: Double) {
        st.idle[p] = value
        for o in 0..<st.subCount { st.stake[o * blockSize + p] = 0; st.accrued[o * blockSize + p] = 0 }
        st.debt[p] = 0
        st.phase[p] = 2
        st.exitStep[p] = Int32(t + 1)
    }
}
