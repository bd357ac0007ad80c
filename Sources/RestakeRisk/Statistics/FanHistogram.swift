/// A mergeable histogram of non-negative values with bins of relative width at most 2^-10.
///
/// The fan chart needs quantiles of equity at every reporting time without keeping every path's
/// value at every time (memory would grow with paths x times). Bins are read straight off a
/// double's bits: the exponent picks an octave in [2^-16, 2^12) and the top ten mantissa bits
/// one of 1,024 bins in it, so a bin spans at most 0.098% of its lower edge. Values below 2^-16
/// (including 0, the equity floor) and from 2^12 up fall in an underflow and an overflow bin.
/// Each bin keeps its count and the exact minimum and maximum it saw, so a bin that holds a
/// single value (a point mass: every path that met no incident, the floor at 0) returns that
/// value exactly. Octave pages are allocated on first use: most distributions touch a few.
///
/// Merging adds counts and takes minima and maxima, which is exact and order independent:
/// threads, blocks and shards all give the same bits.
public final class FanHistogram: @unchecked Sendable {
    @usableFromInline static let minExponent = -16
    @usableFromInline static let maxExponent = 12
    @usableFromInline static let binsPerOctave = 1024
    @usableFromInline static let octaves = maxExponent - minExponent
    /// Slots: 0 underflow, 1 ... octaves*1024 the octave bins, last overflow.
    @usableFromInline static let pageCount = octaves + 2

    // Page tables as raw pointers: `add` runs per path, strategy and reporting time, and array
    // element access in a class would cost exclusivity checks and retains there.
    @usableFromInline let counts: UnsafeMutablePointer<UnsafeMutablePointer<UInt32>?>
    @usableFromInline let minima: UnsafeMutablePointer<UnsafeMutablePointer<Double>?>
    @usableFromInline let maxima: UnsafeMutablePointer<UnsafeMutablePointer<Double>?>
    /// Number of values added.
    public private(set) var total: UInt64 = 0

    public init() {
        counts = .allocate(capacity: Self.pageCount); counts.initialize(repeating: nil, count: Self.pageCount)
        minima = .allocate(capacity: Self.pageCount); minima.initialize(repeating: nil, count: Self.pageCount)
        maxima = .allocate(capacity: Self.pageCount); maxima.initialize(repeating: nil, count: Self.pageCount)
    }

    deinit {
        for p in 0..<Self.pageCount where counts[p] != nil {
            counts[p]!.deallocate(); minima[p]!.deallocate(); maxima[p]!.deallocate()
        }
        counts.deallocate(); minima.deallocate(); maxima.deallocate()
    }

    /// Page size: the under- and overflow pages (0 and last) have one bin.
    @usableFromInline static func pageSize(_ page: Int) -> Int {
        page == 0 || page == pageCount - 1 ? 1 : binsPerOctave
    }

    @usableFromInline func allocatePage(_ page: Int) {
        let n = Self.pageSize(page)
        let c = UnsafeMutablePointer<UInt32>.allocate(capacity: n); c.initialize(repeating: 0, count: n)
        let lo = UnsafeMutablePointer<Double>.allocate(capacity: n); lo.initialize(repeating: .infinity, count: n)
        let hi = UnsafeMutablePointer<Double>.allocate(capacity: n); hi.initialize(repeating: -.infinity, count: n)
        counts[page] = c; minima[page] = lo; maxima[page] = hi
    }

    /// The (page, slot) of a value.
    @inlinable @inline(__always)
    static func location(_ x: Double) -> (page: Int, slot: Int) {
        let bits = x.bitPattern
        let e = Int((bits >> 52) & 0x7FF) - 1023
        if x < 0x1p-16 { return (0, 0) }
        if e >= maxExponent { return (pageCount - 1, 0) }
        return (e - minExponent + 1, Int((bits >> 42) & 0x3FF))
    }

    /// Adds one value (negative values are not expected: equity is floored at 0).
    @inlinable
    public func add(_ x: Double) {
        assert(x >= 0 && x.isFinite, "fan value \(x)")
        let (page, slot) = Self.location(x)
        if counts[page] == nil { allocatePage(page) }
        counts[page]![slot] &+= 1
        if x < minima[page]![slot] { minima[page]![slot] = x }
        if x > maxima[page]![slot] { maxima[page]![slot] = x }
        total &+= 1
    }

    /// Adds another histogram's contents into this one.
    public func merge(_ other: FanHistogram) {
        for page in 0..<Self.pageCount {
            guard let oc = other.counts[page] else { continue }
            if counts[page] == nil { allocatePage(page) }
            let c = counts[page]!, lo = minima[page]!, hi = maxima[page]!
            let olo = other.minima[page]!, ohi = other.maxima[page]!
            for s in 0..<Self.pageSize(page) where oc[s] > 0 {
                c[s] &+= oc[s]
                lo[s] = Swift.min(lo[s], olo[s])
                hi[s] = Swift.max(hi[s], ohi[s])
            }
        }
        total &+= other.total
    }

    /// The occupied bins in ascending order of value: (count, minimum, maximum).
    public var occupiedBins: [(count: UInt32, minimum: Double, maximum: Double)] {
        var out: [(count: UInt32, minimum: Double, maximum: Double)] = []
        for page in 0..<Self.pageCount {
            guard let c = counts[page] else { continue }
            for s in 0..<Self.pageSize(page) where c[s] > 0 {
                out.append((c[s], minima[page]![s], maxima[page]![s]))
            }
        }
        return out
    }

    /// Rebuilds a histogram from its occupied bins (as written to a shard file).
    public convenience init(bins: [(count: UInt32, minimum: Double, maximum: Double)]) {
        self.init()
        for b in bins {
            let (page, slot) = Self.location(b.minimum)
            if counts[page] == nil { allocatePage(page) }
            counts[page]![slot] &+= b.count
            minima[page]![slot] = Swift.min(minima[page]![slot], b.minimum)
            maxima[page]![slot] = Swift.max(maxima[page]![slot], b.maximum)
            total &+= UInt64(b.count)
        }
    }

    /// The lower empirical q-quantile, exact up to the spread of one bin.
    ///
    /// Within the bin that holds rank `ceil(q N)` the value is interpolated linearly between the
    /// bin's observed minimum and maximum by rank, so the first and last values of a bin, and a
    /// bin holding a single distinct value, are exact; otherwise the error is below the bin's
    /// width (0.098% of the value).
    public func quantile(_ q: Double) -> Double {
        precondition(total > 0, "quantile of an empty histogram")
        let r = UInt64(EmpiricalQuantile.rank(q, count: Int(total)))
        var before: UInt64 = 0
        for page in 0..<Self.pageCount {
            guard let c = counts[page] else { continue }
            for s in 0..<Self.pageSize(page) where c[s] > 0 {
                let n = UInt64(c[s])
                if before + n >= r {
                    let lo = minima[page]![s], hi = maxima[page]![s]
                    if n == 1 || lo == hi { return lo }
                    let f = Double(r - before - 1) / Double(n - 1)
                    return lo + (hi - lo) * f
                }
                before += n
            }
        }
        preconditionFailure("rank beyond histogram total")
    }
}
