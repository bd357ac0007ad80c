/// A mergeable histogram with equal-mass bins fixed in advance, for quantiles within a rank error.
///
/// The fan chart needs quantiles of equity at every reporting time without keeping every path's
/// value at every time (memory would grow with paths x times). Bin edges come from a pilot
/// sample (`FanHistogram.edges(pilot:)`): one edge every `pilotRanksPerBin` ranks of the sorted
/// pilot, so each bin holds about 1/4096 of the mass, and values the pilot saw repeated (point
/// masses: every path that met no incident, the floor at 0) get a bin of their own. Each bin keeps
/// its count and the exact minimum and maximum it saw; a quantile is read by rank, interpolating
/// between the bin's minimum and maximum, so its rank error is below the bin's mass and a
/// point-mass bin is exact.
///
/// Merging adds counts and takes minima and maxima: exact and order independent, so threads,
/// blocks and shards all give the same bits as long as they share the edges.
public final class FanHistogram: @unchecked Sendable {
    /// Sorted, distinct edges; bin 0 is below `edges[0]`, bin i is `[edges[i-1], edges[i])`.
    public let edges: [Double]
    // Raw pointers: `add` runs per path, strategy and reporting time, where array access in a
    // class would cost exclusivity checks and retains.
    let edgeBase: UnsafeMutablePointer<Double>
    let counts: UnsafeMutablePointer<UInt64>
    let minima: UnsafeMutablePointer<Double>
    let maxima: UnsafeMutablePointer<Double>
    let binCount: Int
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
        edgeBase = .allocate(capacity: max(edges.count, 1))
        edgeBase.initialize(from: edges, count: edges.count)
        counts = .allocate(capacity: binCount); counts.initialize(repeating: 0, count: binCount)
        minima = .allocate(capacity: binCount); minima.initialize(repeating: .infinity, count: binCount)
        maxima = .allocate(capacity: binCount); maxima.initialize(repeating: -.infinity, count: binCount)
    }

    deinit {
        edgeBase.deallocate(); counts.deallocate(); minima.deallocate(); maxima.deallocate()
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
        var lo = 0, hi = binCount - 1
        while lo < hi {
            let mid = (lo &+ hi) >> 1
            if edgeBase[mid] <= x { lo = mid &+ 1 } else { hi = mid }
        }
        return lo
    }

    /// Adds one value.
    @inline(__always)
    public func add(_ x: Double) {
        assert(x.isFinite, "fan value \(x)")
        let b = bin(x)
        counts[b] &+= 1
        if x < minima[b] { minima[b] = x }
        if x > maxima[b] { maxima[b] = x }
        total &+= 1
    }

    /// Adds another histogram's contents into this one; both must have the same edges.
    public func merge(_ other: FanHistogram) {
        precondition(other.edges == edges, "fan histograms with different edges cannot merge")
        for b in 0..<binCount where other.counts[b] > 0 {
            counts[b] &+= other.counts[b]
            minima[b] = Swift.min(minima[b], other.minima[b])
            maxima[b] = Swift.max(maxima[b], other.maxima[b])
        }
        total &+= other.total
    }

    /// The occupied bins: (bin index, count, minimum, maximum).
    public var occupiedBins: [(bin: Int, count: UInt64, minimum: Double, maximum: Double)] {
        (0..<binCount).filter { counts[$0] > 0 }.map { ($0, counts[$0], minima[$0], maxima[$0]) }
    }

    /// Rebuilds a histogram from its edges and occupied bins (as written to a shard file).
    public convenience init(edges: [Double], bins: [(bin: Int, count: UInt64, minimum: Double, maximum: Double)]) {
        self.init(edges: edges)
        for b in bins {
            precondition(b.bin >= 0 && b.bin < binCount, "bin index outside the histogram")
            counts[b.bin] = b.count; minima[b.bin] = b.minimum; maxima[b.bin] = b.maximum
            total &+= b.count
        }
    }

    /// The lower empirical q-quantile, with a rank error below the mass of one bin.
    ///
    /// Within the bin that holds rank `ceil(q N)` the value is interpolated linearly by rank
    /// between the bin's observed minimum and maximum, so the first and last values of a bin, and
    /// a bin holding a single distinct value, are exact.
    public func quantile(_ q: Double) -> Double {
        quantileWithBound(q).value
    }

    /// The quantile and a bound on its rank error: the mass of the bin it was read from.
    public func quantileWithBound(_ q: Double) -> (value: Double, rankErrorBound: Double) {
        precondition(total > 0, "quantile of an empty histogram")
        let r = UInt64(EmpiricalQuantile.rank(q, count: Int(total)))
        var before: UInt64 = 0
        for b in 0..<binCount where counts[b] > 0 {
            let n = counts[b]
            if before + n >= r {
                let lo = minima[b], hi = maxima[b]
                if n == 1 || lo == hi { return (lo, 0) }
                let f = Double(r - before - 1) / Double(n - 1)
                return (lo + (hi - lo) * f, Double(n) / Double(total))
            }
            before += n
        }
        preconditionFailure("rank beyond histogram total")
    }
}
