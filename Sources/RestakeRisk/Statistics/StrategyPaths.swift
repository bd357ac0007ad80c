/// Per-path results of one strategy, in path order: what exact statistics and shards are made of.
public struct StrategyPaths: Sendable, Equatable {
    /// `W_T` in the numeraire, floored at 0.
    public var terminalWealth: [Double]
    /// `L_s`: cumulative slashed amount over `W0`, in the staked asset, before insurance.
    public var slashingLoss: [Double]
    /// AVS incidents and operator faults that hit the strategy (base-layer slashing not counted).
    public var incidents: [UInt32]
    /// Paths with at least one liquidation.
    public var liquidatedPaths: Int
    /// The split of `L_s` by source, nonzero parts only.
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

    /// No paths yet, with the given attribution sources.
    public init(sources: [String]) {
        self.init(terminalWealth: [], slashingLoss: [], incidents: [], liquidatedPaths: 0,
                  attribution: SparseAttribution(sources: sources))
    }

    /// Number of paths.
    public var count: Int { terminalWealth.count }

    /// Appends the paths that follow these (the next blocks, or the next shard), every column.
    public mutating func append(contentsOf other: StrategyPaths) {
        terminalWealth += other.terminalWealth
        slashingLoss += other.slashingLoss
        incidents += other.incidents
        liquidatedPaths += other.liquidatedPaths
        attribution.append(contentsOf: other.attribution)
        liquidations += other.liquidations
        firstSlashStep += other.firstSlashStep
        firstLiquidationStep += other.firstLiquidationStep
        exitStep += other.exitStep
    }

    /// Reserves room for `n` paths in every column.
    public mutating func reserveCapacity(_ n: Int) {
        terminalWealth.reserveCapacity(n); slashingLoss.reserveCapacity(n); incidents.reserveCapacity(n)
        liquidations.reserveCapacity(n); firstSlashStep.reserveCapacity(n)
        firstLiquidationStep.reserveCapacity(n); exitStep.reserveCapacity(n)
    }

    /// Checks that every column has one value per path (a precondition of every statistic).
    func checkColumns() {
        let n = count
        precondition(slashingLoss.count == n && incidents.count == n && liquidations.count == n
                     && firstSlashStep.count == n && firstLiquidationStep.count == n && exitStep.count == n,
                     "per-path columns differ in length")
    }
}
