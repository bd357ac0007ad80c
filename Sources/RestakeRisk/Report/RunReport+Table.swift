import Foundation

extension RunReport {
    /// Paths beyond a VaR below which its VaR and ES are flagged as resting on too few paths.
    public static let minimumTailPaths = 10

    /// The terminal summary: a block of wealth and returns, then one block per confidence level
    /// with the total and the slashing loss, a legend saying what every column is, and warnings.
    ///
    /// Every figure is in percent of the initial stake. Fits `width` columns (at least 80 are
    /// needed for the numbers; a strategy name too long for its column goes on a line of its own,
    /// never cut).
    ///
    /// - Parameter alpha: the level of the first loss block (one of `alphas`); 0.999 follows when
    ///   at least `minimumTailPaths` paths lie beyond it.
    public func table(alpha: Double = 0.99, width: Int = 100) -> String {
        precondition(alphas.contains(alpha), "alpha \(alpha) is not a reported level")
        let names = strategies.map { TerminalText.escaped($0.name, keepNewlines: false) }
        var levels = [alpha]
        if alpha < 0.999, let extra = alphas.first(where: { $0 == 0.999 }), tailPaths(extra) >= Self.minimumTailPaths {
            levels.append(extra)
        }
        var out = "\(TerminalText.escaped(scenarioName, keepNewlines: false)): \(grouped(paths)) paths, "
            + "\(Self.horizonText(horizonYears)) in \(grouped(steps)) steps, seed \(seed), numeraire \(numeraire)"
            + String(format: "; %.1f s on %d thread%@\n", elapsedSeconds, threads, threads == 1 ? "" : "s")

        let median = StrategyStatistics.terminalLevels.firstIndex(of: 0.5)!
        let annual = horizonYears >= 1
        let returnHeads = annual ? ["ann. mean", "ann. median"] : ["ret. mean", "ret. median"]
        out += "\nwealth and returns (% of initial stake" + (annual ? ", returns per year)\n" : ", returns over \(Self.horizonText(horizonYears)))\n")
        out += Self.grid(names: names, width: width,
                         header: ["mean W_T", "median W_T"] + returnHeads + ["P(Ls>0)", "incidents", "P(liq)"],
                         rows: strategies.map { s in
                             let returns = annual ? [s.annualizedMean, s.annualizedMedian]
                                                  : [s.terminalMean - 1, s.terminalQuantiles[median] - 1]
                             return [Self.percent(s.terminalMean), Self.percent(s.terminalQuantiles[median])]
                                 + returns.map { Self.percent($0, signed: true) }
                                 + [Self.percent(s.slashingProbability), Self.decimal(s.incidentsMean),
                                    Self.percent(s.liquidationProbability)]
                         })
        for level in levels {
            let i = alphas.firstIndex(of: level)!
            out += "\nloss at \(Self.levelText(level)) (% of initial stake; VaR with its 95% interval)\n"
            out += Self.grid(names: names, width: width,
                             header: ["VaR L", "95% interval", "ES L", "VaR Ls", "95% interval", "ES Ls"],
                             rows: strategies.map { s in
                                 [Self.percent(s.loss[i].valueAtRisk), Self.interval(s.loss[i]),
                                  Self.percent(s.loss[i].expectedShortfall),
                                  Self.percent(s.slashing[i].valueAtRisk), Self.interval(s.slashing[i]),
                                  Self.percent(s.slashing[i].expectedShortfall)]
                             })
        }
        out += "\n" + legend(levels: levels, annual: annual).map { Self.wrap($0, width: width) }.joined()
        let warnings = warnings(levels: levels, names: names)
        if !warnings.isEmpty {
            out += "\n" + warnings.map { Self.wrap("warning: " + $0, width: width, indent: 2) }.joined()
        }
        return out
    }

    /// Paths strictly beyond the VaR at `level`: `N - ceil(level N)`.
    func tailPaths(_ level: Double) -> Int { paths - EmpiricalQuantile.rank(level, count: paths) }

    func legend(levels: [Double], annual: Bool) -> [String] {
        let tail = levels.map { "\(Self.levelText(1 - $0)) (\(Self.levelText($0)))" }.joined(separator: " or ")
        return [
            "W_T: wealth at the horizon per 100 staked, mean and median over paths, in the numeraire.",
            annual ? "ann. mean, ann. median: the return per year W_T^(1/years) - 1, averaged over paths and at the median path."
                   : "ret. mean, ret. median: the return over the whole horizon, W_T - 100%, not annualised.",
            "P(Ls>0): share of paths slashed at least once; incidents: mean number of AVS incidents that hit the strategy; P(liq): share of paths liquidated at least once.",
            "L: total loss, 100% - W_T (negative: a gain). Ls: amount slashed before insurance payouts, per 100 staked (leverage can take it above 100%).",
            "VaR: the loss exceeded on only \(tail) of paths; ES: the mean of those worst losses; 95% interval: where the true VaR lies, from order statistics (- where the paths do not reach a bound).",
        ]
    }

    func warnings(levels: [Double], names: [String]) -> [String] {
        var out: [String] = []
        for level in levels where tailPaths(level) < Self.minimumTailPaths {
            let needed = Int((Double(Self.minimumTailPaths) / (1 - level)).rounded(.up))
            out.append("only \(tailPaths(level)) path\(tailPaths(level) == 1 ? "" : "s") lie beyond the \(Self.levelText(level)) VaR: its VaR and ES rest on too few paths to trust; run at least \(grouped(needed)) paths.")
        }
        for level in levels {
            let i = alphas.firstIndex(of: level)!
            let missing = strategies.indices.filter {
                let risks = [strategies[$0].loss[i], strategies[$0].slashing[i]]
                return risks.contains { $0.valueAtRiskInterval.lower == nil || $0.valueAtRiskInterval.upper == nil }
            }
            if !missing.isEmpty {
                out.append("the 95% interval of the \(Self.levelText(level)) VaR lacks a bound for \(missing.map { names[$0] }.joined(separator: ", ")): too few paths beyond it.")
            }
        }
        let top = StrategyStatistics.terminalLevels.firstIndex(of: 0.999)!
        for (s, name) in zip(strategies, names) where !s.terminalSD.isFinite || s.terminalMean > s.terminalQuantiles[top] {
            out.append("\(name): the mean W_T lies above 99.9% of the paths, so fewer than 0.1% of them make it; read the median, not the mean.")
        }
        return out
    }

    /// A block of rows: names left-aligned, numbers right-aligned, no wider than `width`.
    static func grid(names: [String], width: Int, header: [String], rows: [[String]]) -> String {
        let widths = header.indices.map { c in max(header[c].count, rows.map { $0[c].count }.max() ?? 0) }
        let numbers = widths.reduce(0) { $0 + $1 + 2 }
        let longest = max("strategy".count, names.map(\.count).max() ?? 0)
        let nameWidth = max(8, min(longest, width - numbers))
        func line(_ name: String, _ cells: [String]) -> String {
            let fitted = name.count <= nameWidth ? name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                                                 : String(repeating: " ", count: nameWidth)
            let prefix = name.count <= nameWidth ? "" : name + "\n"
            return prefix + fitted + zip(cells, widths).map { "  " + String(repeating: " ", count: $1 - $0.count) + $0 }.joined() + "\n"
        }
        var out = line("strategy", header)
        out += String(repeating: "-", count: nameWidth + numbers) + "\n"
        for (name, row) in zip(names, rows) { out += line(name, row) }
        return out
    }

    /// `x` as a percentage with two decimals; scientific notation past 100,000% so a heavy-tailed
    /// mean never prints as a 90-digit number; `-` where there is no finite value.
    static func percent(_ x: Double?, signed: Bool = false) -> String {
        guard let x, x.isFinite else { return "-" }
        let p = x * 100
        if abs(p) >= 1e5 { return String(format: signed ? "%+.2e%%" : "%.2e%%", p) }
        return String(format: signed ? "%+.2f%%" : "%.2f%%", p)
    }

    static func decimal(_ x: Double) -> String {
        guard x.isFinite else { return "-" }
        return abs(x) >= 1e5 ? String(format: "%.2e", x) : String(format: "%.3f", x)
    }

    static func interval(_ r: TailRisk) -> String {
        let (lo, hi) = r.valueAtRiskInterval
        func bound(_ x: Double?) -> String { x.map { percent($0) } ?? "-" }
        return "[\(bound(lo)), \(bound(hi))]"
    }

    /// A level as a percentage without trailing zeros: 99%, 99.9%, 97.5%.
    static func levelText(_ a: Double) -> String {
        var s = String(format: "%.4f", a * 100)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s + "%"
    }

    /// A horizon for people: hours or days under a year, years from one year on.
    static func horizonText(_ years: Double) -> String {
        func trimmed(_ x: Double) -> String {
            x == x.rounded() ? String(Int(x)) : String(format: "%.1f", x)
        }
        if years >= 1 { return "\(trimmed(years)) year\(years == 1 ? "" : "s")" }
        let days = years * 365
        if days >= 1 { return "\(trimmed((days * 10).rounded() / 10)) day\(days == 1 ? "" : "s")" }
        let hours = (days * 24 * 10).rounded() / 10
        return "\(trimmed(hours)) hour\(hours == 1 ? "" : "s")"
    }

    func grouped(_ n: Int) -> String {
        let digits = Array(String(n))
        var out = ""
        for (i, d) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(d)
        }
        return out
    }

    /// Wraps a paragraph at `width` columns, continuation lines indented.
    static func wrap(_ text: String, width: Int, indent: Int = 2) -> String {
        var out = "", line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width {
                out += line + "\n"
                line = String(repeating: " ", count: indent)
            }
            line += (line.isEmpty || line.allSatisfy { $0 == " " } ? "" : " ") + word
        }
        return out + line + "\n"
    }
}
