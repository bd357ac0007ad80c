/// One path of one strategy as `samples.csv` lists it.
public struct PathSample: Sendable, Equatable {
    public var strategy: String
    public var path: Int
    public var terminalWealth: Double
    public var slashingLoss: Double
    public var incidents: UInt32
    public var liquidations: UInt16
    /// When the path was first liquidated, in years (the end of that step); nil if never.
    public var firstLiquidationYears: Double?
    /// When an exit converted the position, in years; nil if it never did.
    public var exitYears: Double?

    public init(strategy: String, path: Int, terminalWealth: Double, slashingLoss: Double,
                incidents: UInt32, liquidations: UInt16 = 0, firstLiquidationYears: Double? = nil,
                exitYears: Double? = nil) {
        self.strategy = strategy; self.path = path; self.terminalWealth = terminalWealth
        self.slashingLoss = slashingLoss; self.incidents = incidents; self.liquidations = liquidations
        self.firstLiquidationYears = firstLiquidationYears; self.exitYears = exitYears
    }

    /// Path `index` (zero-based within `paths`, global index `firstPath + index`) of a strategy.
    public init(strategy: String, paths: StrategyPaths, index: Int, firstPath: Int = 0, stepsPerYear: Int) {
        func years(_ step: Int32) -> Double? {
            step == StrategyPaths.never ? nil : Double(step) / Double(stepsPerYear)
        }
        self.init(strategy: strategy, path: firstPath + index, terminalWealth: paths.terminalWealth[index],
                  slashingLoss: paths.slashingLoss[index], incidents: paths.incidents[index],
                  liquidations: paths.liquidations[index],
                  firstLiquidationYears: years(paths.firstLiquidationStep[index]),
                  exitYears: years(paths.exitStep[index]))
    }
}
