/// `sweep.csv` in long form: `point,<one column per varied path>,strategy,metric,alpha,value,ci_lo,ci_hi,se`.
///
/// Built point by point, so a sweep keeps only its rows, not its points' paths.
public struct SweepCSV: Sendable {
    public private(set) var text: String
    let axisCount: Int

    public init(plan: SweepPlan) {
        axisCount = plan.axes.count
        text = (["point"] + plan.axes.map { CSV.field($0.path) }
                + ["strategy", "metric", "alpha", "value", "ci_lo", "ci_hi", "se"]).joined(separator: ",") + "\n"
    }

    /// Appends every number of every strategy of one point's report.
    public mutating func append(point: Int, values: [Double], report: RunReport) {
        precondition(values.count == axisCount, "one value per varied path")
        let prefix = ([String(point)] + values.map { NumberText.csv($0) }).joined(separator: ",")
        for s in report.strategies {
            for m in s.sweepMetrics(pathCount: report.paths) {
                text += [prefix, CSV.field(s.name), CSV.field(m.metric), m.alpha.map(NumberText.level) ?? "",
                         NumberText.csv(m.value), NumberText.csv(m.ciLow), NumberText.csv(m.ciHigh),
                         NumberText.csv(m.se)].joined(separator: ",") + "\n"
            }
        }
    }
}

extension Sweep {
    /// The terminal view of a sweep: per point and strategy, ES99 of the loss and of the
    /// slashing loss with its standard error, the figures a sweep is usually read for.
    public static func table(plan: SweepPlan, reports: [(point: Int, report: RunReport)]) -> String {
        var rows = [["point"] + plan.axes.map(\.path) + ["strategy", "ES99 L", "ES99 Ls", "se", "P(slash)"]]
        for (point, report) in reports {
            guard let i = report.alphas.firstIndex(of: 0.99) else { continue }
            for s in report.strategies {
                rows.append([String(point)] + plan.values(at: point).map { NumberText.csv($0) }
                            + [s.name, fixed(s.loss[i].expectedShortfall), fixed(s.slashing[i].expectedShortfall),
                               s.slashing[i].expectedShortfallStandardError.map { fixed($0) } ?? "",
                               fixed(s.slashingProbability)])
            }
        }
        return TextTable.render(rows)
    }

    static func fixed(_ x: Double) -> String {
        let scaled = (x * 1e6).rounded() / 1e6
        return NumberText.csv(scaled)
    }
}

/// Left-aligned first columns, right-aligned numbers, a rule under the header.
enum TextTable {
    static func render(_ rows: [[String]], leftColumns: Int = 1) -> String {
        guard let header = rows.first else { return "" }
        let widths = header.indices.map { c in rows.map { c < $0.count ? $0[c].count : 0 }.max()! }
        var out = ""
        for (r, row) in rows.enumerated() {
            out += row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return c < leftColumns || !(cell.first.map { $0.isNumber || $0 == "-" } ?? false) ? cell + pad : pad + cell
            }.joined(separator: "  ") + "\n"
            if r == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        return out
    }
}
