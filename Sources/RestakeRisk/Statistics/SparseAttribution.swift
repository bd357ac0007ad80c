/// Each slashed path's slashing loss split by source, storing only the nonzero parts.
///
/// A path is slashed by few of its sources, so entries are kept as (path, source, loss) triples
/// in ascending (path, source) order: memory follows the nonzero losses (20 bytes each), never
/// paths x sources (a 200-AVS isolated portfolio kept a dense row of 201 doubles per slashed path).
public struct SparseAttribution: Sendable, Equatable {
    /// Source names: the strategy's AVSs in scenario order, then its operators, then `base`.
    public var sources: [String]
    /// Global path index of each entry, ascending.
    public private(set) var entryPaths: [Int]
    /// Source index (into `sources`) of each entry, ascending within a path.
    public private(set) var entrySources: [UInt32]
    /// The loss of each entry, positive.
    public private(set) var entryLosses: [Double]

    /// An empty attribution over these sources.
    public init(sources: [String]) {
        precondition(sources.count <= Int(UInt32.max), "too many attribution sources")
        self.sources = sources
        entryPaths = []; entrySources = []; entryLosses = []
    }

    /// Entries read back (from a shard file); nil unless they are in ascending (path, source)
    /// order, name a source, and have positive finite losses.
    public init?(sources: [String], entryPaths: [Int], entrySources: [UInt32], entryLosses: [Double]) {
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
        self.entryPaths = entryPaths; self.entrySources = entrySources; self.entryLosses = entryLosses
    }

    /// Records one nonzero loss of one source on one path.
    ///
    /// The kernel calls it in ascending path order and, within a path, ascending source order.
    @inline(__always)
    public mutating func add(path: Int, source: Int, loss: Double) {
        assert(source >= 0 && source < sources.count, "attribution source \(source) out of range")
        assert(loss > 0, "attribution of a zero loss")
        assert(entryPaths.last.map { $0 < path || ($0 == path && Int(entrySources.last!) < source) } ?? true,
               "attribution entries out of order")
        entryPaths.append(path)
        entrySources.append(UInt32(truncatingIfNeeded: source))
        entryLosses.append(loss)
    }

    /// Number of stored (nonzero) entries.
    public var entryCount: Int { entryPaths.count }

    /// The slashed paths (those with at least one entry), ascending.
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

    /// Appends another set whose paths all come after this one's.
    public mutating func append(contentsOf other: SparseAttribution) {
        precondition(other.sources == sources, "attribution sources differ")
        precondition(entryPaths.last.map { last in other.entryPaths.first.map { $0 > last } ?? true } ?? true,
                     "attribution appended out of path order")
        entryPaths.append(contentsOf: other.entryPaths)
        entrySources.append(contentsOf: other.entrySources)
        entryLosses.append(contentsOf: other.entryLosses)
    }

    public static func == (a: SparseAttribution, b: SparseAttribution) -> Bool {
        return a.sources == b.sources && a.entryPaths == b.entryPaths && a.entrySources == b.entrySources
            && a.entryLosses.elementsEqual(b.entryLosses) { $0.bitPattern == $1.bitPattern }
    }
}
