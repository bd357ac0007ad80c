import Foundation

/// A sweep's output files and terminal table, built point by point.
///
/// The one place `sweep` and the merge of a sharded sweep assemble their files, so the two give
/// the same bytes: `sweep.csv`, and with `keepRuns` each point's run files under `points/NNNN/`.
/// Only the point's statistics are kept for the table, not its paths.
public struct SweepOutput {
    public let plan: SweepPlan
    public let keepRuns: Bool
    public let includeSamples: Bool
    private var csv: SweepCSV
    private var runFiles: [(name: String, contents: Data)] = []
    private var reports: [(point: Int, report: RunReport)] = []

    public init(plan: SweepPlan, keepRuns: Bool, includeSamples: Bool) {
        self.plan = plan; self.keepRuns = keepRuns; self.includeSamples = includeSamples
        csv = SweepCSV(plan: plan)
    }

    /// The folder of point `point`'s files, relative to the sweep's folder: `points/0003`.
    public static func folder(point: Int, of count: Int) -> String {
        let digits = max(4, String(max(0, count - 1)).count)
        let number = String(point)
        return "points/" + String(repeating: "0", count: max(0, digits - number.count)) + number
    }

    /// Adds one point's complete report (points in order).
    public mutating func add(point: Int, report: RunReport) {
        csv.append(point: point, values: plan.values(at: point), report: report)
        if keepRuns {
            let folder = Self.folder(point: point, of: plan.count)
            runFiles += report.files(includeSamples: includeSamples).map { ("\(folder)/\($0.name)", $0.contents) }
        }
        // The table needs only the statistics; drop the point's distributions and fan.
        var kept = report
        kept.fan = []; kept.distributions = []; kept.samples = []
        reports.append((point, kept))
    }

    /// `sweep.csv` first, then the kept runs' files.
    public var files: [(name: String, contents: Data)] {
        [("sweep.csv", Data(csv.text.utf8))] + runFiles
    }

    /// The terminal table (`Sweep.table`).
    public var table: String { Sweep.table(plan: plan, reports: reports) }
}
