import Dispatch
import Synchronization

/// Fan-chart accumulators of every strategy at every reporting time: a histogram and an exact sum
/// per `FanLayout` index.
///
/// Both parts merge exactly and in any order (integer counts, extrema, fixed-point sums), so a
/// run on any number of threads, or a merge of shards, gives the same bits.
///
/// The block kernel hands values to `record` and to nothing else. Before the histograms' edges
/// are known (the run's first blocks), the accumulator carries a `FanPilot` and `record` keeps
/// the values there instead; the driver then chooses edges from it (`Simulation.run`).
public struct FanAccumulator: Sendable {
    public let layout: FanLayout
    /// Per flat index (`layout.index(strategy:time:)`); empty while collecting a pilot.
    public var histograms: [FanHistogram]
    public var sums: [FixedPointSum]
    /// The pilot being collected; nil once edges are chosen.
    public private(set) var pilot: FanPilot?

    public var strategyCount: Int { layout.strategyCount }
    public var timeCount: Int { layout.timeCount }

    /// Accumulators with the given edges per flat index.
    public init(layout: FanLayout, edges: [[Double]]) {
        precondition(edges.count == layout.count, "one edge list per strategy and time")
        self.layout = layout
        histograms = edges.map { FanHistogram(edges: $0) }
        sums = Array(repeating: FixedPointSum(), count: layout.count)
    }

    /// Accumulators with the given edges per flat index (`strategy * timeCount + time`).
    public init(strategyCount: Int, timeCount: Int, edges: [[Double]]) {
        self.init(layout: FanLayout(strategyCount: strategyCount, timeCount: timeCount), edges: edges)
    }

    /// An accumulator that collects a pilot, to choose edges from.
    public init(collecting pilot: FanPilot) {
        layout = pilot.layout
        histograms = []; sums = []
        self.pilot = pilot
    }

    /// Empty accumulators with the same edges (or an empty pilot).
    public func emptyCopy() -> FanAccumulator {
        if pilot != nil { return FanAccumulator(collecting: FanPilot(layout: layout)) }
        var copy = self
        copy.histograms = histograms.map { $0.emptyCopy() }
        copy.sums = Array(repeating: FixedPointSum(), count: sums.count)
        return copy
    }

    /// Records one strategy's equity at reporting time `time` for `count` paths of a block,
    /// using `scratch` (room for `2 * count` Ints).
    ///
    /// The one entry point the kernel uses.
    public mutating func record(strategy: Int, time: Int, values: UnsafePointer<Double>, count: Int,
                                scratch: UnsafeMutablePointer<Int>) {
        if pilot != nil {
            pilot!.record(strategy: strategy, time: time, values: values, count: count)
            return
        }
        let index = layout.index(strategy: strategy, time: time)
        Self.count(values, count: count, into: &histograms[index], &sums[index], scratch: scratch)
    }

    /// Counts values into one flat index's histogram and exact sum.
    @inline(__always)
    static func count(_ values: UnsafePointer<Double>, count: Int, into histogram: inout FanHistogram,
                      _ sum: inout FixedPointSum, scratch: UnsafeMutablePointer<Int>) {
        histogram.add(values, count: count, scratch: scratch)
        sum.add(FixedPointSum(summing: values, count: count))
    }

    /// Records whole columns of values, `columns[i]` at flat index `i` (empty ones skipped), on up
    /// to `threads` workers.
    ///
    /// The same bits as recording each column with `record`: every flat index has its own
    /// histogram and sum, so the workers never share one, and counts and sums are exact.
    public mutating func record(columns: [[Double]], threads: Int) {
        precondition(pilot == nil, "edges must be chosen before columns are recorded")
        precondition(columns.count == layout.count, "one column per strategy and time")
        precondition(threads > 0, "threads must be positive")
        let indices = columns.indices.filter { !columns[$0].isEmpty }
        guard let longest = indices.map({ columns[$0].count }).max() else { return }
        histograms.withUnsafeMutableBufferPointer { histograms in
            sums.withUnsafeMutableBufferPointer { sums in
                nonisolated(unsafe) let histograms = histograms, sums = sums
                let next = Atomic<Int>(0)
                DispatchQueue.concurrentPerform(iterations: min(threads, indices.count)) { _ in
                    let scratch = UnsafeMutablePointer<Int>.allocate(capacity: 2 * longest)
                    defer { scratch.deallocate() }
                    while true {
                        let k = next.add(1, ordering: .relaxed).oldValue
                        if k >= indices.count { break }
                        let i = indices[k]
                        columns[i].withUnsafeBufferPointer { column in
                            Self.count(column.baseAddress!, count: column.count, into: &histograms[i], &sums[i],
                                       scratch: scratch)
                        }
                    }
                }
            }
        }
    }

    /// Adds another accumulator's contents (both collecting a pilot, or both with the same edges).
    public mutating func merge(_ other: FanAccumulator) {
        precondition(other.layout == layout, "fan shapes differ")
        precondition((pilot == nil) == (other.pilot == nil), "a pilot merges only with a pilot")
        if let theirs = other.pilot {
            pilot!.merge(theirs)
            return
        }
        for i in histograms.indices {
            histograms[i].merge(other.histograms[i])
            sums[i].add(other.sums[i])
        }
    }

    /// The mean at one flat index over `pathCount` paths.
    public func mean(strategy: Int, time: Int, pathCount: Int) -> Double {
        sums[layout.index(strategy: strategy, time: time)].value / Double(pathCount)
    }

    /// The histogram of one strategy at one reporting time.
    public func histogram(strategy: Int, time: Int) -> FanHistogram {
        histograms[layout.index(strategy: strategy, time: time)]
    }
}
