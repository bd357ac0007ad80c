/// A strategy's per-path columns sorted once: every order statistic of its report (quantiles,
/// VaR and ES with their intervals, the attribution's tail set, distributions) reads these.
public struct SortedColumns: Sendable {
    /// `W_T`, ascending.
    public let terminalWealth: [Double]
    /// `L = 1 - W_T`, ascending (the wealth column reversed, not sorted again).
    public let loss: [Double]
    /// `L_s`, ascending.
    public let slashingLoss: [Double]

    public init(_ paths: StrategyPaths) {
        precondition(paths.count > 0, "statistics of no paths")
        let wealth = RadixSort.sorted(paths.terminalWealth)
        terminalWealth = wealth
        loss = wealth.reversed().map { 1 - $0 }
        slashingLoss = RadixSort.sorted(paths.slashingLoss)
    }
}
