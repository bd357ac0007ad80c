/// Per-path results of one strategy, in path order: what exact statistics and shards are made of.
public struct StrategyPaths: Sendable, Equatable {
    /// `W_T` in the numeraire, floored at 0.
    public var terminalWealth: [Double]
    /// `L_s`: cumulative slashed amount over `W0`, in the staked asset, before insurance.
    public var slashingLoss: [Double]
    /// AVS incidents that hit the strategy (base-layer slashing not counted).
    public var incidents: [UInt32]
    /// Paths with at least one liquidation.
    public var liquidatedPaths: Int
    /// The split of `L_s` by source, kept only for paths with `L_s > 0`.
    public var attribution: SparseAttribution
    /// Liquidations per path (saturating at `UInt16.max`).
    public var liquidations: [UInt16]
    /// The step (1-based) in which the path was first slashed (any source), first liquidated,
    /// and converted by an exit; `StrategyPaths.never` where it did not happen. Timelines are
    /// exact counts over these columns.
    public var firstSlashStep: [Int32]
    public var firstLiquidationStep: [Int32]
    public var exitStep: [Int32]

    /// The step value of an event that did not happen.
    public static let never: Int32 = -1

    public init(terminalWealth: [Double], slashingLoss: [Double], incidents: [UInt32],
                liquidatedPaths: Int, attribution: SparseAttribution,
                liquidations: [UInt16]? = nil, firstSlashStep: [Int32]? = nil,
                firstLiquidationStep: [Int32]? = nil, exitStep: [Int32]? = nil) {
        let n = terminalWealth.count
        self.terminalWealth = terminalWealth; self.slashingLoss = slashingLoss
        self.incidents = incidents; self.liquidatedPaths = liquidatedPaths
        self.attribution = attribution
        self.liquidations = liquidations ?? Array(repeating: 0, count: n)
        self.firstSlashStep = firstSlashStep ?? Array(repeating: Self.never, count: n)
        self.firstLiquidationStep = firstLiquidationStep ?? Array(repeating: Self.never, count: n)
        self.exitStep = exitStep ?? Array(repeating: Self.never, count: n)
    }
}

/// Each slashed path's slashing loss split by source (each AVS of the strategy, then `base`).
///
/// Most paths are never slashed, so only slashed paths are stored: memory follows the number of
/// slashed paths, not paths x sources.
public struct SparseAttribution: Sendable, Equatable {
    /// Source names: the strategy's AVSs in scenario order, then `base`.
    public var sources: [String]
    /// Global path indices of the slashed paths, ascending.
    public var paths: [Int]
    /// Row-major `paths.count x sources.count` losses.
    public var values: [Double]

    public init(sources: [String], paths: [Int] = [], values: [Double] = []) {
        precondition(values.count == paths.count * sources.count, "one row of values per path")
        self.sources = sources; self.paths = paths; self.values = values
    }

    /// Appends another set whose paths all come after this one's.
    public mutating func append(contentsOf other: SparseAttribution) {
        precondition(other.sources == sources, "attribution sources differ")
        assert(paths.last.map { p in other.paths.first.map { $0 > p } ?? true } ?? true)
        paths.append(contentsOf: other.paths)
        values.append(contentsOf: other.values)
    }
}

/// Fan-chart accumulators of every strategy at every reporting time.
///
/// Both parts merge exactly and in any order (integer counts, extrema, fixed-point sums), so a
/// run on any number of threads, or a merge of shards, gives the same bits. In pilot mode it
/// instead collects every value, to choose the histograms' edges.
public struct FanAccumulator: @unchecked Sendable {
    public let strategyCount: Int
    public let timeCount: Int
    /// Index `strategy * timeCount + time`.
    public var histograms: [FanHistogram]
    public var sums: [FixedPointSum]
    /// In pilot mode, the values seen at each index; nil otherwise.
    public var pilotValues: [[Double]]?

    /// Accumulators with the given edges per index (`strategy * timeCount + time`).
    public init(strategyCount: Int, timeCount: Int, edges: [[Double]]) {
        precondition(edges.count == strategyCount * timeCount, "one edge list per strategy and time")
        self.strategyCount = strategyCount; self.timeCount = timeCount
        histograms = edges.map { FanHistogram(edges: $0) }
        sums = Array(repeating: FixedPointSum(), count: strategyCount * timeCount)
    }

    /// A collector of pilot values, from which `edges()` chooses the histograms' edges.
    public static func pilot(strategyCount: Int, timeCount: Int) -> FanAccumulator {
        var fan = FanAccumulator(strategyCount: strategyCount, timeCount: timeCount,
                                 edges: Array(repeating: [], count: strategyCount * timeCount))
        fan.pilotValues = Array(repeating: [], count: strategyCount * timeCount)
        return fan
    }

    /// Edges chosen from the pilot values (none at t = 0 and t = T, which are exact).
    public func edges() -> [[Double]] {
        let values = pilotValues!
        return values.indices.map { i in
            let t = i % timeCount
            return t == 0 || t == timeCount - 1 ? [] : FanHistogram.edges(pilot: values[i])
        }
    }

    /// Empty accumulators with the same edges.
    public func emptyCopy() -> FanAccumulator {
        var copy = self
        copy.histograms = histograms.map { $0.emptyCopy() }
        copy.sums = Array(repeating: FixedPointSum(), count: sums.count)
        copy.pilotValues = pilotValues.map { $0.map { _ in [] } }
        return copy
    }

    /// Records one strategy's equity at reporting time `time` for `count` paths of a block.
    ///
    /// The one entry point the kernel uses; in pilot mode the values are kept to choose edges.
    public mutating func record(strategy: Int, time: Int, values: UnsafePointer<Double>, count: Int,
                                scratch: UnsafeMutablePointer<Int>) {
        let index = strategy * timeCount + time
        if pilotValues != nil {
            pilotValues![index].append(contentsOf: UnsafeBufferPointer(start: values, count: count))
            return
        }
        histograms[index].add(values, count: count, bins: scratch)
        var sum = FixedPointSum()
        for p in 0..<count { sum.add(values[p]) }
        sums[index].add(sum)
    }

    /// Adds another accumulator's contents.
    public mutating func merge(_ other: FanAccumulator) {
        precondition(other.strategyCount == strategyCount && other.timeCount == timeCount, "fan shapes differ")
        for i in histograms.indices {
            histograms[i].merge(other.histograms[i])
            sums[i].add(other.sums[i])
        }
        if let theirs = other.pilotValues {
            for i in theirs.indices { pilotValues![i] += theirs[i] }
        }
    }
}
