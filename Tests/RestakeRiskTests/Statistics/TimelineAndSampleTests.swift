import Foundation
import Testing
@testable import RestakeRisk

/// The timeline's exact counts and the sample rows' event times, from the step columns.
@Suite struct TimelineAndSampleTests {
    /// Random step columns (with `never` mixed in) over T = 365 steps reported weekly: every
    /// `p(t)` equals a direct count of the paths with a step in `1...t`; `p(0) = 0`; the curves
    /// never decrease; `p(T)` is the fraction of paths where the event happened at all.
    @Test func timelineIsAnExactCountOfTheStepColumns() {
        let n = 5000, horizon = 365
        var sampler = TestSampler(seed: 3)
        func column(_ probability: Double) -> [Int32] {
            (0..<n).map { _ in
                sampler.uniform() < probability ? Int32(1 + Int(sampler.uniform() * Double(horizon))) : StrategyPaths.never
            }
        }
        let slash = column(0.3), liquidation = column(0.05), exit = column(0.2)
        let paths = StrategyPaths(terminalWealth: Array(repeating: 1, count: n),
                                  slashingLoss: Array(repeating: 0, count: n),
                                  incidents: Array(repeating: 0, count: n), liquidatedPaths: 0,
                                  attribution: SparseAttribution(sources: ["base"]),
                                  firstSlashStep: slash, firstLiquidationStep: liquidation, exitStep: exit)
        let steps = Array(stride(from: 0, to: horizon, by: 7)) + [horizon]
        let timeline = TimelinePoint.timeline(reportingSteps: steps, stepsPerYear: 365, paths: paths)
        #expect(timeline.count == steps.count)
        func fraction(_ c: [Int32], _ t: Int) -> Double {
            Double(c.filter { $0 >= 1 && Int($0) <= t }.count) / Double(n)
        }
        for (point, t) in zip(timeline, steps) {
            #expect(point.tYears == Double(t) / 365)
            #expect(point.pSlashed == fraction(slash, t) && point.pLiquidated == fraction(liquidation, t)
                    && point.pExited == fraction(exit, t), "t = \(t)")
        }
        #expect(timeline[0].pSlashed == 0 && timeline[0].pLiquidated == 0 && timeline[0].pExited == 0)
        #expect(zip(timeline, timeline.dropFirst()).allSatisfy { $0.pSlashed <= $1.pSlashed && $0.pExited <= $1.pExited })
        #expect(timeline.last!.pSlashed == Double(slash.filter { $0 != StrategyPaths.never }.count) / Double(n))
        #expect(timeline.last!.pSlashed > 0.25 && timeline.last!.pSlashed < 0.35)
    }

    /// A sample row carries the path's liquidations and its event times in years (the end of
    /// the step), nil where the event did not happen.
    @Test func sampleRowsCarryEventTimes() {
        let paths = StrategyPaths(terminalWealth: [1.1, 0.2], slashingLoss: [0, 0.5], incidents: [0, 2],
                                  liquidatedPaths: 1, attribution: SparseAttribution(sources: ["base"]),
                                  liquidations: [0, 3], firstSlashStep: [StrategyPaths.never, 10],
                                  firstLiquidationStep: [StrategyPaths.never, 73], exitStep: [StrategyPaths.never, 146])
        let quiet = PathSample(strategy: "s", paths: paths, index: 0, firstPath: 100, stepsPerYear: 365)
        #expect(quiet.path == 100 && quiet.terminalWealth == 1.1 && quiet.liquidations == 0)
        #expect(quiet.firstLiquidationYears == nil && quiet.exitYears == nil)
        let busy = PathSample(strategy: "s", paths: paths, index: 1, stepsPerYear: 365)
        #expect(busy.path == 1 && busy.slashingLoss == 0.5 && busy.incidents == 2 && busy.liquidations == 3)
        #expect(busy.firstLiquidationYears == 0.2 && busy.exitYears == 0.4)
    }
}
