import Foundation
@testable import RestakeRisk

/// Shards made with the library API, as `restake-risk simulate --shard-index/--shard-count`
/// makes them, written to throwaway folders.
enum ShardFixtures {
    /// A small scenario (monthly steps, few reporting times) whose shard files stay small, for the
    /// refusal tests. Two AVSs, a token and leverage, so every section kind is non-trivial.
    static let small = """
        name: shard-test
        horizon_years: 1
        steps_per_year: 12
        report_every_steps: 3
        assets:
          - {name: ETH, price: 3000, volatility: 0.7, jumps: {rate: 1.0, mean: -0.1, sd: 0.08}}
        avs:
          - {name: da, incident_rate: 0.2, severity: {beta: [2, 18]}, reward_apr: 0.006}
          - {name: bridge, incident_rate: 0.3, severity: {fixed: 0.05}}
        tokens:
          - {name: LRT, underlying: ETH, depeg: {rate: 0.3, severity: {fixed: 0.02}, half_life_days: 10, incident_jump: 0.01, max: 0.8}}
        correlation:
          systemic: {ETH: 0.5, da: 0.4, LRT: 0.6}
        strategies:
          - name: native
            asset: ETH
            base_apr: 0.03
            base_slashing: {rate: 0.01, severity: {fixed: 0.01}}
          - name: loop
            asset: ETH
            token: LRT
            base_apr: 0.03
            restake: {security: shared, avs: [da, bridge]}
            leverage: {ratio: 3, ltv: 0.93, liquidation_threshold: 0.95, bonus: 0.01, borrow_apr: 0.025}

        """

    /// `small` with one number changed: same name, different scenario (hash).
    static let smallVariant: String = {
        let old = "base_apr: 0.03\n    base_slashing"
        precondition(small.contains(old), "fixture edit would do nothing")
        return small.replacingOccurrences(of: old, with: "base_apr: 0.031\n    base_slashing")
    }()

    /// A loaded and compiled scenario.
    struct Loaded {
        let text: String
        let scenario: Scenario
        let model: CompiledModel

        init(_ text: String) throws {
            self.text = text
            scenario = try Scenario(yaml: text)
            model = try CompiledModel.compile(scenario).model
        }
    }

    /// The single run's report: every path in one process.
    static func singleRun(_ loaded: Loaded, seed: UInt64, paths: Int, threads: Int = 2) -> RunReport {
        let result = Simulation.run(model: loaded.model, seed: seed, paths: paths, blocks: nil, threads: threads)
        return RunReport(scenarioName: loaded.scenario.name, model: loaded.model, result: result, seed: seed)
    }

    /// Shard `index` of `count` of a run, encoded as `shard.bin`'s bytes (as `simulate` builds it).
    static func shardBytes(_ loaded: Loaded, seed: UInt64, paths: Int, index: Int, count: Int,
                           threads: Int = 1) -> Data {
        let blocks = Sharding.blocks(index: index, count: count, paths: paths)
        let result = Simulation.run(model: loaded.model, seed: seed, paths: paths, blocks: blocks, threads: threads)
        return Data(ShardFile.encode(scenarioText: loaded.text, model: loaded.model, scenarioName: loaded.scenario.name,
                                     seed: seed, totalPaths: paths, shardIndex: index, shardCount: count,
                                     result: result))
    }

    /// The comparable part of `summary.json`: everything but the timing and thread fields.
    static func comparableSummary(_ report: RunReport) throws -> String {
        let json = report.summaryJSON()
        guard var object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            throw ShardTempFolder.Failure(description: "summary.json is not an object")
        }
        for key in ["elapsed_seconds", "path_steps_per_second", "threads"] {
            guard object.removeValue(forKey: key) != nil else {
                throw ShardTempFolder.Failure(description: "summary.json has no \(key)")
            }
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}

/// A fresh folder under the system's temporary folder, removed by `remove()`.
struct ShardTempFolder {
    struct Failure: Error, CustomStringConvertible { var description: String }

    let url: URL

    init(_ label: String) throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("restake-risk-shards-\(label)-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `bytes` as `name/shard.bin` and returns the shard folder's path.
    @discardableResult
    func writeShard(_ name: String, _ bytes: Data) throws -> String {
        let folder = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try bytes.write(to: folder.appendingPathComponent(ShardFile.fileName))
        return folder.path
    }

    /// Writes every shard of a run as `shard-0`, `shard-1`, ... and returns the folders in order.
    func writeShards(_ loaded: ShardFixtures.Loaded, seed: UInt64, paths: Int, count: Int) throws -> [String] {
        try (0..<count).map { i in
            try writeShard("shard-\(i)", ShardFixtures.shardBytes(loaded, seed: seed, paths: paths, index: i, count: count))
        }
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

extension ShardTempFolder {
    /// Writes `bytes` as `base/name/shard.bin` and returns the shard folder's path.
    static func write(_ base: URL, _ name: String, _ bytes: Data) throws -> String {
        let folder = base.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try bytes.write(to: folder.appendingPathComponent(ShardFile.fileName))
        return folder.path
    }
}
