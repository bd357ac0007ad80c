import Foundation

/// The shards of a sharded sweep, grouped by point and checked to hold every point's blocks once.
///
/// A sweep shard folder (written by `sweep` with a shard assignment) holds
/// `points/NNNN/shard.bin` for every point it simulated part of. Each of those records the sweep
/// itself (axes, pairing, `--set` overrides), so the merge rebuilds the sweep's points from the
/// embedded scenario text with the same code the unsharded sweep ran, and each point's pieces
/// merge exactly as the shards of one run.
public struct SweepShardSet: Sendable {
    /// The sweep as recorded in the shards.
    public let record: ShardFile.SweepRecord
    /// Per point, its pieces as one run's shards.
    public let points: [ShardSet]
    public var header: ShardFile.Header { points[0].header }

    /// The `points/*/` folders of a sweep shard folder, or nil when `folder` holds none.
    public static func pointFolders(in folder: String) -> [String]? {
        let base = URL(fileURLWithPath: folder).appendingPathComponent("points")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: base.path) else { return nil }
        let folders = names.sorted().map { base.appendingPathComponent($0).path }
            .filter { FileManager.default.fileExists(atPath: URL(fileURLWithPath: $0).appendingPathComponent(ShardFile.fileName).path) }
        return folders.isEmpty ? nil : folders
    }

    /// Opens every point piece of the sweep shard `folders` and checks that together they are
    /// exactly one sweep: the same scenario, seed, paths, overrides and sweep, every point
    /// complete, no piece twice.
    public init(folders: [String]) throws(ShardFile.Failure) {
        precondition(!folders.isEmpty, "no shard folders")
        var byPoint: [Int: [ShardReader]] = [:]
        var first: ShardReader?
        for folder in folders {
            guard let pieces = Self.pointFolders(in: folder) else {
                throw ShardFile.Failure(description: "\(folder): no points/*/\(ShardFile.fileName) (not a sweep shard folder)")
            }
            for piece in pieces {
                let reader = try ShardReader(folder: piece)
                guard let sweep = reader.header.sweep else {
                    throw ShardFile.Failure(description: "\(reader.url.path): a run's shard, not a sweep's")
                }
                if let f = first {
                    let h = reader.header, g = f.header
                    func differ(_ what: String) -> ShardFile.Failure {
                        ShardFile.Failure(description: "\(reader.url.path): \(what) differs from \(f.url.path); shards of different sweeps cannot be merged")
                    }
                    if h.scenarioHash != g.scenarioHash { throw differ("scenario") }
                    if h.seed != g.seed { throw differ("seed") }
                    if h.totalPaths != g.totalPaths { throw differ("path count") }
                    if h.overrides != g.overrides { throw differ("the --set overrides") }
                    if sweep.axes != g.sweep!.axes || sweep.zipped != g.sweep!.zipped { throw differ("the sweep (--vary, --zip)") }
                    if sweep.pointCount != g.sweep!.pointCount { throw differ("the number of points") }
                } else {
                    first = reader
                }
                guard sweep.point >= 0 && sweep.point < sweep.pointCount else {
                    throw ShardFile.Failure(description: "\(reader.url.path): point \(sweep.point) outside 0..<\(sweep.pointCount)")
                }
                byPoint[sweep.point, default: []].append(reader)
            }
        }
        let record = first!.header.sweep!
        let missing = (0..<record.pointCount).filter { byPoint[$0] == nil }
        if !missing.isEmpty {
            throw ShardFile.Failure(description: "no shard holds point\(missing.count > 1 ? "s" : "") \(missing.map(String.init).joined(separator: ", ")) of \(record.pointCount): every shard of the sweep is needed")
        }
        var points: [ShardSet] = []
        for point in 0..<record.pointCount {
            do {
                points.append(try ShardSet(readers: byPoint[point]!))
            } catch {
                throw ShardFile.Failure(description: "point \(point): \(error.description)")
            }
        }
        self.record = record
        self.points = points
    }

    /// The sweep rebuilt from the shards' own scenario text, overrides and axes.
    public func sweep(limits: LoadLimits = .default) throws(ShardFile.Failure) -> Sweep {
        let h = header
        let sweep: Sweep
        do {
            let document = try ScenarioDocument(yaml: h.scenarioText, limits: limits)
            var overrides: [ScenarioOverride] = []
            for o in h.overrides ?? [] { overrides.append(try ScenarioOverride(parsing: o)) }
            sweep = try Sweep(document: document, plan: try SweepPlan(axes: record.axes, zipped: record.zipped),
                              overrides: overrides)
        } catch {
            throw ShardFile.Failure(description: "\(points[0].shards[0].url.path): its embedded sweep: \(error)")
        }
        guard sweep.plan.count == record.pointCount else {
            throw ShardFile.Failure(description: "\(points[0].shards[0].url.path): corrupt header (\(record.pointCount) points, its sweep has \(sweep.plan.count))")
        }
        for (point, set) in points.enumerated() where sweep.models[point].strategies.map(\.name) != set.header.strategies {
            throw ShardFile.Failure(description: "\(set.shards[0].url.path): corrupt header (its strategies differ from its point's scenario)")
        }
        return sweep
    }
}
