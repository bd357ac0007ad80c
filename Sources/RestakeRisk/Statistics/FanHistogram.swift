internal import COpenBLAS

/// A mergeable histogram with equal-mass bins fixed in advance, for quantiles within a rank error.
///
/// The fan chart needs quantiles of equity at every reporting time without keeping every path's
/// value at every time (memory would grow with paths x times). Bin edges come from a pilot
/// sample (`FanHistogram.edges(pilot:)`): one edge every `pilotRanksPerBin` ranks of the sorted
/// pilot, so each bin holds about 1/4096 of the mass, and values the pilot saw repeated (point
/// masses: every path that met no incident, the floor at 0) get a bin `[v, v.nextUp)` of their
/// own. Bins keep counts only (a few kilobytes per histogram, so the hundreds of histograms of a
/// run stay in cache); a quantile is read by rank, interpolating linearly inside its bin, so its
/// rank error is below the bin's mass and a point-mass bin is exact. The two open-ended outer
/// bins are bounded by the smallest and largest value seen.
///
/// Merging adds counts and takes the minimum and maximum: exact and order independent, so threads,
/// blocks and shards all give the same bits as long as they share the edges.
public final class FanHistogram: @unchecked Sendable {
    /// Sorted, distinct edges; bin 0 is below `edges[0]`, bin i is `[edges[i-1], edges[i])`.
    public let edges: [Double]
    // Raw pointers: `add` runs per path, strategy and reporting time, where array access in a
    // class would cost exclusivity checks and retains.
    let edgeBase: UnsafeMutablePointer<Double>
    /// A lookup table over `[edges.first, edges.last]` in equal value steps: slot s holds the
    /// bin of the slot's lower end, so a value's bin lies between `guide[s]` and `guide[s + 1]`
    /// and the search runs over those few edges only (the bins are equal-mass, so where values
    /// are dense the edges are dense too, and most slots span a handful of bins).
    let guide: UnsafeMutablePointer<Int32>
    let guideLow: Double
    let guideScale: Double
    static let guideSlots = 4096
    static let vectorPadding = 8
    /// Ranges up to this many edges are counted with vector compares instead of searched.
    static let vectorLimit = 96
    let counts: UnsafeMutablePointer<UInt64>
    let binCount: Int
    /// The smallest and largest value added (bounds of the outer bins).
    public private(set) var minimum = Double.infinity
    public private(set) var maximum = -Double.infinity
    /// Number of values added.
    public private(set) var total: UInt64 = 0

    /// Pilot ranks between two edges: about 4,096 bins from a pilot of 16,384 paths.
    public static let pilotRanksPerBin = 4
    /// A value repeated this often in the pilot is a point mass and gets its own bin.
    static let pointMassRun = 4

    public init(edges: [Double]) {
        assert(zip(edges, edges.dropFirst()).allSatisfy { $0 < $1 }, "edges must be increasing")
        self.edges = edges
        binCount = edges.count + 1
        // Padded with +infinity so the vector count may read a whole vector past the last edge.
        edgeBase = .allocate(capacity: edges.count + Self.vectorPadding)
        edgeBase.initialize(from: edges, count: edges.count)
        (edgeBase + edges.count).initialize(repeating: .infinity, count: Self.vectorPadding)
        guide = .allocate(capacity: Self.guideSlots + 1)
        let low = edges.first ?? 0, high = edges.last ?? 0
        guideLow = low
        guideScale = high > low ? Double(Self.guideSlots) / (high - low) : 0
        for slot in 0...Self.guideSlots {
            let x = low + Double(slot) / (guideScale > 0 ? guideScale : 1)
            guide[slot] = Int32(Self.upperBound(edgeBase, count: edges.count, x))
        }
        // The last slot's value is the top edge: every value in range lies below its bin + 1.
        guide[Self.guideSlots] = Int32(edges.count)
        counts = .allocate(capacity: binCount); counts.initialize(repeating: 0, count: binCount)
    }

    deinit {
        edgeBase.deallocate(); guide.deallocate(); counts.deallocate()
    }

    /// An empty histogram with the same edges.
    public func emptyCopy() -> FanHistogram { FanHistogram(edges: edges) }

    /// Edges from a pilot sample: every `pilotRanksPerBin`-th sorted value, plus `[v, v.nextUp)`
    /// around every value repeated at least `pointMassRun` times.
    public static func edges(pilot: [Double]) -> [Double] {
        let sorted = pilot.sorted()
        var edges: [Double] = []
        edges.reserveCapacity(sorted.count / pilotRanksPerBin + 16)
        var i = 0
        while i < sorted.count {
            var j = i
            while j < sorted.count && sorted[j] == sorted[i] { j += 1 }
            if j - i >= pointMassRun { edges.append(sorted[i]); edges.append(sorted[i].nextUp) }
            i = j
        }
        for r in stride(from: pilotRanksPerBin, to: sorted.count, by: pilotRanksPerBin) { edges.append(sorted[r]) }
        edges.sort()
        var distinct: [Double] = []
        distinct.reserveCapacity(edges.count)
        for e in edges where distinct.last != e { distinct.append(e) }
        return distinct
    }

    /// The bin of a value: the number of edges at or below it.
    @inline(__always)
    func bin(_ x: Double) -> Int {
        let edgeCount = binCount &- 1
        if !(x >= guideLow) { return 0 }
        let position = (x - guideLow) * guideScale
        if !(position < Double(Self.guideSlots)) { return x >= edgeBase[edgeCount &- 1] ? edgeCount : Self.upperBound(edgeBase, count: edgeCount, x) }
        let slot = Int(position)
        let first = Int(guide[slot])
        let last = Int(guide[slot &+ 1])
        // Edges below `first` are at or below the slot's lower end, hence below x; edges from
        // `last` on are above the slot's upper end, hence above x (rounding aside: the search
        // range is widened by one edge on each side to absorb it).
        let lo = Swift.max(first &- 1, 0)
        let hi = Swift.min(last &+ 1, edgeCount)
        if hi &- lo > Self.vectorLimit { return lo &+ Self.upperBound(edgeBase + lo, count: hi &- lo, x) }
        // Every edge from `hi` on is above x, so counting edges <= x over whole vectors from
        // `lo` (past `hi` if need be, into the +infinity padding) gives the bin without a
        // data-dependent branch.
        let probe = SIMD8<Double>(repeating: x)
        var below = SIMD8<Int64>()
        var i = lo
        repeat {
            let e = UnsafeRawPointer(edgeBase + i).loadUnaligned(as: SIMD8<Double>.self)
            below &+= SIMD8<Int64>(repeating: 0).replacing(with: 1, where: e .<= probe)
            i &+= 8
        } while i < hi
        return lo &+ Int(below.wrappedSum())
    }

    /// The number of leading values at or below x in an ascending buffer (branch-free, in C).
    @inline(__always)
    static func upperBound(_ values: UnsafeMutablePointer<Double>, count: Int, _ x: Double) -> Int {
        restake_upper_bound(values, count, x)
    }

    /// Adds one value.
    @inline(__always)
    public func add(_ x: Double) {
        assert(x.isFinite, "fan value \(x)")
        let b = bin(x)
        #if RESTAKE_CHECKS
        precondition(b == Self.upperBound(edgeBase, count: binCount - 1, x), "guided search missed the bin of \(x)")
        #endif
        counts[b] &+= 1
        minimum = Swift.min(minimum, x)
        maximum = Swift.max(maximum, x)
        total &+= 1
    }

    /// Adds `count` values, using `bins` (room for `count` Ints) as scratch.
    ///
    /// Two passes: first every value's bin (prefetching its counter), then the increments, so
    /// the cache misses on the counters overlap instead of stalling each search in turn.
    public func add(_ values: UnsafePointer<Double>, count: Int, bins: UnsafeMutablePointer<Int>) {
        var low = minimum, high = maximum
        for p in 0..<count {
            let x = values[p]
            assert(x.isFinite, "fan value \(x)")
            let b = bin(x)
            #if RESTAKE_CHECKS
            precondition(b == Self.upperBound(edgeBase, count: binCount - 1, x), "guided search missed the bin of \(x)")
            #endif
            bins[p] = b
            prefetchForWrite(counts + b)
            low = Swift.min(low, x)
            high = Swift.max(high, x)
        }
        for p in 0..<count { counts[bins[p]] &+= 1 }
        minimum = low
        maximum = high
        total &+= UInt64(count)
    }

    /// Adds another histogram's contents into this one; both must have the same edges.
    public func merge(_ other: FanHistogram) {
        precondition(other.edges == edges, "fan histograms with different edges cannot merge")
        for b in 0..<binCount { counts[b] &+= other.counts[b] }
        minimum = Swift.min(minimum, other.minimum)
        maximum = Swift.max(maximum, other.maximum)
        total &+= other.total
    }

    /// The occupied bins: (bin index, count).
    public var occupiedBins: [(bin: Int, count: UInt64)] {
        (0..<binCount).filter { counts[$0] > 0 }.map { ($0, counts[$0]) }
    }

    /// Rebuilds a histogram from its edges, extremes and occupied bins (as written to a shard file).
    public convenience init(edges: [Double], minimum: Double, maximum: Double,
                            bins: [(bin: Int, count: UInt64)]) {
        self.init(edges: edges)
        for b in bins {
            precondition(b.bin >= 0 && b.bin < binCount, "bin index outside the histogram")
            counts[b.bin] = b.count
            total &+= b.count
        }
        self.minimum = minimum
        self.maximum = maximum
    }

    /// The lower empirical q-quantile, with a rank error below the mass of one bin.
    public func quantile(_ q: Double) -> Double {
        quantileWithBound(q).value
    }

    /// The quantile and a bound on its rank error: the mass of the bin it was read from.
    ///
    /// The k-th of a bin's n values is placed at the middle of the k-th of n equal slices of the
    /// bin (bounded by the extremes seen in the outer bins); a point-mass bin `[v, v.nextUp)`
    /// returns v exactly, with no rank error.
    public func quantileWithBound(_ q: Double) -> (value: Double, rankErrorBound: Double) {
        precondition(total > 0, "quantile of an empty histogram")
        let r = UInt64(EmpiricalQuantile.rank(q, count: Int(total)))
        var before: UInt64 = 0
        for b in 0..<binCount where counts[b] > 0 {
            let n = counts[b]
            if before + n >= r {
                let lo = Swift.max(b == 0 ? minimum : edges[b - 1], minimum)
                let hi = Swift.min(b == binCount - 1 ? maximum : edges[b], maximum)
                if hi <= lo || hi == lo.nextUp { return (lo, 0) }
                let f = (Double(r - before) - 0.5) / Double(n)
                return (lo + (hi - lo) * f, Double(n) / Double(total))
            }
            before += n
        }
        preconditionFailure("rank beyond histogram total")
    }
}

/// Asks the CPU to bring a counter's cache line in for writing.
@inline(__always)
func prefetchForWrite(_ address: UnsafeMutablePointer<UInt64>) {
    restake_prefetch_for_write(UnsafeRawPointer(address))
}
