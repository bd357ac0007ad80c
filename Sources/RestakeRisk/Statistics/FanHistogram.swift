internal import CRestakeKernels

/// A mergeable histogram with equal-mass bins fixed in advance, for quantiles within a rank error.
///
/// The fan chart needs quantiles of equity at every reporting time without keeping every path's
/// value at every time (memory would grow with paths x times). Bin edges come from a pilot
/// sample (`FanPilot`): about one edge every `FanPilot.ranksPerBin` ranks, and `[v, v.nextUp)`
/// around values the pilot saw repeated (point masses: every path that met no incident, the floor
/// at 0). Bins keep counts only (a few kilobytes per histogram, so the hundreds of histograms of
/// a run stay in cache); a quantile is read by rank, interpolating linearly inside its bin, so its
/// rank error is below the bin's mass and a point-mass bin is exact. The two open-ended outer
/// bins are bounded by the smallest and largest value seen.
///
/// A value type: edges and their search guide are immutable arrays shared by every copy (each
/// worker's copy of an empty histogram costs one counts array); merging adds counts and takes the
/// minimum and maximum, exact and order independent, so threads, blocks and shards give the same
/// bits as long as they share the edges.
public struct FanHistogram: Sendable {
    /// Sorted, distinct edges; bin 0 is below `edges[0]`, bin i is `[edges[i-1], edges[i])`.
    public let edges: [Double]
    /// The edges followed by `vectorPadding` copies of +infinity, so the vector count may read a
    /// whole vector past the last edge.
    let paddedEdges: [Double]
    /// A lookup table over `[edges.first, edges.last]` in equal value steps: slot s holds the
    /// bin of the slot's lower end, so a value's bin lies between `guide[s]` and `guide[s + 1]`
    /// and the search runs over those few edges only (the bins are equal-mass, so where values
    /// are dense the edges are dense too, and most slots span a handful of bins).
    let guide: [Int32]
    let guideLow: Double
    let guideScale: Double
    static let guideSlots = 4096
    static let vectorPadding = 8
    /// Ranges up to this many edges are counted with vector compares instead of searched.
    static let vectorLimit = 96
    var counts: [UInt64]
    /// The smallest and largest value added (bounds of the outer bins).
    public private(set) var minimum = Double.infinity
    public private(set) var maximum = -Double.infinity
    /// Number of values added.
    public private(set) var total: UInt64 = 0

    var binCount: Int { edges.count + 1 }

    public init(edges: [Double]) {
        assert(zip(edges, edges.dropFirst()).allSatisfy { $0 < $1 }, "edges must be increasing")
        self.edges = edges
        paddedEdges = edges + Array(repeating: .infinity, count: Self.vectorPadding)
        let low = edges.first ?? 0, high = edges.last ?? 0
        guideLow = low
        let scale = high > low ? Double(Self.guideSlots) / (high - low) : 0
        guideScale = scale
        guide = edges.withUnsafeBufferPointer { e in
            // The slots' x ascend, so one sweep over the edges finds every slot's upper bound
            // (a search per slot cost ~30 ms a run at 318 histograms).
            var below = 0
            var g = (0...Self.guideSlots).map { slot in
                let x = low + Double(slot) / (scale > 0 ? scale : 1)
                while below < e.count && e[below] <= x { below += 1 }
                return Int32(below)
            }
            // The last slot's value is the top edge: every value in range lies below its bin + 1.
            g[Self.guideSlots] = Int32(edges.count)
            return g
        }
        counts = Array(repeating: 0, count: edges.count + 1)
    }

    /// Rebuilds a histogram from its edges, extremes and occupied bins (as written to a shard file).
    public init(edges: [Double], minimum: Double, maximum: Double, bins: [(bin: Int, count: UInt64)]) {
        self.init(edges: edges)
        for b in bins {
            precondition(b.bin >= 0 && b.bin < binCount, "bin index outside the histogram")
            counts[b.bin] = b.count
            total &+= b.count
        }
        self.minimum = minimum
        self.maximum = maximum
    }

    /// An empty histogram with the same edges (sharing them).
    public func emptyCopy() -> FanHistogram {
        var copy = self
        copy.counts = Array(repeating: 0, count: binCount)
        copy.minimum = .infinity; copy.maximum = -.infinity; copy.total = 0
        return copy
    }

    /// The number of leading values at or below x in an ascending buffer (branch-free, in C).
    @inline(__always)
    static func upperBound(_ values: UnsafePointer<Double>, count: Int, _ x: Double) -> Int {
        restake_upper_bound(values, count, x)
    }

    /// The bin of a value: the number of edges at or below it.
    @inline(__always)
    static func bin(_ x: Double, edges: UnsafePointer<Double>, edgeCount: Int, guide: UnsafePointer<Int32>,
                    guideLow: Double, guideScale: Double) -> Int {
        if !(x >= guideLow) { return 0 }
        let position = (x - guideLow) * guideScale
        if !(position < Double(guideSlots)) {
            return x >= edges[edgeCount &- 1] ? edgeCount : upperBound(edges, count: edgeCount, x)
        }
        let slot = Int(position)
        let first = Int(guide[slot])
        let last = Int(guide[slot &+ 1])
        // Edges below `first` are at or below the slot's lower end, hence below x; edges from
        // `last` on are above the slot's upper end, hence above x (rounding aside: the search
        // range is widened by one edge on each side to absorb it).
        let lo = Swift.max(first &- 1, 0)
        let hi = Swift.min(last &+ 1, edgeCount)
        if hi &- lo > vectorLimit { return lo &+ upperBound(edges + lo, count: hi &- lo, x) }
        // Every edge from `hi` on is above x, so counting edges <= x over whole vectors from
        // `lo` (past `hi` if need be, into the +infinity padding) gives the bin without a
        // data-dependent branch.
        let probe = SIMD8<Double>(repeating: x)
        var below = SIMD8<Int64>()
        var i = lo
        repeat {
            let e = UnsafeRawPointer(edges + i).loadUnaligned(as: SIMD8<Double>.self)
            below &+= SIMD8<Int64>(repeating: 0).replacing(with: 1, where: e .<= probe)
            i &+= 8
        } while i < hi
        return lo &+ Int(below.wrappedSum())
    }

    /// Adds `count` values, using `scratch` (room for `2 * count` Ints) as scratch.
    ///
    /// The histogram (edges, guide and counts: ~36 KB at ~1,250 bins) is out of cache by the time
    /// a block comes back to it, so values are first grouped by the top 24 bits of their order-preserving key
    /// (at most three counting passes of 8 bits; passes whose digit is the same for every value
    /// are skipped). Then the searches walk the edges and counters nearly in order instead of
    /// at random. A value's bin does not depend on the order, so the counts are the same.
    public mutating func add(_ values: UnsafePointer<Double>, count: Int, scratch: UnsafeMutablePointer<Int>) {
        guard count > 0 else { return }
        let keys = UnsafeMutableRawPointer(scratch).bindMemory(to: UInt64.self, capacity: 2 &* count)
        var smallest = minimum, largest = maximum
        for p in 0..<count {
            let x = values[p]
            assert(x.isFinite, "fan value \(x)")
            smallest = Swift.min(smallest, x)
            largest = Swift.max(largest, x)
            keys[p] = Self.key(x)
        }
        let grouped = Self.groupByTopBits(keys, spare: keys + count, count: count)
        let padded = paddedEdges, guide = guide
        let edgeCount = edges.count, low = guideLow, scale = guideScale
        padded.withUnsafeBufferPointer { e in
            guide.withUnsafeBufferPointer { g in
                counts.withUnsafeMutableBufferPointer { c in
                    let edges = e.baseAddress!, guide = g.baseAddress!, counters = c.baseAddress!
                    // Grouped values often share a bin: counted as runs, so consecutive
                    // increments of one counter do not wait on each other through memory.
                    var previous = UInt64.max, bin = 0, run: UInt64 = 0
                    for p in 0..<count {
                        let k = grouped[p]
                        if k != previous {
                            let x = Self.value(ofKey: k)
                            let b = Self.bin(x, edges: edges, edgeCount: edgeCount, guide: guide,
                                             guideLow: low, guideScale: scale)
                            #if RESTAKE_CHECKS
                            precondition(b == Self.upperBound(edges, count: edgeCount, x), "guided search missed the bin of \(x)")
                            #endif
                            previous = k
                            if b != bin {
                                counters[bin] &+= run
                                bin = b
                                run = 0
                            }
                        }
                        run &+= 1
                    }
                    counters[bin] &+= run
                }
            }
        }
        minimum = smallest
        maximum = largest
        total &+= UInt64(count)
    }

    /// The order-preserving unsigned image of a double (`a < b` iff `key(a) < key(b)`).
    @inline(__always)
    static func key(_ x: Double) -> UInt64 {
        let bits = x.bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    @inline(__always)
    static func value(ofKey k: UInt64) -> Double {
        Double(bitPattern: k & (1 << 63) != 0 ? k & ~(1 << 63) : ~k)
    }

    /// Reorders `keys` by their top 24 bits (LSD counting passes over bits 40-47, 48-55, 56-63),
    /// using `spare` (room for `count`); returns the buffer that holds the result.
    static func groupByTopBits(_ keys: UnsafeMutablePointer<UInt64>, spare: UnsafeMutablePointer<UInt64>,
                               count: Int) -> UnsafeMutablePointer<UInt64> {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * 256) { h in
            let histogram = h.baseAddress!
            histogram.initialize(repeating: 0, count: 3 * 256)
            for p in 0..<count {
                let k = keys[p]
                histogram[Int((k &>> 40) & 0xFF)] &+= 1
                histogram[256 &+ Int((k &>> 48) & 0xFF)] &+= 1
                histogram[512 &+ Int(k &>> 56)] &+= 1
            }
            var source = keys, target = spare
            for d in 0..<3 {
                let offsets = histogram + d &* 256
                let shift = UInt64(40 &+ 8 &* d)
                if offsets[Int((source[0] &>> shift) & 0xFF)] == count { continue }  // one digit for all
                var position = 0
                for b in 0..<256 {
                    let c = offsets[b]
                    offsets[b] = position
                    position &+= c
                }
                for p in 0..<count {
                    let k = source[p]
                    let b = Int((k &>> shift) & 0xFF)
                    target[offsets[b]] = k
                    offsets[b] &+= 1
                }
                swap(&source, &target)
            }
            return source
        }
    }

    /// Adds another histogram's contents into this one; both must have the same edges.
    public mutating func merge(_ other: FanHistogram) {
        precondition(other.edges == edges, "fan histograms with different edges cannot merge")
        counts.withUnsafeMutableBufferPointer { c in
            other.counts.withUnsafeBufferPointer { o in
                for b in c.indices { c[b] &+= o[b] }
            }
        }
        minimum = Swift.min(minimum, other.minimum)
        maximum = Swift.max(maximum, other.maximum)
        total &+= other.total
    }

    /// The occupied bins: (bin index, count).
    public var occupiedBins: [(bin: Int, count: UInt64)] {
        counts.indices.filter { counts[$0] > 0 }.map { ($0, counts[$0]) }
    }
}
