import ArgumentParser
import Foundation
import RestakeRisk

/// `merge`: combines shard folders into the single run's output files.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge shard folders written by `simulate` or `sweep` with --shard-index/--shard-count into the run's (or sweep's) output files.",
        discussion: """
            The merged numbers equal one run of the same scenario, seed and paths (timing and thread \
            fields aside); for a sweep's shards, sweep.csv (and points/ when the sweep had --keep-runs) \
            equal the unsharded sweep's.
            """)

    @Argument(help: "Shard folders, one per shard, in any order.")
    var shards: [String]

    @Option(help: "Output folder, replaced as a whole.")
    var out = "out"

    @Option(name: .customLong("max-file-size"),
            help: "Largest embedded scenario read, e.g. 64M (default: 16 MiB; as simulate's --max-file-size).",
            transform: { try Arguments.memory($0, flag: "--max-file-size") })
    var maxFileSize: Double?

    @OptionGroup var report: ReportOptions

    func validate() throws {
        if shards.isEmpty { throw ValidationError("give at least one shard folder") }
    }

    func run() throws {
        let output: OutputDirectory
        do {
            output = try OutputDirectory(path: out, label: "--out")
            try output.prepare()
        } catch {
            throw fail("\(error)")
        }
        let sweepFolders = shards.filter { SweepShardSet.pointFolders(in: $0) != nil }
        if !sweepFolders.isEmpty {
            guard sweepFolders.count == shards.count else {
                let run = shards.first { SweepShardSet.pointFolders(in: $0) == nil }!
                throw fail("\(Terminal.safe(run)) is not a sweep shard folder but \(Terminal.safe(sweepFolders[0])) is: a run's and a sweep's shards cannot be merged together")
            }
            try mergeSweep(into: output)
            return
        }
        let merged: RunReport
        do {
            let set = try ShardSet(folders: shards)
            var report = try set.report(extraAlphas: report.alphas, samples: report.samples ?? 0,
                                        limits: ScenarioOptions.limits(maxFileSize: maxFileSize))
            report.provenance = RunReport.Provenance(version: BuildInfo.version,
                                                     scenarioSHA256: set.header.scenarioHash,
                                                     command: CommandText.current,
                                                     overrides: set.header.overrides ?? [])
            merged = report
        } catch {
            throw fail("\(error)")
        }
        try report.publish(merged, to: output)
    }

    /// Merges the shard folders of a sharded `sweep` into the sweep's files, point by point.
    func mergeSweep(into output: OutputDirectory) throws {
        let files: [(name: String, contents: Data)]
        let table: String
        let count: Int
        do {
            let set = try SweepShardSet(folders: shards)
            let sweep = try set.sweep(limits: ScenarioOptions.limits(maxFileSize: maxFileSize))
            var sweepOutput = SweepOutput(plan: sweep.plan, keepRuns: set.record.keepRuns,
                                          includeSamples: report.samples != nil)
            for (point, pieces) in set.points.enumerated() {
                let pointReport = try pieces.report(scenarioName: sweep.scenarios[point].name, model: sweep.models[point],
                                                    extraAlphas: report.alphas, samples: report.samples ?? 0)
                sweepOutput.add(point: point, report: pointReport)
            }
            files = sweepOutput.files
            table = sweepOutput.table
            count = sweep.plan.count
        } catch {
            throw fail("\(error)")
        }
        do { try output.write(files) } catch { throw fail("\(error)") }
        print(table, terminator: "")
        if !report.quiet {
            Terminal.note("merged \(shards.count) sweep shards: wrote sweep.csv (\(count) points) to \(Terminal.safe(output.url.path))")
        }
    }
}
