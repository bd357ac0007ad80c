import Foundation
import Testing
@testable import RestakeRisk

/// The fan's pilot, histograms and accumulator: edges that depend only on the pilot's values,
/// value semantics, and merges that give the same bits in any split.
@Suite struct FanAccumulatorTests {
    /// The edges of the first implementation: sort, every 4th rank, `[v, v.nextUp)` around
    /// values seen at least 4 times, sorted and deduplicated; with `windowed`, the 4th ranks
    /// only within 8 SD (`sqrt(m q (1 - q))`) plus 8 ranks of `q m` for a fan level q, and
    /// every 64th rank elsewhere.
    static func referenceEdges(_ pilot: [Double], windowed: Bool = true) -> [Double] {
        let sorted = pilot.sorted()
        var edges: [Double] = []
        var i = 0
        while i < sorted.count {
            var j = i
            while j < sorted.count && sorted[j] == sorted[i] { j += 1 }
            if j - i >= 4 { edges.append(sorted[i]); edges.append(sorted[i].nextUp) }
            i = j
        }
        let m = Double(sorted.count)
        let levels: [Double] = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]
        for r in stride(from: 4, to: sorted.count, by: 4) {
            let near = levels.contains { (q: Double) -> Bool in
                let deviation: Double = (m * q * (1 - q)).squareRoot()
                let distance: Double = abs(Double(r) - q * m)
                return distance <= 8 * deviation + 8
            }
            if !windowed || near || r % 64 == 0 { edges.append(sorted[r]) }
        }
        edges.sort()
        var distinct: [Double] = []
        for e in edges where distinct.last != e { distinct.append(e) }
        return distinct
    }

    /// A pilot sample like equity: a point mass at 1 (no incident), one at 0 (wiped out), a
    /// continuum, and values repeated a few times.
    static func pilotSample(_ n: Int, seed: UInt64) -> [Double] {
        var sampler = TestSampler(seed: seed)
        return (0..<n).map { i in
            switch i % 10 {
            case 0, 1, 2: return 1
            case 3: return 0
            case 4: return Double(Int(sampler.uniform() * 50)) / 50
            default: return exp(0.3 * (sampler.uniform() - 0.5))
            }
        }
    }

    /// Edges from the radix-sorted pilot equal the reference's exactly; they are ascending and
    /// distinct; and a 16,384-value pilot gets about 1,250 bins, not 4,100.
    @Test func pilotEdgesEqualThePreviousChoice() {
        for (n, seed) in [(16_384, UInt64(1)), (5_000, 2), (3, 3), (4, 4)] {
            let sample = Self.pilotSample(n, seed: seed)
            let edges = FanPilot.edges(sorted: RadixSort.sorted(sample))
            #expect(edges == Self.referenceEdges(sample), "n = \(n)")
            #expect(zip(edges, edges.dropFirst()).allSatisfy { $0 < $1 })
        }
        #expect(FanPilot.edges(sorted: RadixSort.sorted(Self.pilotSample(16_384, seed: 1))).contains(1.0.nextUp))
        let continuous = (0..<16_384).map { Double($0) }
        let count = FanPilot.edges(sorted: continuous).count
        #expect(count > 1_100 && count < 1_400, "\(count) edges")
    }

    /// The fan's quantiles read from windowed edges are bit for bit those read from an edge at
    /// every 4th pilot rank: a pilot of 16,384 values and 200,000 more from the same law
    /// (continuous, heavy-tailed, with point masses), for five seeds.
    @Test func windowedEdgesReadTheSameFanQuantiles() {
        let scratch = UnsafeMutablePointer<Int>.allocate(capacity: 2 * 216_384)
        defer { scratch.deallocate() }
        for seed in UInt64(1)...5 {
            var rng = RandomStream(seed: seed, stream: 9)
            func draw() -> Double {
                let u = rng.nextUniform()
                return u < 0.2 ? 1.0 : u < 0.22 ? 0.0 : exp(0.5 * rng.nextNormal()) * (u < 0.6 ? 0.9 : 1.1)
            }
            let pilot = (0..<16_384).map { _ in draw() }
            let run = pilot + (0..<200_000).map { _ in draw() }
            let windowed = FanPilot.edges(sorted: RadixSort.sorted(pilot))
            let full = Self.referenceEdges(pilot, windowed: false)
            #expect(windowed.count * 3 < full.count)
            var a = FanHistogram(edges: windowed), b = FanHistogram(edges: full)
            run.withUnsafeBufferPointer {
                a.add($0.baseAddress!, count: $0.count, scratch: scratch)
                b.add($0.baseAddress!, count: $0.count, scratch: scratch)
            }
            for q in FanRow.levels {
                #expect(a.quantile(q).bitPattern == b.quantile(q).bitPattern, "seed \(seed), q = \(q)")
                #expect(a.quantileWithBound(q).rankErrorBound == b.quantileWithBound(q).rankErrorBound)
            }
        }
    }

    /// Pilot edges depend on the values only: the same blocks recorded in another order, into
    /// pilots merged in another order, on 1 or 3 threads, give the same edges; t = 0 and t = T
    /// have none.
    @Test func pilotEdgesDoNotDependOnOrderOrThreads() {
        let layout = FanLayout(strategyCount: 2, timeCount: 4)
        let blocks = (0..<8).map { Self.pilotSample(1024, seed: UInt64(10 + $0)) }
        func pilot(_ order: [Int]) -> FanPilot {
            var parts = [FanPilot(layout: layout), FanPilot(layout: layout)]
            for (k, b) in order.enumerated() {
                for s in 0..<2 {
                    for t in 1...2 {
                        blocks[b].withUnsafeBufferPointer {
                            parts[k % 2].record(strategy: s, time: t, values: $0.baseAddress! + s * t, count: 1000)
                        }
                    }
                }
            }
            var merged = parts[1]
            merged.merge(parts[0])
            return merged
        }
        let a = pilot(Array(0..<8)).edges(threads: 1)
        let b = pilot([7, 3, 5, 1, 0, 2, 6, 4]).edges(threads: 3)
        #expect(a == b)
        #expect(a.count == layout.count)
        for s in 0..<2 {
            #expect(a[layout.index(strategy: s, time: 0)].isEmpty && a[layout.index(strategy: s, time: 3)].isEmpty)
            let recorded = blocks.flatMap { $0[(s * 1)..<(s * 1 + 1000)] }
            #expect(a[layout.index(strategy: s, time: 1)] == Self.referenceEdges(recorded))
        }
    }

    /// A histogram is a value: adding to a copy leaves the original as it was (the previous
    /// class shared its counters between copies).
    @Test func histogramsHaveValueSemantics() {
        let edges = FanPilot.edges(sorted: RadixSort.sorted(Self.pilotSample(4096, seed: 5)))
        var original = FanHistogram(edges: edges)
        let values = Self.pilotSample(1000, seed: 6)
        let bins = UnsafeMutablePointer<Int>.allocate(capacity: 1000)
        defer { bins.deallocate() }
        values.withUnsafeBufferPointer { original.add($0.baseAddress!, count: 500, scratch: bins) }
        let snapshot = original.occupiedBins.map { [$0.bin, Int($0.count)] }
        var copy = original
        values.withUnsafeBufferPointer { copy.add($0.baseAddress! + 500, count: 500, scratch: bins) }
        #expect(original.total == 500 && copy.total == 1000)
        #expect(original.occupiedBins.map { [$0.bin, Int($0.count)] } == snapshot)
        #expect(copy.emptyCopy().total == 0 && copy.emptyCopy().edges == edges)
        // Every value lands in the bin a plain search finds: the number of edges at or below it.
        var single = FanHistogram(edges: edges)
        for x in values.prefix(200) {
            var one = single.emptyCopy()
            [x].withUnsafeBufferPointer { one.add($0.baseAddress!, count: 1, scratch: bins) }
            #expect(one.occupiedBins.map(\.bin) == [edges.filter { $0 <= x }.count])
            single.merge(one)
        }
        #expect(single.total == 200)
    }

    /// A batch add groups values by their keys' top bits before searching: the counts must be
    /// those of a plain search per value, for negative values, both zeros, repeats and values
    /// beyond the edges, in any input order.
    @Test func batchAddCountsEveryValueInItsBin() {
        var rng = RandomStream(seed: 3, stream: 1)
        var values: [Double] = (0..<3_000).map { _ in
            let u = rng.nextUniform()
            return u < 0.2 ? 1.0 : u < 0.25 ? 0.0 : u < 0.27 ? -0.0 : (u - 0.4) * 8 * rng.nextNormal()
        }
        values += [-1e300, 1e300, 5e-324, -5e-324]
        var shuffler = Self.Shuffler(seed: 1)
        let edges = FanPilot.edges(sorted: RadixSort.sorted(Array(values.shuffled(using: &shuffler).prefix(1_500))))
        let scratch = UnsafeMutablePointer<Int>.allocate(capacity: 2 * values.count)
        defer { scratch.deallocate() }
        var expected = [Int](repeating: 0, count: edges.count + 1)
        for x in values { expected[edges.filter { $0 <= x }.count] += 1 }
        for order in [values, values.reversed(), values.sorted()] {
            var h = FanHistogram(edges: edges)
            order.withUnsafeBufferPointer { h.add($0.baseAddress!, count: $0.count, scratch: scratch) }
            var counts = [Int](repeating: 0, count: edges.count + 1)
            for (b, c) in h.occupiedBins { counts[b] = Int(c) }
            #expect(counts == expected)
            #expect(h.total == UInt64(values.count) && h.minimum == -1e300 && h.maximum == 1e300)
        }
    }

    /// The guide's slot `i` holds the number of edges at or below the slot's left end, for edges
    /// that crowd (a point mass, a tail) and for one or no edge.
    @Test func guideSlotsHoldTheUpperBoundOfTheirLeftEnd() {
        var rng = RandomStream(seed: 5, stream: 2)
        let crowded = RadixSort.sorted((0..<20_000).map { _ in
            let u = rng.nextUniform()
            return u < 0.3 ? 1.0 : exp(3 * rng.nextNormal())
        })
        for edges in [FanPilot.edges(sorted: crowded), [0.5], [], [-1.0, 1e-300, 2.0]] {
            let h = FanHistogram(edges: edges)
            #expect(h.guide.count == FanHistogram.guideSlots + 1)
            for slot in 0..<FanHistogram.guideSlots {
                let x = h.guideLow + Double(slot) / (h.guideScale > 0 ? h.guideScale : 1)
                #expect(Int(h.guide[slot]) == edges.filter { $0 <= x }.count)
            }
            #expect(Int(h.guide[FanHistogram.guideSlots]) == edges.count)
        }
    }

    /// A fixed-seed generator for shuffles in tests.
    struct Shuffler: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 { state = SplitMix64.mix(state &+ 0x9E37_79B9_7F4A_7C15); return state }
    }

    /// Recording a run's values into one accumulator, or split over accumulators merged in
    /// another order, or through a pilot replayed into fresh histograms, gives the same counts,
    /// extremes and exact sums.
    @Test func accumulatorsMergeToTheSameBitsInAnySplit() {
        let layout = FanLayout(strategyCount: 1, timeCount: 3)
        let pilotValues = Self.pilotSample(4096, seed: 8)
        var pilot = FanPilot(layout: layout)
        pilotValues.withUnsafeBufferPointer { pilot.record(strategy: 0, time: 1, values: $0.baseAddress!, count: 4096) }
        let edges = pilot.edges(threads: 2)
        let values = Self.pilotSample(10_000, seed: 9)
        let scratch = UnsafeMutablePointer<Int>.allocate(capacity: 20_000)
        defer { scratch.deallocate() }
        func record(_ fan: inout FanAccumulator, _ range: Range<Int>) {
            values.withUnsafeBufferPointer {
                fan.record(strategy: 0, time: 1, values: $0.baseAddress! + range.lowerBound, count: range.count, scratch: scratch)
            }
        }
        var whole = FanAccumulator(layout: layout, edges: edges)
        pilot.replay(into: &whole)
        record(&whole, 0..<10_000)
        var parts = [whole.emptyCopy(), whole.emptyCopy(), whole.emptyCopy()]
        record(&parts[0], 0..<3000); record(&parts[1], 3000..<3001); record(&parts[2], 3001..<10_000)
        var split = FanAccumulator(layout: layout, edges: edges)
        pilot.replay(into: &split, threads: 2)
        for i in [2, 0, 1] { split.merge(parts[i]) }
        let a = whole.histogram(strategy: 0, time: 1), b = split.histogram(strategy: 0, time: 1)
        #expect(a.total == 14_096 && b.total == 14_096)
        #expect(a.occupiedBins.map(\.bin) == b.occupiedBins.map(\.bin) && a.occupiedBins.map(\.count) == b.occupiedBins.map(\.count))
        #expect(a.minimum == b.minimum && a.maximum == b.maximum)
        #expect(whole.sums == split.sums)
        let exact = (pilotValues + values).reduce(0, +)
        #expect(abs(whole.mean(strategy: 0, time: 1, pathCount: 14_096) - exact / 14_096) < 1e-12)
        // A pilot accumulator forwards to its pilot and holds no histograms.
        var collecting = FanAccumulator(collecting: FanPilot(layout: layout))
        record(&collecting, 0..<10)
        #expect(collecting.histograms.isEmpty && collecting.pilot?.values[layout.index(strategy: 0, time: 1)].count == 10)
    }
}
