/// One worker's scratch memory for a block of paths, allocated once and reused for every block.
///
/// State is struct-of-arrays, one buffer of `blockSize` values per variable, so each operation of
/// a step is a loop over the block's paths.
final class BlockWorkspace {
    let blockSize: Int
    let factorCount: Int
    /// Factor-major draws: factor f's values at `draws + f * blockSize`.
    let draws: UnsafeMutablePointer<Double>
    let scratch: UnsafeMutablePointer<Double>
    /// Per-path Student-t scale `1 / sqrt(W / nu)`.
    let mixing: UnsafeMutablePointer<Double>
    let uniforms: UnsafeMutablePointer<Double>
    /// One uniform per path and step, shared by every strategy's base-layer slashing (common
    /// random numbers: strategies with the same rate are slashed on the same paths).
    let baseUniforms: UnsafeMutablePointer<Double>
    let logPrice: UnsafeMutablePointer<Double>
    /// `P(t) / P(0)` per asset.
    let relativePrice: UnsafeMutablePointer<Double>
    /// 1 where the AVS had an incident this step, else 0.
    let incident: UnsafeMutablePointer<Double>
    /// Bit j set on paths where AVS j had an incident this step.
    let incidentMask: UnsafeMutablePointer<UInt64>
    /// The incident's drawn severity, 0 without an incident.
    let severity: UnsafeMutablePointer<Double>
    let depeg: UnsafeMutablePointer<Double>
    /// `R = 1 - D` per token.
    let ratio: UnsafeMutablePointer<Double>
    /// One strategy's equity per path, computed for the fan and the terminal values.
    let wealth: UnsafeMutablePointer<Double>
    /// Scratch for the fan histograms' batched adds.
    let binScratch: UnsafeMutablePointer<Int>
    /// R for strategies without a token.
    let par: UnsafeMutablePointer<Double>
    let strategies: [StrategyState]

    /// One strategy's per-path state.
    struct StrategyState {
        let stake: UnsafeMutablePointer<Double>
        let accrued: UnsafeMutablePointer<Double>
        let debt: UnsafeMutablePointer<Double>
        /// Held-idle proceeds after an exit (asset units).
        let idle: UnsafeMutablePointer<Double>
        /// Slashed amounts by source: allocation a at `a * blockSize`, base last.
        let slashed: UnsafeMutablePointer<Double>
        let incidents: UnsafeMutablePointer<UInt32>
        let liquidated: UnsafeMutablePointer<UInt8>
        /// 0 active, 1 withdrawing, 2 exited (idle).
        let phase: UnsafeMutablePointer<UInt8>
        let countdown: UnsafeMutablePointer<Int32>
        let sourceCount: Int
    }

    init(model: CompiledModel, blockSize: Int) {
        self.blockSize = blockSize
        factorCount = model.factorNames.count
        func doubles(_ n: Int) -> UnsafeMutablePointer<Double> {
            let p = UnsafeMutablePointer<Double>.allocate(capacity: max(n, 1))
            p.initialize(repeating: 0, count: max(n, 1))
            return p
        }
        draws = doubles(factorCount * blockSize)
        scratch = doubles(factorCount * blockSize)
        mixing = doubles(blockSize)
        uniforms = doubles(blockSize)
        baseUniforms = doubles(blockSize)
        logPrice = doubles(model.assets.count * blockSize)
        relativePrice = doubles(model.assets.count * blockSize)
        incident = doubles(model.services.count * blockSize)
        severity = doubles(model.services.count * blockSize)
        incidentMask = .allocate(capacity: blockSize)
        incidentMask.initialize(repeating: 0, count: blockSize)
        depeg = doubles(model.tokens.count * blockSize)
        ratio = doubles(model.tokens.count * blockSize)
        par = doubles(blockSize)
        wealth = doubles(blockSize)
        binScratch = .allocate(capacity: blockSize)
        binScratch.initialize(repeating: 0, count: blockSize)
        par.update(repeating: 1, count: blockSize)
        strategies = model.strategies.map { s in
            let sources = s.allocations.count + 1
            let inc = UnsafeMutablePointer<UInt32>.allocate(capacity: blockSize)
            inc.initialize(repeating: 0, count: blockSize)
            let liq = UnsafeMutablePointer<UInt8>.allocate(capacity: blockSize)
            liq.initialize(repeating: 0, count: blockSize)
            let phase = UnsafeMutablePointer<UInt8>.allocate(capacity: blockSize)
            phase.initialize(repeating: 0, count: blockSize)
            let countdown = UnsafeMutablePointer<Int32>.allocate(capacity: blockSize)
            countdown.initialize(repeating: 0, count: blockSize)
            return StrategyState(stake: doubles(blockSize), accrued: doubles(blockSize),
                                 debt: doubles(blockSize), idle: doubles(blockSize),
                                 slashed: doubles(sources * blockSize), incidents: inc,
                                 liquidated: liq, phase: phase, countdown: countdown,
                                 sourceCount: sources)
        }
    }

    deinit {
        incidentMask.deallocate()
        binScratch.deallocate()
        for p in [draws, scratch, mixing, uniforms, baseUniforms, logPrice, relativePrice,
                  incident, severity, depeg, ratio, par, wealth] { p.deallocate() }
        for s in strategies {
            for p in [s.stake, s.accrued, s.debt, s.idle, s.slashed] { p.deallocate() }
            s.incidents.deallocate(); s.liquidated.deallocate(); s.phase.deallocate(); s.countdown.deallocate()
        }
    }

    /// Resets every path to the start of the horizon: `W0 = 1`, leverage `ratio` staked.
    func reset(model: CompiledModel) {
        let n = blockSize
        logPrice.update(repeating: 0, count: model.assets.count * n)
        relativePrice.update(repeating: 1, count: model.assets.count * n)
        depeg.update(repeating: 0, count: model.tokens.count * n)
        ratio.update(repeating: 1, count: model.tokens.count * n)
        for (s, st) in zip(model.strategies, strategies) {
            let ratio = s.leverage?.ratio ?? 1
            st.stake.update(repeating: ratio, count: n)
            st.accrued.update(repeating: 0, count: n)
            st.debt.update(repeating: ratio - 1, count: n)
            st.idle.update(repeating: 0, count: n)
            st.slashed.update(repeating: 0, count: st.sourceCount * n)
            st.incidents.update(repeating: 0, count: n)
            st.liquidated.update(repeating: 0, count: n)
            st.phase.update(repeating: 0, count: n)
            st.countdown.update(repeating: 0, count: n)
        }
    }
}
