import Foundation

/// An opened shard file: its header, and its sections read on demand and checked.
public struct ShardReader: Sendable {
    public let header: ShardFile.Header
    public let url: URL
    let dataStart: Int

    /// Opens `folder/shard.bin` and checks its magic, header and format version.
    public init(folder: String) throws(ShardFile.Failure) {
        url = URL(fileURLWithPath: folder).appendingPathComponent(ShardFile.fileName)
        let name = url.path
        guard let handle = FileHandle(forReadingAtPath: name) else {
            throw ShardFile.Failure(description: "\(folder): no readable \(ShardFile.fileName) (not a shard folder?)")
        }
        defer { try? handle.close() }
        let prefixLength = ShardFile.prefixLength
        let prefix = [UInt8]((try? handle.read(upToCount: prefixLength)) ?? Data())
        guard prefix.count >= 8, Array(prefix.prefix(8)) == ShardFile.magic else {
            if prefix.count >= 8, Array(prefix.prefix(7)) == Array(ShardFile.magic.prefix(7)) {
                throw ShardFile.Failure(description: "\(name): shard file format \(Character(UnicodeScalar(prefix[7]))), this build reads format \(ShardFile.formatVersion); re-run the shard with this build")
            }
            throw ShardFile.Failure(description: "\(name): not a restake-risk shard file (bad magic)")
        }
        guard prefix.count == prefixLength else {
            throw ShardFile.Failure(description: "\(name): truncated header")
        }
        var reader = ByteReader(bytes: prefix, position: 8, source: name)
        let length = try reader.uint64()
        let checksum = try reader.uint64()
        // A header is a few hundred bytes plus the scenario text, which the loader caps far below this.
        guard length < 1 << 28, let json = try? handle.read(upToCount: Int(length)), json.count == Int(length) else {
            throw ShardFile.Failure(description: "\(name): truncated header")
        }
        guard ShardFile.headerChecksum(json) == checksum else {
            throw ShardFile.Failure(description: "\(name): corrupt header (its checksum does not match: the file was damaged or edited)")
        }
        do {
            header = try JSONDecoder().decode(ShardFile.Header.self, from: json)
        } catch {
            throw ShardFile.Failure(description: "\(name): corrupt header (\(error))")
        }
        guard header.formatVersion == ShardFile.formatVersion else {
            throw ShardFile.Failure(description: "\(name): format version \(header.formatVersion), this build reads \(ShardFile.formatVersion)")
        }
        guard header.sections.count == header.strategies.count + 1 else {
            throw ShardFile.Failure(description: "\(name): corrupt header (section table)")
        }
        guard ShardFile.scenarioHash(header.scenarioText) == header.scenarioHash else {
            throw ShardFile.Failure(description: "\(name): corrupt header (the embedded scenario does not match its SHA-256)")
        }
        dataStart = prefixLength + Int(length)
    }

    /// The bytes of one section, after checking their length and checksum.
    func section(_ i: Int) throws(ShardFile.Failure) -> ByteReader {
        let s = header.sections[i]
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw ShardFile.Failure(description: "\(url.path): cannot be read")
        }
        defer { try? handle.close() }
        let data: Data?
        do {
            try handle.seek(toOffset: UInt64(dataStart + s.offset))
            data = try handle.read(upToCount: s.length)
        } catch {
            throw ShardFile.Failure(description: "\(url.path): truncated (section \(i))")
        }
        guard let data, data.count == s.length else {
            throw ShardFile.Failure(description: "\(url.path): truncated (section \(i))")
        }
        let bytes = [UInt8](data)
        guard ShardFile.hash(bytes) == s.checksum else {
            throw ShardFile.Failure(description: "\(url.path): corrupt (checksum of section \(i) does not match)")
        }
        return ByteReader(bytes: bytes, source: url.path)
    }

    /// One strategy's per-path results.
    public func strategyPaths(_ s: Int, sources: [String]) throws(ShardFile.Failure) -> StrategyPaths {
        var r = try section(s)
        let n = header.pathCount
        var terminal = [Double](); terminal.reserveCapacity(n)
        for _ in 0..<n { terminal.append(try r.double()) }
        var slashing = [Double](); slashing.reserveCapacity(n)
        for _ in 0..<n { slashing.append(try r.double()) }
        var incidents = [UInt32](); incidents.reserveCapacity(n)
        for _ in 0..<n { incidents.append(try r.uint32()) }
        var liquidations = [UInt16](); liquidations.reserveCapacity(n)
        for _ in 0..<n { liquidations.append(try r.uint16()) }
        func steps() throws(ShardFile.Failure) -> [Int32] {
            var column = [Int32](); column.reserveCapacity(n)
            for _ in 0..<n { column.append(Int32(bitPattern: try r.uint32())) }
            return column
        }
        let firstSlash = try steps(), firstLiquidation = try steps(), exit = try steps()
        let liquidated = try r.count(limit: n)
        // An entry takes 20 bytes, which bounds a sane count.
        let entries = try r.count(limit: (r.bytes.count - r.position) / 20)
        let width = try r.count(limit: 1 << 20)
        guard width == sources.count else {
            throw ShardFile.Failure(description: "\(url.path): attribution has \(width) sources, the scenario \(sources.count)")
        }
        let threshold = try r.double()
        var sums: [FixedPointSum] = []
        for _ in 0..<width { sums.append(try r.fixedPoint()) }
        var paths = [Int](); paths.reserveCapacity(entries)
        for _ in 0..<entries { paths.append(Int(try r.int64())) }
        var sourceIndices = [UInt32](); sourceIndices.reserveCapacity(entries)
        for _ in 0..<entries { sourceIndices.append(try r.uint32()) }
        var losses = [Double](); losses.reserveCapacity(entries)
        for _ in 0..<entries { losses.append(try r.double()) }
        let shardPaths = header.firstPath..<(header.firstPath + n)
        guard paths.allSatisfy({ shardPaths.contains($0) }),
              let attribution = SparseAttribution(sources: sources, threshold: threshold, sums: sums, entryPaths: paths,
                                                  entrySources: sourceIndices, entryLosses: losses) else {
            throw ShardFile.Failure(description: "\(url.path): corrupt (attribution of section \(s))")
        }
        guard r.position == r.bytes.count else {
            throw ShardFile.Failure(description: "\(url.path): corrupt (section \(s) has trailing bytes)")
        }
        return StrategyPaths(terminalWealth: terminal, slashingLoss: slashing, incidents: incidents,
                             liquidatedPaths: liquidated,
                             attribution: attribution,
                             liquidations: liquidations, firstSlashStep: firstSlash,
                             firstLiquidationStep: firstLiquidation, exitStep: exit)
    }

    /// The shard's fan accumulators.
    public func fan(strategyCount: Int, timeCount: Int) throws(ShardFile.Failure) -> FanAccumulator {
        var r = try section(header.strategies.count)
        var fan = FanAccumulator(strategyCount: strategyCount, timeCount: timeCount,
                                 edges: Array(repeating: [], count: strategyCount * timeCount))
        for i in 0..<(strategyCount * timeCount) {
            fan.sums[i] = try r.fixedPoint()
            let edgeCount = try r.count(limit: 1 << 24)
            var edges: [Double] = []
            for _ in 0..<edgeCount { edges.append(try r.double()) }
            guard zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw ShardFile.Failure(description: "\(url.path): corrupt (fan edges out of order)")
            }
            let minimum = try r.double(), maximum = try r.double()
            let count = try r.count(limit: edgeCount + 1)
            var bins: [(bin: Int, count: UInt64)] = []
            for _ in 0..<count {
                let bin = try r.count(limit: edgeCount)
                bins.append((bin, try r.uint64()))
            }
            fan.histograms[i] = FanHistogram(edges: edges, minimum: minimum, maximum: maximum, bins: bins)
        }
        guard r.position == r.bytes.count else {
            throw ShardFile.Failure(description: "\(url.path): corrupt (fan section has trailing bytes)")
        }
        return fan
    }
}
