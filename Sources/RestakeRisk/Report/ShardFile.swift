import Foundation

/// A shard's results on disk: what `merge` needs to rebuild the exact single-run report.
///
/// Format version 4, one file `shard.bin` in the shard folder, little-endian:
/// - 8 bytes magic `RRSHARD4`, then a UInt64 header length, the header's FNV-1a 64 checksum
///   (UInt64), and the header, UTF-8 JSON
///   (`ShardFile.Header`: format version, scenario text and its SHA-256, seed, total paths,
///   shard index and count, block range, first path and path count, strategy names, timing, and
///   a section table of byte offsets, lengths and FNV-1a 64 checksums relative to the data start);
/// - then the sections: one per strategy (terminal wealth as Float64 x N, slashing loss Float64 x N,
///   incidents UInt32 x N, liquidations UInt16 x N, first slash, first liquidation and exit steps
///   Int32 x N each (-1: never), liquidated paths Int64, sparse attribution: entries Int64, sources Int64,
///   threshold Float64, per source its fixed-point loss sum as two UInt64 (low, high), path indices
///   Int64 x entries, source indices UInt32 x entries, losses Float64 x entries), then the fan (per strategy and
///   reporting time: fixed-point sum as two UInt64 (low, high), edges Int64 then Float64 each,
///   minimum and maximum Float64, occupied bins Int64, then per bin Int64 index and UInt64 count).
/// Columns are per strategy so that a merge loads one strategy of every shard at a time. The header
/// sits inside a checksum (it holds the section table, so every byte of the file is covered), and
/// its scenario text must match its hash: a merge never trusts an edited header.
/// Version 4 (attribution kept above a threshold, with exact per-source sums) refuses older shards:
/// version 3 lacks the sums, and versions 1 and 2 drew other numbers.
public struct ShardFile: Sendable {
    public static let fileName = "shard.bin"
    static let magic = Array("RRSHARD4".utf8)

    /// Everything about a shard except its numbers.
    public struct Header: Codable, Sendable, Equatable {
        public var formatVersion: Int
        public var scenarioName: String
        public var scenarioHash: String
        public var scenarioText: String
        public var seed: UInt64
        public var totalPaths: Int
        public var shardIndex: Int
        public var shardCount: Int
        public var firstBlock: Int
        public var endBlock: Int
        public var firstPath: Int
        public var pathCount: Int
        public var strategies: [String]
        public var threads: Int
        public var elapsedSeconds: Double
        public var sections: [Section]
        /// The `--set PATH=VALUE` overrides applied to `scenarioText`, in order (absent: none).
        public var overrides: [String]?
        /// For a piece of a sharded sweep: the sweep and the point (absent for a run's shard).
        public var sweep: SweepRecord?

        /// A header; `sections` is filled in by `encode`.
        public init(formatVersion: Int, scenarioName: String, scenarioHash: String, scenarioText: String,
                    seed: UInt64, totalPaths: Int, shardIndex: Int, shardCount: Int, firstBlock: Int,
                    endBlock: Int, firstPath: Int, pathCount: Int, strategies: [String], threads: Int,
                    elapsedSeconds: Double, sections: [Section] = [], overrides: [String]? = nil,
                    sweep: SweepRecord? = nil) {
            self.overrides = overrides; self.sweep = sweep
            self.formatVersion = formatVersion; self.scenarioName = scenarioName
            self.scenarioHash = scenarioHash; self.scenarioText = scenarioText; self.seed = seed
            self.totalPaths = totalPaths; self.shardIndex = shardIndex; self.shardCount = shardCount
            self.firstBlock = firstBlock; self.endBlock = endBlock; self.firstPath = firstPath
            self.pathCount = pathCount; self.strategies = strategies; self.threads = threads
            self.elapsedSeconds = elapsedSeconds; self.sections = sections
        }
    }

    /// What a sweep's shard records of the sweep, so that a merge rebuilds its points exactly.
    public struct SweepRecord: Codable, Sendable, Equatable {
        /// The varied parameters and their values (`--vary`), and whether they are paired (`--zip`).
        public var axes: [SweepAxis]
        public var zipped: Bool
        /// Whether the merge writes each point's run files too (`--keep-runs`).
        public var keepRuns: Bool
        /// The point this piece belongs to, of `pointCount`.
        public var point: Int
        public var pointCount: Int

        public init(axes: [SweepAxis], zipped: Bool, keepRuns: Bool, point: Int, pointCount: Int) {
            self.axes = axes; self.zipped = zipped; self.keepRuns = keepRuns
            self.point = point; self.pointCount = pointCount
        }
    }

    /// Where a section lies in the data part of the file, and its checksum.
    public struct Section: Codable, Sendable, Equatable {
        public var offset: Int
        public var length: Int
        public var checksum: String
    }

    /// A problem with a shard file, naming the file.
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public var description: String
    }

    public static let formatVersion = 4

    /// FNV-1a 64 of some bytes, as 16 hex digits: cheap and enough to catch corruption and mix-ups.
    public static func hash(_ bytes: some Sequence<UInt8>) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The header's checksum: FNV-1a 64 of its JSON bytes.
    static func headerChecksum(_ json: some Sequence<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in json { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return h
    }

    /// Bytes before the header: magic, header length, header checksum.
    static let prefixLength = 24

    /// Encodes a shard's results into the file's bytes.
    public static func encode(header: Header, result: SimulationResult) -> Data {
        var sections: [[UInt8]] = result.strategies.map { paths in
            var w = ByteWriter()
            w.doubles(paths.terminalWealth)
            w.doubles(paths.slashingLoss)
            for i in paths.incidents { w.uint32(i) }
            for l in paths.liquidations { w.uint16(l) }
            for column in [paths.firstSlashStep, paths.firstLiquidationStep, paths.exitStep] {
                for step in column { w.uint32(UInt32(bitPattern: step)) }
            }
            w.int64(Int64(paths.liquidatedPaths))
            let attribution = paths.attribution
            w.int64(Int64(attribution.entryCount))
            w.int64(Int64(attribution.sources.count))
            w.double(attribution.threshold)
            for sum in attribution.sums { w.fixedPoint(sum) }
            for p in attribution.entryPaths { w.int64(Int64(p)) }
            for j in attribution.entrySources { w.uint32(j) }
            w.doubles(attribution.entryLosses)
            return w.bytes
        }
        var fan = ByteWriter()
        for (histogram, sum) in zip(result.fan.histograms, result.fan.sums) {
            fan.fixedPoint(sum)
            fan.int64(Int64(histogram.edges.count))
            fan.doubles(histogram.edges)
            fan.double(histogram.minimum)
            fan.double(histogram.maximum)
            let bins = histogram.occupiedBins
            fan.int64(Int64(bins.count))
            for b in bins { fan.int64(Int64(b.bin)); fan.uint64(b.count) }
        }
        sections.append(fan.bytes)
        var header = header
        var offset = 0
        header.sections = sections.map { bytes in
            defer { offset += bytes.count }
            return Section(offset: offset, length: bytes.count, checksum: hash(bytes))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try! encoder.encode(header)
        var out = Data(magic)
        var prefix = ByteWriter()
        prefix.uint64(UInt64(json.count))
        prefix.uint64(headerChecksum(json))
        out.append(contentsOf: prefix.bytes)
        out.append(json)
        for s in sections { out.append(contentsOf: s) }
        return out
    }
}

/// Little-endian byte output.
struct ByteWriter {
    var bytes: [UInt8] = []
    mutating func uint64(_ x: UInt64) { withUnsafeBytes(of: x.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func int64(_ x: Int64) { uint64(UInt64(bitPattern: x)) }
    mutating func uint32(_ x: UInt32) { withUnsafeBytes(of: x.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func uint16(_ x: UInt16) { withUnsafeBytes(of: x.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func double(_ x: Double) { uint64(x.bitPattern) }
    /// A fixed-point sum as two UInt64, low half first.
    mutating func fixedPoint(_ sum: FixedPointSum) {
        let raw = UInt128(bitPattern: sum.raw)
        uint64(UInt64(truncatingIfNeeded: raw))
        uint64(UInt64(truncatingIfNeeded: raw >> 64))
    }
    mutating func doubles(_ xs: [Double]) {
        bytes.reserveCapacity(bytes.count + 8 * xs.count)
        for x in xs { double(x) }
    }
}

/// Little-endian byte input over one section, failing with the shard's name on a short read.
struct ByteReader {
    let bytes: [UInt8]
    var position = 0
    let source: String

    mutating func take(_ n: Int) throws(ShardFile.Failure) -> ArraySlice<UInt8> {
        guard n >= 0, position + n <= bytes.count else {
            throw ShardFile.Failure(description: "\(source): truncated section")
        }
        defer { position += n }
        return bytes[position..<(position + n)]
    }
    mutating func uint64() throws(ShardFile.Failure) -> UInt64 {
        let s = try take(8)
        var x: UInt64 = 0
        for (i, b) in s.enumerated() { x |= UInt64(b) << (8 * UInt64(i)) }
        return x
    }
    mutating func int64() throws(ShardFile.Failure) -> Int64 { Int64(bitPattern: try uint64()) }
    mutating func uint32() throws(ShardFile.Failure) -> UInt32 {
        let s = try take(4)
        var x: UInt32 = 0
        for (i, b) in s.enumerated() { x |= UInt32(b) << (8 * UInt32(i)) }
        return x
    }
    mutating func uint16() throws(ShardFile.Failure) -> UInt16 {
        let s = try take(2)
        return UInt16(s[s.startIndex]) | UInt16(s[s.startIndex + 1]) << 8
    }
    mutating func double() throws(ShardFile.Failure) -> Double { Double(bitPattern: try uint64()) }
    mutating func fixedPoint() throws(ShardFile.Failure) -> FixedPointSum {
        let low = try uint64(), high = try uint64()
        return FixedPointSum(raw: Int128(bitPattern: UInt128(high) << 64 | UInt128(low)))
    }
    mutating func count(limit: Int) throws(ShardFile.Failure) -> Int {
        let n = try int64()
        guard n >= 0, n <= limit else { throw ShardFile.Failure(description: "\(source): bad count \(n)") }
        return Int(n)
    }
}
