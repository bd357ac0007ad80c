import Foundation
import Testing
@testable import RestakeRisk

/// The compounding curve (fan): exact ends, and intermediate quantiles within their rank error.
@Suite struct ModelFanTests {
    typealias S = ModelTestSupport

    /// The example (20,000 paths, weekly reporting over 365 daily steps):
    /// - the t = 0 row is all 1 (mean and every quantile);
    /// - the final row equals the terminal mean and quantiles of the statistics exactly
    ///   (fan levels 0.01 ... 0.99 are terminal levels 1 ... 7);
    /// - at step 182 (26 weeks), the fan's quantiles have a rank error <= 1e-3 against the exact
    ///   empirical quantiles of W_182, obtained by re-running the scenario with the horizon cut at
    ///   182/365 years (same seed, same steps per year: identical paths up to that step); the
    ///   fan's mean equals the exact mean to ~1e-12 (fixed-point sum).
    @Test func fanEndsAreExactAndMiddleIsWithinRankError() throws {
        let n = 20_000, seed: UInt64 = 31
        let yaml = try S.exampleYAML()
        let run = try S.run(yaml, seed: seed, paths: n)
        let times = run.model.reportingSteps
        #expect(times.first == 0 && times.last == 365 && times.contains(182))
        #expect(run.report.fan.count == run.model.strategies.count * times.count)

        let cutYAML = yaml.replacingOccurrences(of: "horizon_years: 1\n", with: "horizon_years: \(182.0 / 365)\n")
        #expect(cutYAML != yaml)
        let cut = try S.run(cutYAML, seed: seed, paths: n)
        #expect(cut.model.steps == 182)

        for (s, stats) in run.report.strategies.enumerated() {
            let rows = run.report.fan.filter { $0.strategy == stats.name }
            #expect(rows.count == times.count)
            // t = 0.
            #expect(rows[0].years == 0 && rows[0].mean == 1 && rows[0].quantiles.allSatisfy { $0 == 1 })
            // t = T.
            let last = rows[rows.count - 1]
            #expect(last.years == 1)
            #expect(last.mean == stats.terminalMean, "\(stats.name): fan mean at T \(last.mean) vs \(stats.terminalMean)")
            #expect(Array(stats.terminalQuantiles[1...7]) == last.quantiles, "\(stats.name): fan quantiles at T")
            #expect(StrategyStatistics.terminalLevels[1...7].elementsEqual(FanRow.levels))
            // Reporting times.
            for (row, step) in zip(rows, times) {
                #expect(row.years == Double(step) / 365)
                #expect(zip(row.quantiles, row.quantiles.dropFirst()).allSatisfy { $0 <= $1 }, "\(stats.name): quantiles not sorted")
            }
            // t = 182 against the exact values.
            let row = try #require(rows.first { $0.years == 182.0 / 365 })
            let exact = cut.result.strategies[s].terminalWealth.sorted()
            let exactMean = exact.reduce(0, +) / Double(n)
            #expect(abs(row.mean - exactMean) <= 1e-11 * max(1, exactMean), "\(stats.name): fan mean \(row.mean), exact \(exactMean)")
            for (level, v) in zip(FanRow.levels, row.quantiles) {
                let below = exact.partitioningIndex { $0 >= v }        // #{x < v}
                let atOrBelow = exact.partitioningIndex { $0 > v }     // #{x <= v}
                let target = Double(EmpiricalQuantile.rank(level, count: n))
                let error = target < Double(below) ? Double(below) - target
                    : target > Double(atOrBelow) + 1 ? target - Double(atOrBelow) - 1 : 0
                #expect(error / Double(n) <= 1e-3,
                        "\(stats.name) q\(level) at step 182: fan \(v), exact \(exact[Int(target) - 1]), rank error \(error / Double(n))")
            }
        }
        // The cut run's own final fan row is exact, and agrees with the full run's step-182 row
        // within the same rank error (a cross-check of the two runs' path identity).
        for stats in run.report.strategies {
            let full = try #require(run.report.fan.first { $0.strategy == stats.name && $0.years == 182.0 / 365 })
            let cutRow = try #require(cut.report.fan.last { $0.strategy == stats.name })
            #expect(abs(full.mean - cutRow.mean) <= 1e-11 * max(1, cutRow.mean))
        }
    }
}

extension Array where Element == Double {
    /// The first index whose element satisfies `belongs` (the array partitioned so that
    /// non-members come first).
    fileprivate func partitioningIndex(where belongs: (Double) -> Bool) -> Int {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if belongs(self[mid]) { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
