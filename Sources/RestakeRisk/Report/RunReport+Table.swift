import Foundation

extension RunReport {
    /// The terminal summary: one row per strategy, the figures an analyst reads first.
    public func table() -> String {
        let header = ["strategy", "mean W_T", "median", "ann.ret", "VaR99 L", "ES99 L",
                      "VaR99.9 Ls", "ES99.9 Ls", "P(slash)", "incid.", "P(liq)"]
        let i99 = alphas.firstIndex(of: 0.99)!
        let i999 = alphas.firstIndex(of: 0.999)!
        let median = StrategyStatistics.terminalLevels.firstIndex(of: 0.5)!
        func f(_ x: Double, _ digits: Int = 4) -> String { String(format: "%.\(digits)f", x) }
        func pct(_ x: Double) -> String { String(format: "%.2f%%", x * 100) }
        var rows = [header]
        for s in strategies {
            rows.append([s.name, f(s.terminalMean), f(s.terminalQuantiles[median]), pct(s.annualizedMean),
                         f(s.loss[i99].valueAtRisk), f(s.loss[i99].expectedShortfall),
                         f(s.slashing[i999].valueAtRisk), f(s.slashing[i999].expectedShortfall),
                         pct(s.slashingProbability), f(s.incidentsMean, 3), pct(s.liquidationProbability)])
        }
        let widths = header.indices.map { c in rows.map { $0[c].count }.max()! }
        var out = "\(scenarioName): \(paths) paths, \(steps) steps over \(NumberText.csv(horizonYears)) years, "
            + "seed \(seed), numeraire \(numeraire)\n"
        for (r, row) in rows.enumerated() {
            out += row.enumerated().map { c, cell in
                c == 0 ? cell.padding(toLength: widths[c], withPad: " ", startingAt: 0)
                       : String(repeating: " ", count: widths[c] - cell.count) + cell
            }.joined(separator: "  ") + "\n"
            if r == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        out += "W_T: terminal wealth per 1 unit staked; L = 1 - W_T; Ls: slashed fraction. "
            + String(format: "%.2fs, %.1f M path-steps/s on %d threads.\n",
                     elapsedSeconds, (pathStepsPerSecond ?? 0) / 1e6, threads)
        return out
    }
}
