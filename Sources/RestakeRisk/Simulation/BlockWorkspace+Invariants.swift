extension BlockWorkspace {
    /// Checks what must hold after every step (`swift build -Xswiftc -DRESTAKE_CHECKS`; the
    /// `make test-checks` configuration runs the model tests with it).
    ///
    /// Stakes and slashed amounts are non-negative; isolated fractions lie in [0, 1] and sum to
    /// at most 1; an exited path holds nothing but its proceeds; counters match the phases.
    func checkInvariants(model: CompiledModel, step t: Int) {
        #if RESTAKE_CHECKS
        let n = blockSize
        for (s, strategy) in model.strategies.enumerated() {
            let st = strategies[s]
            var withdrawing = 0
            for p in 0..<n {
                precondition(st.phase[p] <= 2, "phase out of range")
                if st.phase[p] == 1 { withdrawing += 1 }
                for o in 0..<st.subCount {
                    let stake = st.stake[o * n + p]
                    precondition(stake >= -1e-12 && !stake.isNaN, "\(strategy.name): negative stake \(stake) at step \(t)")
                    if st.phase[p] == 2 { precondition(stake == 0 && st.accrued[o * n + p] == 0, "exited path holds stake") }
                    if strategy.isolated {
                        var sum = 0.0
                        let exposureCount = strategy.subPositions[o].exposures.count
                        for e in 0..<exposureCount {
                            let f = st.fractions[st.fractionOffset[o] + p * exposureCount + e]
                            precondition(f >= -1e-12 && f <= 1 + 1e-12, "\(strategy.name): fraction \(f) outside [0, 1]")
                            sum += f
                        }
                        precondition(sum <= 1 + 1e-9, "\(strategy.name): fractions sum to \(sum)")
                    }
                }
                for i in 0..<st.sourceCount {
                    precondition(st.slashed[i * n + p] >= 0, "\(strategy.name): negative slashed amount")
                }
                if st.exitStep[p] != StrategyPaths.never { precondition(st.phase[p] == 2, "exit step without exit") }
            }
            precondition(withdrawing == st.withdrawing, "\(strategy.name): withdrawing count \(st.withdrawing), phases say \(withdrawing)")
        }
        #endif
    }
}
