import ArgumentParser
import Foundation
import RestakeRisk

/// `merge`: combines shard folders into the single run's output files.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge shard folders written by `simulate --shard-index/--shard-count` into the run's output files.",
        discussion: "The merged numbers equal one run of the same scenario, seed and paths (timing and thread fields aside).")

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
        let merged: RunReport
        let output: OutputDirectory
        do {
            output = try OutputDirectory(path: out, label: "--out")
            try output.prepare()
            let set = try ShardSet(folders: shards)
            var report = try set.report(extraAlphas: report.alphas, samples: report.samples ?? 0,
                                        limits: ScenarioOptions.limits(maxFileSize: maxFileSize))
            report.provenance = RunReport.Provenance(version: BuildInfo.version,
                                                     scenarioSHA256: set.header.scenarioHash,
                                                     command: CommandText.current)
            merged = report
        } catch {
            throw fail("\(error)")
        }
        try report.publish(merged, to: output)
    }
}
