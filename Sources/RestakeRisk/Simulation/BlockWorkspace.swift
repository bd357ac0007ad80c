/// One worker's scratch memory for a block of paths, allocated once and reused for every block.
///
/// State is struct-of-arrays, one buffer of `blockSize` values per variable, so each operation of
/// a step is a loop over the block's paths; rare events (incidents, faults, base slashing,
/// liquidations, exits) go through short compacted lists of path indices.
final class BlockWorkspace {
    let blockSize: Int
    let factorCount: Int
    /// Factor-major draws: factor f's values at `draws + f * blockSize` (t values under the
    /// Student-t copula, z values under the Gaussian one).
    let draws: UnsafeMutablePointer<Double>
    let scratch: UnsafeMutablePointer<Double>
    /// Per-path Student-t scale `sqrt(nu / W)`.
    let mixing: UnsafeMutablePointer<Double>
    /// Scratch for keyed uniforms and mapped normals.
    let uniforms: UnsafeMutablePointer<Double>
    let normals: UnsafeMutablePointer<Double>
    /// One keyed uniform per path and step, shared by every strategy's base-layer slashing.
    let baseUniforms: UnsafeMutablePointer<Double>
    let logPrice: UnsafeMutablePointer<Double>
    /// `P(t) / P(0)` per asset.
    let relativePrice: UnsafeMutablePointer<Double>
    let depeg: UnsafeMutablePointer<Double>
    /// `R = 1 - D` per token.
    let ratio: UnsafeMutablePointer<Double>
    /// One strategy's equity per path, computed for the fan and the terminal values.
    let wealth: UnsafeMutablePointer<Double>
    /// Per-path scratch of the strategy passes (reward rate, collateral).
    let rate: UnsafeMutablePointer<Double>
    let collateral: UnsafeMutablePointer<Double>
    /// Per distinct (reward asset, staked asset) pair of the model's strategies: the reward
    /// asset's price in the staked one, computed once a step for every strategy that reads it.
    let rewardPriceRatio: UnsafeMutablePointer<Double>
    /// The pairs, in the order of `rewardPriceRatio`'s rows.
    let rewardRatioPairs: [(asset: Int, staked: Int)]
    /// Per strategy and reward slot, its row of `rewardPriceRatio`.
    let rewardRatioRows: [[Int]]
    /// Scratch for the fan histograms' batched adds (two values per path).
    let binScratch: UnsafeMutablePointer<Int>
    /// R for strategies without a token.
    let par: UnsafeMutablePointer<Double>
    /// A strategy's nonzero slashed amounts gathered at the end of a block
    /// (`BlockWorkspace+Attribution.swift`): path p's entries are `entryStart[p] ..<
    /// entryStart[p + 1]` of `entrySource` and `entryLoss`, which grow to the most a block needs.
    let entryStart: UnsafeMutablePointer<Int>
    let entryCursor: UnsafeMutablePointer<Int>
    var entrySource: UnsafeMutablePointer<Int32>
    var entryLoss: UnsafeMutablePointer<Double>
    var entryCapacity = 0
    /// This step's incidents per AVS that were not vetoed (path, severity).
    var hits: [EventList]
    /// This step's incidents per AVS, vetoed ones included (for depeg jumps).
    var incidents: [EventList]
    /// This step's operator faults (path, severity).
    var faults: [EventList]
    /// Scratch list (base-slashing events, unhealthy paths).
    var events: EventList
    let strategies: [StrategyState]
    /// Maps t-copula draws to Gaussian asset returns; nil under the Gaussian copula.
    let marginal: StudentToNormal?
    let sampler: CorrelatedSampler

    init(model: CompiledModel, blockSize: Int) {
        self.blockSize = blockSize
        factorCount = model.factorNames.count
        let n = blockSize
        draws = .doubles(factorCount * n)
        sampler = CorrelatedSampler(correlation: model.correlation, studentDegreesOfFreedom: model.studentDegreesOfFreedom)
        scratch = .doubles(sampler.scratchCount(paths: n))
        mixing = .doubles(n)
        uniforms = .doubles(n)
        normals = .doubles(n)
        baseUniforms = .doubles(n)
        logPrice = .doubles(model.assets.count * n)
        relativePrice = .doubles(model.assets.count * n)
        depeg = .doubles(model.tokens.count * n)
        ratio = .doubles(model.tokens.count * n)
        par = .doubles(n)
        wealth = .doubles(n)
        rate = .doubles(n)
        collateral = .doubles(n)
        var pairs: [(asset: Int, staked: Int)] = []
        rewardRatioRows = model.strategies.map { strategy in
            strategy.rewardAssets.map { asset in
                if let row = pairs.firstIndex(where: { $0 == (asset, strategy.asset) }) { return row }
                pairs.append((asset, strategy.asset))
                return pairs.count - 1
            }
        }
        rewardRatioPairs = pairs
        rewardPriceRatio = .doubles(pairs.count * n)
        binScratch = .allocate(capacity: 2 * n)
        binScratch.initialize(repeating: 0, count: 2 * n)
        par.update(repeating: 1, count: n)
        entryStart = .allocate(capacity: n + 1)
        entryCursor = .allocate(capacity: n)
        entrySource = .allocate(capacity: 1)
        entryLoss = .allocate(capacity: 1)
        // Room for a drawn and a forced (stress) event on every path.
        hits = model.services.map { _ in EventList() }
        incidents = model.services.map { _ in EventList() }
        faults = model.operators.map { _ in EventList() }
        events = EventList()
        strategies = model.strategies.map { StrategyState($0, blockSize: n) }
        marginal = model.studentDegreesOfFreedom.map { StudentToNormal(dof: $0) }
    }

    deinit {
        binScratch.deallocate()
        entryStart.deallocate(); entryCursor.deallocate(); entrySource.deallocate(); entryLoss.deallocate()
        for p in [draws, scratch, mixing, uniforms, normals, baseUniforms, logPrice, relativePrice,
                  depeg, ratio, par, wealth, rate, collateral, rewardPriceRatio] { p.deallocate() }
        for list in hits + incidents + faults + [events] { list.deallocate() }
    }

    /// Resets every path to the start of the horizon: `W0 = 1`, leverage `ratio` staked.
    func reset(model: CompiledModel) {
        let n = blockSize
        logPrice.update(repeating: 0, count: model.assets.count * n)
        relativePrice.update(repeating: 1, count: model.assets.count * n)
        depeg.update(repeating: 0, count: model.tokens.count * n)
        ratio.update(repeating: 1, count: model.tokens.count * n)
        for (s, st) in zip(model.strategies, strategies) { st.reset(s) }
    }
}

extension UnsafeMutablePointer<Double> {
    /// A zeroed buffer of `n` doubles (at least one, so an empty model still has valid pointers).
    static func doubles(_ n: Int) -> UnsafeMutablePointer<Double> {
        let p = UnsafeMutablePointer<Double>.allocate(capacity: Swift.max(n, 1))
        p.initialize(repeating: 0, count: Swift.max(n, 1))
        return p
    }
}

/// A compacted list of the block's paths where a rare event happened this step, with a value each.
///
/// It starts small and doubles when full: events are rare, and a list sized for every path of
/// the block, per AVS and operator, made a 200-AVS portfolio's workspace 10 MB a worker. It
/// keeps its largest size, so growth stops after the first busy steps.
struct EventList {
    private(set) var paths: UnsafeMutablePointer<Int32>
    private(set) var values: UnsafeMutablePointer<Double>
    private(set) var capacity: Int
    var count = 0

    /// The capacity a list starts with.
    static let initialCapacity = 64

    init() {
        capacity = Self.initialCapacity
        paths = .allocate(capacity: capacity)
        values = .allocate(capacity: capacity)
    }

    func deallocate() { paths.deallocate(); values.deallocate() }

    @inline(__always)
    mutating func append(_ path: Int, _ value: Double) {
        if count == capacity { grow() }
        paths[count] = Int32(truncatingIfNeeded: path)
        values[count] = value
        count += 1
    }

    /// Doubles the capacity, keeping the entries.
    @inline(never)
    private mutating func grow() {
        let larger = 2 * capacity
        let newPaths = UnsafeMutablePointer<Int32>.allocate(capacity: larger)
        let newValues = UnsafeMutablePointer<Double>.allocate(capacity: larger)
        newPaths.moveInitialize(from: paths, count: count)
        newValues.moveInitialize(from: values, count: count)
        deallocate()
        paths = newPaths; values = newValues; capacity = larger
    }
}
