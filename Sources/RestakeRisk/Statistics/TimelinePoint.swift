/// One reporting time of a strategy's timeline: the fractions of paths on which an event has
/// happened by then.
public struct TimelinePoint: Sendable, Equatable {
    public var tYears: Double
    /// Slashed by any source (base slashing included) at least once by `t`.
    public var pSlashed: Double
    /// Liquidated at least once by `t`.
    public var pLiquidated: Double
    /// Converted by an exit by `t`.
    public var pExited: Double

    public init(tYears: Double, pSlashed: Double, pLiquidated: Double, pExited: Double) {
        self.tYears = tYears; self.pSlashed = pSlashed; self.pLiquidated = pLiquidated; self.pExited = pExited
    }

    /// The timeline at every reporting step (t = 0 included), exactly from the step columns:
    /// `p(t)` is the fraction of paths whose event step is in `1...t`.
    public static func timeline(reportingSteps: [Int], stepsPerYear: Int, paths: StrategyPaths) -> [TimelinePoint] {
        precondition(!reportingSteps.isEmpty && stepsPerYear > 0, "a timeline needs reporting steps")
        let horizon = reportingSteps.last!
        let n = Double(paths.count)
        let slashed = cumulativeCounts(paths.firstSlashStep, horizon: horizon)
        let liquidated = cumulativeCounts(paths.firstLiquidationStep, horizon: horizon)
        let exited = cumulativeCounts(paths.exitStep, horizon: horizon)
        return reportingSteps.map { t in
            TimelinePoint(tYears: Double(t) / Double(stepsPerYear),
                          pSlashed: n > 0 ? Double(slashed[t]) / n : 0,
                          pLiquidated: n > 0 ? Double(liquidated[t]) / n : 0,
                          pExited: n > 0 ? Double(exited[t]) / n : 0)
        }
    }

    /// For every t in `0...horizon`, how many paths have a step in `1...t`: one counting pass
    /// over the column, then a prefix sum (steps outside `1...horizon`, `never` among them, count
    /// nowhere).
    static func cumulativeCounts(_ steps: [Int32], horizon: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: horizon + 1)
        counts.withUnsafeMutableBufferPointer { c in
            for s in steps {
                assert(s == StrategyPaths.never || (s >= 1 && Int(s) <= horizon), "event step \(s) outside 1...\(horizon)")
                let i = Int(s)
                if i >= 1 && i <= horizon { c[i] &+= 1 }
            }
            for t in stride(from: 1, through: horizon, by: 1) { c[t] &+= c[t - 1] }
        }
        return counts
    }
}
