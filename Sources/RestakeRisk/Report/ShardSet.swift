/// A complete, consistent set of shards of one run, in shard order.
public struct ShardSet: Sendable {
    /// The shards ordered by index.
    public let shards: [ShardReader]
    public var header: ShardFile.Header { shards[0].header }

    /// Opens shard folders and checks that together they are exactly one run's paths.
    ///
    /// Refuses shards of different scenarios, seeds, path counts or shard counts, a duplicated or
    /// missing shard, and shards whose block ranges do not tile the run.
    public init(folders: [String]) throws(ShardFile.Failure) {
        precondition(!folders.isEmpty, "no shard folders")
        var readers: [ShardReader] = []
        for folder in folders {
            let reader = try ShardReader(folder: folder)
            if reader.header.sweep != nil {
                throw ShardFile.Failure(description: "\(reader.url.path): a piece of a sweep's shard; merge the sweep's shard folders themselves")
            }
            readers.append(reader)
        }
        try self.init(readers: readers)
    }

    /// Checks that opened shards (a run's, or one sweep point's pieces) are exactly one run's paths.
    public init(readers: [ShardReader]) throws(ShardFile.Failure) {
        precondition(!readers.isEmpty, "no shards")
        let first = readers[0]
        func differ(_ r: ShardReader, _ what: String, _ a: String, _ b: String) -> ShardFile.Failure {
            ShardFile.Failure(description: "\(r.url.path): \(what) differs from \(first.url.path) (\(b) vs \(a)); shards of different runs cannot be merged")
        }
        for r in readers.dropFirst() {
            let h = r.header, f = first.header
            if h.scenarioHash != f.scenarioHash { throw differ(r, "scenario", f.scenarioHash, h.scenarioHash) }
            if h.seed != f.seed { throw differ(r, "seed", String(f.seed), String(h.seed)) }
            if h.totalPaths != f.totalPaths { throw differ(r, "path count", String(f.totalPaths), String(h.totalPaths)) }
            if h.shardCount != f.shardCount { throw differ(r, "shard count", String(f.shardCount), String(h.shardCount)) }
            if h.overrides != f.overrides {
                throw differ(r, "--set overrides", (f.overrides ?? []).joined(separator: " "), (h.overrides ?? []).joined(separator: " "))
            }
        }
        var byIndex = [ShardReader?](repeating: nil, count: first.header.shardCount)
        for r in readers {
            let i = r.header.shardIndex
            guard i >= 0 && i < byIndex.count else {
                throw ShardFile.Failure(description: "\(r.url.path): shard index \(i) outside 0..<\(byIndex.count)")
            }
            if let other = byIndex[i] {
                throw ShardFile.Failure(description: "shard \(i) of \(byIndex.count) given twice: \(other.url.path) and \(r.url.path)")
            }
            byIndex[i] = r
        }
        let missing = byIndex.indices.filter { byIndex[$0] == nil }
        if !missing.isEmpty {
            throw ShardFile.Failure(description: "missing shard\(missing.count > 1 ? "s" : "") \(missing.map(String.init).joined(separator: ", ")) of \(byIndex.count): every shard index 0..<\(byIndex.count) is needed")
        }
        shards = byIndex.map { $0! }
        var nextBlock = 0, nextPath = 0
        for r in shards {
            let h = r.header
            guard h.firstBlock == nextBlock, h.firstPath == nextPath, h.pathCount >= 0 else {
                throw ShardFile.Failure(description: "\(r.url.path): its blocks do not follow the previous shard's (corrupt header)")
            }
            nextBlock = h.endBlock; nextPath += h.pathCount
        }
        guard nextPath == first.header.totalPaths else {
            throw ShardFile.Failure(description: "shards hold \(nextPath) paths, the run has \(first.header.totalPaths)")
        }
    }

    /// One strategy's per-path results over the whole run, shard after shard.
    ///
    /// Every shard of a run picks the same attribution threshold (from the run's pilot paths);
    /// shards that differ there are not of one run.
    public func strategyPaths(_ s: Int, sources: [String]) throws(ShardFile.Failure) -> StrategyPaths {
        var all = try shards[0].strategyPaths(s, sources: sources)
        all.reserveCapacity(header.totalPaths)
        for shard in shards.dropFirst() {
            let part = try shard.strategyPaths(s, sources: sources)
            guard part.attribution.threshold == all.attribution.threshold else {
                throw ShardFile.Failure(description: "\(shard.url.path): its attribution threshold (\(part.attribution.threshold)) differs from shard 0's (\(all.attribution.threshold)): not a shard of the same run")
            }
            all.append(contentsOf: part)
        }
        return all
    }

    /// The run's fan accumulators: every shard's, merged.
    public func fan(strategyCount: Int, timeCount: Int) throws(ShardFile.Failure) -> FanAccumulator {
        var fan = try shards[0].fan(strategyCount: strategyCount, timeCount: timeCount)
        for shard in shards.dropFirst() {
            let other = try shard.fan(strategyCount: strategyCount, timeCount: timeCount)
            guard zip(fan.histograms, other.histograms).allSatisfy({ $0.edges == $1.edges }) else {
                throw ShardFile.Failure(description: "\(shard.url.path): its fan edges differ from shard 0's (corrupt shard, or a different build)")
            }
            fan.merge(other)
        }
        return fan
    }
}
