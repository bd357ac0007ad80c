import Dispatch
import Synchronization

/// The fan's pilot: every value of the run's first blocks at each reporting time, from which the
/// histograms' edges are chosen before the rest of the run is counted into them.
///
/// The pilot blocks depend on the seed and the path count only, so every thread count and every
/// shard of a run chooses the same edges.
public struct FanPilot: Sendable {
    public let layout: FanLayout
    /// The values seen at each flat index, in no particular order (edges depend on the multiset).
    var values: [[Double]]

    /// Pilot ranks between two edges near a fan level: the fan's resolution where it is read.
    public static let ranksPerBin = 4
    /// Pilot ranks between two edges away from every fan level, where no quantile is read.
    public static let coarseRanksPerBin = 64
    /// Half-width of the fine window around a fan level q, in standard deviations of the pilot's
    /// count below the run's q-quantile (`sqrt(m q (1 - q))` for m pilot values).
    static let windowDeviations = 8.0
    /// A value repeated this often in the pilot is a point mass and gets its own bin.
    static let pointMassRun = 4

    public init(layout: FanLayout) {
        self.layout = layout
        values = Array(repeating: [], count: layout.count)
    }

    /// Keeps one strategy's equity at one reporting time for `count` paths of a block.
    public mutating func record(strategy: Int, time: Int, values block: UnsafePointer<Double>, count: Int) {
        values[layout.index(strategy: strategy, time: time)]
            .append(contentsOf: UnsafeBufferPointer(start: block, count: count))
    }

    /// Adds another pilot's values.
    public mutating func merge(_ other: FanPilot) {
        precondition(other.layout == layout, "fan shapes differ")
        for i in values.indices where !other.values[i].isEmpty { values[i] += other.values[i] }
    }

    /// The histograms' edges at every flat index (none at t = 0 and t = T, which are exact),
    /// chosen on up to `threads` workers; the result does not depend on `threads`.
    public func edges(threads: Int) -> [[Double]] {
        let out = UnsafeMutableBufferPointer<[Double]>.allocate(capacity: layout.count)
        out.initialize(repeating: [])
        defer { out.deinitialize(); out.deallocate() }
        nonisolated(unsafe) let shared = out
        let next = Atomic<Int>(0)
        let layout = layout, values = values
        // Every histogram of a pilot has the same size, so its edge ranks are found once.
        let ranks = Dictionary(uniqueKeysWithValues: Set(values.map(\.count)).map { ($0, Self.edgeRanks(count: $0)) })
        DispatchQueue.concurrentPerform(iterations: max(1, min(threads, layout.count))) { _ in
            while true {
                let i = next.add(1, ordering: .relaxed).oldValue
                if i >= layout.count { break }
                guard layout.isRecorded(time: layout.time(of: i)), !values[i].isEmpty else { continue }
                shared[i] = Self.edges(sorted: RadixSort.sorted(values[i]), ranks: ranks[values[i].count]!)
            }
        }
        return Array(out)
    }

    /// The pilot ranks that get an edge: every `ranksPerBin`-th within a window around each fan
    /// level (`FanRow.levels`), every `coarseRanksPerBin`-th elsewhere.
    ///
    /// The fan reads only its seven quantiles, so fine bins are needed only where they fall: the
    /// run's q-quantile lies within 8 standard deviations of rank `q m` of the pilot but with a
    /// probability below 1e-14 (the pilot is part of the run, so the pilot's count below the
    /// run's quantile varies at most as a binomial count does; beyond 8 SD at m = 16,384 its
    /// tails hold at most 2e-15 a side at every fan level). Inside a window the bins are those
    /// of every-4th-rank edges, so the quantiles read are the same values; the histograms shrink from ~4,100 bins to
    /// ~1,250 for a pilot of 16,384, and stay in cache while a block is counted in. A quantile
    /// that did fall outside would be read from a coarse bin, its error bound that bin's mass.
    static func edgeRanks(count m: Int) -> [Int] {
        let windows = FanRow.levels.map { q -> ClosedRange<Double> in
            let center = q * Double(m)
            let half = windowDeviations * (Double(m) * q * (1 - q)).squareRoot() + Double(2 * ranksPerBin)
            return (center - half)...(center + half)
        }
        return stride(from: ranksPerBin, to: m, by: ranksPerBin).filter { r in
            r % coarseRanksPerBin == 0 || windows.contains { $0.contains(Double(r)) }
        }
    }

    /// Edges from a sorted pilot sample: the values at `edgeRanks`, plus `[v, v.nextUp)` around
    /// every value repeated at least `pointMassRun` times; ascending and distinct.
    static func edges(sorted: [Double]) -> [Double] {
        edges(sorted: sorted, ranks: edgeRanks(count: sorted.count))
    }

    /// Edges from a sorted pilot sample at the given ranks (`edgeRanks(count: sorted.count)`).
    static func edges(sorted: [Double], ranks: [Int]) -> [Double] {
        assert(ranks.allSatisfy { $0 < sorted.count }, "edge rank beyond the sample")
        var masses: [Double] = []
        var i = 0
        while i < sorted.count {
            var j = i
            while j < sorted.count && sorted[j] == sorted[i] { j += 1 }
            if j - i >= pointMassRun { masses.append(sorted[i]); masses.append(sorted[i].nextUp) }
            i = j
        }
        // Both lists ascend, so a merge sorts their union; point masses go first among equals.
        var edges: [Double] = []
        edges.reserveCapacity(ranks.count + masses.count)
        func append(_ e: Double) { if edges.last != e { edges.append(e) } }
        var m = 0, k = 0
        while k < ranks.count || m < masses.count {
            if m < masses.count && (k >= ranks.count || masses[m] <= sorted[ranks[k]]) {
                append(masses[m]); m += 1
            } else {
                append(sorted[ranks[k]]); k += 1
            }
        }
        return edges
    }

    /// Counts the pilot's values into histograms chosen from its edges, on up to `threads`
    /// workers (the pilot blocks belong to the run too, and their values are not simulated
    /// again); the counts do not depend on `threads`.
    public func replay(into fan: inout FanAccumulator, threads: Int = 1) {
        precondition(fan.layout == layout, "fan shapes differ")
        fan.record(columns: values, threads: threads)
    }
}
