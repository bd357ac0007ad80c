/// Each slashed path's slashing loss split by source: exact sums over every path, and the
/// nonzero parts of the paths that can be in a reported tail.
///
/// `E[L_s,j]` needs every path, but only as a sum, so each source keeps an exact fixed-point sum.
/// The Euler contributions need the entries of the tail paths only, so entries are kept as
/// (path, source, loss) triples in ascending (path, source) order for the paths whose `L_s` is at
/// least `threshold` (0: every slashed path). A run picks the threshold from its pilot paths,
/// below the lowest reported tail with a wide margin, and checks at the end that every tail path
/// kept its entries. Memory follows the tail's nonzero losses (20 bytes each), never all slashed
/// paths, nor paths x sources (a 200-AVS portfolio once kept a dense row of 201 doubles per path).
public struct SparseAttribution: Sendable, Equatable {
    /// Source names: the strategy's AVSs in scenario order, then its operators, then `base`.
    public var sources: [String]
    /// Entries are kept for the paths whose `L_s` is at least this; 0 keeps every slashed path.
    public private(set) var threshold: Double
    /// Per source, the exact sum of its losses over every path (kept or not).
    public private(set) var sums: [FixedPointSum]
    /// Global path index of each entry, ascending.
    public private(set) var entryPaths: [Int]
    /// Source index (into `sources`) of each entry, ascending within a path.
    public private(set) var entrySources: [UInt32]
    /// The loss of each entry, positive.
    public private(set) var entryLosses: [Double]

    /// An empty attribution over these sources, keeping the entries of paths with `L_s >= threshold`.
    public init(sources: [String], threshold: Double = 0) {
        precondition(sources.count <= Int(UInt32.max), "too many attribution sources")
        precondition(threshold >= 0 && threshold.isFinite, "attribution threshold \(threshold) is not a finite non-negative number")
        self.sources = sources
        self.threshold = threshold
        sums = Array(repeating: FixedPointSum(), count: sources.count)
        entryPaths = []; entrySources = []; entryLosses = []
    }

    /// Entries read back (from a shard file); nil unless the threshold is finite and
    /// non-negative, there is a sum per source, and the entries are in ascending (path, source)
    /// order, name a source, and have positive finite losses.
    public init?(sources: [String], threshold: Double, sums: [FixedPointSum], entryPaths: [Int],
                 entrySources: [UInt32], entryLosses: [Double]) {
        guard threshold >= 0, threshold.isFinite, sums.count == sources.count,
              sums.allSatisfy({ $0.raw >= 0 }) else { return nil }
        guard entryPaths.count == entrySources.count, entryPaths.count == entryLosses.count else { return nil }
        for i in entryPaths.indices {
            guard Int(entrySources[i]) < sources.count, entryLosses[i] > 0, entryLosses[i].isFinite else { return nil }
            if i > 0 {
                let ordered = entryPaths[i - 1] < entryPaths[i]
                    || (entryPaths[i - 1] == entryPaths[i] && entrySources[i - 1] < entrySources[i])
                guard ordered else { return nil }
            }
        }
        self.sources = sources
        self.threshold = threshold; self.sums = sums
        self.entryPaths = entryPaths; self.entrySources = entrySources; self.entryLosses = entryLosses
    }

    /// Records one nonzero loss of one source on one path whose `L_s` is at least the threshold.
    ///
    /// The kernel calls it in ascending path order and, within a path, ascending source order.
    @inline(__always)
    public mutating func add(path: Int, source: Int, loss: Double) {
        assert(source >= 0 && source < sources.count, "attribution source \(source) out of range")
        assert(loss > 0, "attribution of a zero loss")
        assert(entryPaths.last.map { $0 < path || ($0 == path && Int(entrySources.last!) < source) } ?? true,
               "attribution entries out of order")
        sums[source].add(loss)
        entryPaths.append(path)
        entrySources.append(UInt32(truncatingIfNeeded: source))
        entryLosses.append(loss)
    }

    /// Reserves room for `n` entries in all.
    public mutating func reserveCapacity(_ n: Int) {
        entryPaths.reserveCapacity(n); entrySources.reserveCapacity(n); entryLosses.reserveCapacity(n)
    }

    /// Number of stored (nonzero) entries.
    public var entryCount: Int { entryPaths.count }

    /// `E[L_s,j]` over `pathCount` paths, per source.
    public func expectedLosses(pathCount: Int) -> [Double] {
        precondition(pathCount > 0, "expected loss over no paths")
        return sums.map { $0.value / Double(pathCount) }
    }

    /// The paths with stored entries, ascending.
    public var slashedPaths: [Int] {
        var out: [Int] = []
        for p in entryPaths where out.last != p { out.append(p) }
        return out
    }

    /// The losses of one path by source (zeros included): a dense row, for tests and checks.
    public func row(path: Int) -> [Double] {
        var row = [Double](repeating: 0, count: sources.count)
        var lo = 0, hi = entryPaths.count
        while lo < hi { let mid = (lo + hi) / 2; if entryPaths[mid] < path { lo = mid + 1 } else { hi = mid } }
        var i = lo
        while i < entryPaths.count && entryPaths[i] == path { row[Int(entrySources[i])] = entryLosses[i]; i += 1 }
        return row
    }

    /// Appends another set with the same threshold whose paths all come after this one's (the
    /// next shard).
    public mutating func append(contentsOf other: SparseAttribution) {
        precondition(other.sources == sources, "attribution sources differ")
        precondition(other.threshold == threshold, "attribution thresholds differ")
        precondition(entryPaths.last.map { last in other.entryPaths.first.map { $0 > last } ?? true } ?? true,
                     "attribution appended out of path order")
        for j in sums.indices { sums[j].add(other.sums[j]) }
        entryPaths.append(contentsOf: other.entryPaths)
        entrySources.append(contentsOf: other.entrySources)
        entryLosses.append(contentsOf: other.entryLosses)
    }

    /// Adds a block's sums and the entries of its paths whose `L_s` reaches this threshold.
    ///
    /// - Parameters:
    ///   - block: every entry of paths that all come after this one's.
    ///   - slashingLoss: `L_s` of path `firstPath + i` at `slashingLoss[i]`, for every path of `block`.
    mutating func absorb(_ block: SparseAttribution, slashingLoss: UnsafePointer<Double>, firstPath: Int) {
        assert(block.sources.count == sources.count, "attribution sources differ")
        assert(entryPaths.last.map { last in block.entryPaths.first.map { $0 > last } ?? true } ?? true,
               "attribution absorbed out of path order")
        for j in sums.indices { sums[j].add(block.sums[j]) }
        for e in block.entryPaths.indices where slashingLoss[block.entryPaths[e] - firstPath] >= threshold {
            entryPaths.append(block.entryPaths[e])
            entrySources.append(block.entrySources[e])
            entryLosses.append(block.entryLosses[e])
        }
    }

    /// Raises the threshold, dropping the entries of paths below the new one.
    ///
    /// - Parameter slashingLoss: `L_s` of path `firstPath + i` at `slashingLoss[i]`, for every
    ///   path with entries.
    mutating func raiseThreshold(to t: Double, slashingLoss: UnsafePointer<Double>, firstPath: Int) {
        precondition(t >= threshold && t.isFinite, "an attribution threshold can only rise")
        threshold = t
        var kept = 0
        for e in entryPaths.indices where slashingLoss[entryPaths[e] - firstPath] >= t {
            entryPaths[kept] = entryPaths[e]; entrySources[kept] = entrySources[e]; entryLosses[kept] = entryLosses[e]
            kept += 1
        }
        entryPaths.removeLast(entryPaths.count - kept)
        entrySources.removeLast(entrySources.count - kept)
        entryLosses.removeLast(entryLosses.count - kept)
    }

    public static func == (a: SparseAttribution, b: SparseAttribution) -> Bool {
        return a.sources == b.sources && a.threshold.bitPattern == b.threshold.bitPattern && a.sums == b.sums
            && a.entryPaths == b.entryPaths && a.entrySources == b.entrySources
            && a.entryLosses.elementsEqual(b.entryLosses) { $0.bitPattern == $1.bitPattern }
    }
}
