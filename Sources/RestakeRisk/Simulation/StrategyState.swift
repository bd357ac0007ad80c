/// One strategy's per-path state in a block, struct-of-arrays.
///
/// Per sub-position o (one per operator): `stake` and `accrued` at `o * B`; the reward rate per
/// unit of stake paid in the staked asset (`ownRate`) and in each foreign reward asset
/// (`foreignRate`, slot r of sub-position o at `(o * R + r) * B`); under isolated security the
/// exposures' allocated fractions `a_j / stake` (`fractions`: path p's row of E_o exposures at
/// `fractionOffset[o] + p * E_o`). Fractions rather than amounts keep compounding, base
/// slashing and liquidations (which scale every allocation in proportion) to one multiply of
/// `stake`; only a slash touches them, and it rescales the whole row of one path, so each
/// path's row is contiguous (exposure-major rows cost a cache miss per AVS per slash).
final class StrategyState {
    let blockSize: Int
    let subCount: Int
    let rewardSlots: Int
    let sourceCount: Int
    let stake: UnsafeMutablePointer<Double>
    let accrued: UnsafeMutablePointer<Double>
    let ownRate: UnsafeMutablePointer<Double>
    let foreignRate: UnsafeMutablePointer<Double>
    let fractions: UnsafeMutablePointer<Double>
    let fractionOffset: [Int]
    let debt: UnsafeMutablePointer<Double>
    /// Held-idle proceeds after an exit (asset units).
    let idle: UnsafeMutablePointer<Double>
    /// Slashed amounts by source: source i at `i * B`.
    let slashed: UnsafeMutablePointer<Double>
    let incidents: UnsafeMutablePointer<UInt32>
    let liquidations: UnsafeMutablePointer<UInt16>
    let firstSlash: UnsafeMutablePointer<Int32>
    let firstLiquidation: UnsafeMutablePointer<Int32>
    let exitStep: UnsafeMutablePointer<Int32>
    /// The last step in which an AVS incident or operator fault hit the path (dedupes triggers).
    let hitStep: UnsafeMutablePointer<Int32>
    /// 0 active, 1 withdrawing, 2 exited (idle).
    let phase: UnsafeMutablePointer<UInt8>
    let countdown: UnsafeMutablePointer<Int32>
    /// Paths hit this step while active: the exit's triggers.
    var triggered: EventList
    /// Sub-position slots `o * B + p` whose fractions a slash changed this step (isolated
    /// security), each once: their reward rates are refreshed after the step's slashes.
    var staleRates: EventList
    /// The last step a slot was queued in `staleRates` (-1: never).
    let rateMark: UnsafeMutablePointer<Int32>
    /// Paths currently withdrawing.
    var withdrawing = 0

    init(_ s: CompiledModel.Strategy, blockSize n: Int) {
        blockSize = n
        subCount = s.subPositions.count
        rewardSlots = s.rewardAssets.count
        sourceCount = s.sources.count
        stake = .doubles(subCount * n)
        accrued = .doubles(subCount * n)
        ownRate = .doubles(subCount * n)
        foreignRate = .doubles(subCount * rewardSlots * n)
        var offsets: [Int] = []
        var total = 0
        for sub in s.subPositions {
            offsets.append(total)
            total += s.isolated ? sub.exposures.count * n : 0
        }
        fractionOffset = offsets
        fractions = .doubles(total)
        debt = .doubles(n)
        idle = .doubles(n)
        slashed = .doubles(sourceCount * n)
        func ints<T: FixedWidthInteger>(_: T.Type) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: n)
            p.initialize(repeating: 0, count: n)
            return p
        }
        incidents = ints(UInt32.self)
        liquidations = ints(UInt16.self)
        firstSlash = ints(Int32.self)
        firstLiquidation = ints(Int32.self)
        exitStep = ints(Int32.self)
        hitStep = ints(Int32.self)
        phase = ints(UInt8.self)
        countdown = ints(Int32.self)
        triggered = EventList()
        staleRates = EventList()
        rateMark = .allocate(capacity: Swift.max(subCount * n, 1))
        rateMark.initialize(repeating: -1, count: Swift.max(subCount * n, 1))
    }

    deinit {
        for p in [stake, accrued, ownRate, foreignRate, fractions, debt, idle, slashed] { p.deallocate() }
        incidents.deallocate(); liquidations.deallocate(); firstSlash.deallocate()
        firstLiquidation.deallocate(); exitStep.deallocate(); hitStep.deallocate()
        phase.deallocate(); countdown.deallocate(); triggered.deallocate()
        staleRates.deallocate(); rateMark.deallocate()
    }

    /// The state at t = 0: each sub-position holds its share of `ratio * W0`.
    func reset(_ s: CompiledModel.Strategy) {
        let n = blockSize
        let ratio = s.leverage?.ratio ?? 1
        for (o, sub) in s.subPositions.enumerated() {
            (stake + o * n).update(repeating: ratio * sub.fraction, count: n)
            var own = s.baseRewardPerStep + s.defiRewardPerStep
            var foreign = [Double](repeating: 0, count: rewardSlots)
            for e in sub.exposures {
                if let slot = e.rewardSlot { foreign[slot] += e.fraction * e.rewardPerStep } else { own += e.fraction * e.rewardPerStep }
            }
            (ownRate + o * n).update(repeating: own, count: n)
            for r in 0..<rewardSlots { (foreignRate + (o * rewardSlots + r) * n).update(repeating: foreign[r], count: n) }
            if s.isolated {
                let row = sub.exposures.map(\.fraction)
                row.withUnsafeBufferPointer { r in
                    for p in 0..<n { (fractions + fractionOffset[o] + p * r.count).update(from: r.baseAddress!, count: r.count) }
                }
            }
        }
        accrued.update(repeating: 0, count: subCount * n)
        debt.update(repeating: ratio - 1, count: n)
        idle.update(repeating: 0, count: n)
        slashed.update(repeating: 0, count: sourceCount * n)
        incidents.update(repeating: 0, count: n)
        liquidations.update(repeating: 0, count: n)
        firstSlash.update(repeating: StrategyPaths.never, count: n)
        firstLiquidation.update(repeating: StrategyPaths.never, count: n)
        exitStep.update(repeating: StrategyPaths.never, count: n)
        hitStep.update(repeating: -1, count: n)
        phase.update(repeating: 0, count: n)
        countdown.update(repeating: 0, count: n)
        withdrawing = 0
        triggered.count = 0
        staleRates.count = 0
        rateMark.update(repeating: -1, count: Swift.max(subCount * n, 1))
    }
}
