import Foundation
import Testing
@testable import RestakeRisk

/// Sparse attribution storage and the Euler attribution over the ES tail set.
@Suite struct AttributionTests {
    /// Entries are the nonzero losses only: 2,000 paths over 201 sources (200 AVSs and base),
    /// each slashed path hit by one or two sources, keep one or two entries per slashed path,
    /// not 201; rows, slashed paths and block-order appends read them back exactly.
    @Test func storageFollowsTheNonzeroLossesNotTheSources() {
        let sources = (0..<200).map { "avs-\($0)" } + ["base"]
        var first = SparseAttribution(sources: sources), second = SparseAttribution(sources: sources)
        var expectedEntries = 0
        func fill(_ part: inout SparseAttribution, _ range: Range<Int>) {
            for p in range where p % 3 != 0 {
                part.add(path: p, source: p % 200, loss: 0.01)
                expectedEntries += 1
                if p % 5 == 0 { part.add(path: p, source: 200, loss: 0.002); expectedEntries += 1 }
            }
        }
        fill(&first, 0..<1000)
        fill(&second, 1000..<2000)
        var all = first
        all.append(contentsOf: second)
        #expect(all.entryCount == expectedEntries)
        #expect(all.entryCount < 2 * all.slashedPaths.count)
        #expect(all.slashedPaths == (0..<2000).filter { $0 % 3 != 0 })
        var row = [Double](repeating: 0, count: 201); row[10] = 0.01; row[200] = 0.002
        #expect(all.row(path: 1210) == row)
        #expect(all.row(path: 3) == [Double](repeating: 0, count: 201))
        // Read-back validation refuses entries out of order or naming no source.
        let zeros = [FixedPointSum(), FixedPointSum()]
        #expect(SparseAttribution(sources: ["a", "base"], threshold: 0, sums: zeros,
                                  entryPaths: [1, 1], entrySources: [1, 0], entryLosses: [1, 1]) == nil)
        #expect(SparseAttribution(sources: ["a", "base"], threshold: 0, sums: zeros,
                                  entryPaths: [1], entrySources: [2], entryLosses: [1]) == nil)
        #expect(SparseAttribution(sources: ["a", "base"], threshold: -1, sums: zeros,
                                  entryPaths: [], entrySources: [], entryLosses: []) == nil)
        #expect(SparseAttribution(sources: ["a", "base"], threshold: .nan, sums: zeros,
                                  entryPaths: [], entrySources: [], entryLosses: []) == nil)
        #expect(SparseAttribution(sources: ["a", "base"], threshold: 0, sums: [FixedPointSum()],
                                  entryPaths: [], entrySources: [], entryLosses: []) == nil)
        var added = SparseAttribution(sources: ["a", "base"])
        added.add(path: 1, source: 1, loss: 1)
        added.add(path: 2, source: 0, loss: 0.5)
        let read = SparseAttribution(sources: ["a", "base"], threshold: 0, sums: added.sums,
                                     entryPaths: [1, 2], entrySources: [1, 0], entryLosses: [1, 0.5])
        #expect(read == added)
        #expect(added.expectedLosses(pathCount: 4) == [0.125, 0.25])
    }

    /// A threshold keeps the entries of the paths at or above it and every loss in the sums:
    /// absorbing blocks, or raising the threshold over entries already kept, gives the same
    /// attribution as keeping every entry and filtering afterwards; `covers` counts the paths
    /// that reach it against a level's tail; a pilot's threshold sits at its k-th largest loss.
    @Test func thresholdKeepsTheTailEntriesAndEverySum() {
        let sources = ["a", "b", "base"]
        // Path p loses 0.01 * (p % 7) from source p % 2, and 0.003 from base when p % 5 == 0.
        let n = 2048
        var losses = [Double](repeating: 0, count: n)
        var blocks = [SparseAttribution(sources: sources), SparseAttribution(sources: sources)]
        for p in 0..<n {
            var block = blocks[p / 1024]
            if p % 7 != 0 { block.add(path: p, source: p % 2, loss: 0.01 * Double(p % 7)); losses[p] += 0.01 * Double(p % 7) }
            if p % 5 == 0 { block.add(path: p, source: 2, loss: 0.003); losses[p] += 0.003 }
            blocks[p / 1024] = block
        }
        var all = blocks[0]
        all.append(contentsOf: blocks[1])
        let t = 0.045
        var absorbed = SparseAttribution(sources: sources, threshold: t)
        var raised = SparseAttribution(sources: sources)
        losses.withUnsafeBufferPointer { l in
            for b in blocks { absorbed.absorb(b, slashingLoss: l.baseAddress!, firstPath: 0) }
            raised.absorb(blocks[0], slashingLoss: l.baseAddress!, firstPath: 0)
            raised.raiseThreshold(to: t, slashingLoss: l.baseAddress!, firstPath: 0)
            raised.absorb(blocks[1], slashingLoss: l.baseAddress! + 1024, firstPath: 1024)
        }
        #expect(absorbed == raised)
        #expect(absorbed.sums == all.sums && absorbed.threshold == t)
        let kept = Set(absorbed.slashedPaths)
        #expect(kept == Set((0..<n).filter { losses[$0] >= t }))
        for p in kept { #expect(absorbed.row(path: p) == all.row(path: p)) }
        #expect(absorbed.entryCount < all.entryCount / 2)
        // Paths at or above 0.045 (p % 7 >= 5) are 584 of 2048.
        losses.withUnsafeBufferPointer { l in
            #expect(kept.count == 584)
            #expect(absorbed.covers(level: 1 - 584.0 / 2048, slashingLoss: l))
            #expect(!absorbed.covers(level: 1 - 585.0 / 2048, slashingLoss: l))
            #expect(SparseAttribution(sources: sources).covers(level: 0.01, slashingLoss: l))
        }
        // A pilot of 100,000 values 0, 1, ..., 99,999 at level 0.95: k = 5000 + 10 sqrt(5000) + 10
        // = 5717.1 -> 5718, the 5718th largest value is 94,282. A pilot of 20 (k = 1 + 10 + 10)
        // is too small for the margin and keeps everything.
        let pilot = (0..<100_000).map(Double.init).shuffled()
        #expect(SparseAttribution.pilotThreshold(pilot, level: 0.95) == 94_282)
        #expect(SparseAttribution.pilotThreshold(Array(pilot.prefix(20)), level: 0.95) == 0)
    }

    /// Blocks appended in path order give the same entries as adding them one by one (the
    /// kernel records sparse entries directly; the transitional dense rows are gone).
    @Test func appendedBlocksEqualDirectEntries() {
        var first = SparseAttribution(sources: ["a", "b", "base"])
        first.add(path: 4, source: 0, loss: 0.1); first.add(path: 4, source: 2, loss: 0.2)
        var second = SparseAttribution(sources: ["a", "b", "base"])
        second.add(path: 9, source: 1, loss: 0.3)
        var merged = SparseAttribution(sources: ["a", "b", "base"])
        merged.append(contentsOf: first); merged.append(contentsOf: second)
        var direct = SparseAttribution(sources: ["a", "b", "base"])
        direct.add(path: 4, source: 0, loss: 0.1); direct.add(path: 4, source: 2, loss: 0.2)
        direct.add(path: 9, source: 1, loss: 0.3)
        #expect(merged == direct)
        #expect(merged.entryCount == 3 && merged.row(path: 4) == [0.1, 0, 0.2])
    }

    /// Euler contributions over the same tail set as `ES_a(L_s)`, ties at the tail's edge broken
    /// by path index (the later path sorts later). Ten paths each lose exactly 1, path p from
    /// source `p % 2`: at a = 0.8 the tail is paths 8 and 9, one per source, so each contributes
    /// 1/2; at a = 0.75 (aN = 7.5) paths 7, 8, 9: source 1 gets 2/3. A path with a larger loss
    /// is always in the tail, whatever its index.
    @Test func tiesAreBrokenByPathIndex() {
        var attribution = SparseAttribution(sources: ["even", "odd"])
        var losses = [Double](repeating: 1, count: 10)
        losses[0] = 5
        for p in 0..<10 { attribution.add(path: p, source: p % 2, loss: losses[p]) }
        let paths = StrategyPaths(terminalWealth: Array(repeating: 1, count: 10), slashingLoss: losses,
                                  incidents: Array(repeating: 1, count: 10), liquidatedPaths: 0,
                                  attribution: attribution)
        let entries = StrategyStatistics.attribute(paths: paths, sortedSlashing: RadixSort.sorted(losses),
                                                   firstPath: 0, alphas: [0.75, 0.8, 0.9])
        // a = 0.75: paths 0 (loss 5), 8, 9; a = 0.8: 0 and 9; a = 0.9: 0.
        let expected: [[Double]] = [[6.0 / 3, 1.0 / 3], [5.0 / 2, 1.0 / 2], [5, 0]]
        for l in 0..<3 {
            let contributions: [Double] = entries[l].map(\.esContribution)
            #expect(contributions == expected[l], "level \(l)")
        }
        let means: [Double] = entries[0].map(\.expectedLoss)
        #expect(means == [0.9, 0.5])
        for (l, alpha) in [0.75, 0.8, 0.9].enumerated() {
            let es = TailRisk(alpha: alpha, sortedLosses: RadixSort.sorted(losses)).expectedShortfall
            #expect(abs(entries[l].reduce(0) { $0 + $1.esContribution } - es) <= 1e-15 * es)
        }
    }

    /// On random sparse losses over many paths, with a global path offset (a shard's paths), the
    /// contributions sum to ES to 1e-12 relative at every level, and equal a brute-force mean over
    /// the tail set chosen by sorting (loss, path) pairs.
    @Test func contributionsSumToExpectedShortfall() {
        let n = 30_000, offset = 5 * 1024, sources = ["a", "b", "c", "op", "base"]
        var sampler = TestSampler(seed: 11)
        var attribution = SparseAttribution(sources: sources)
        var losses = [Double](repeating: 0, count: n)
        var dense = [[Double]](repeating: [Double](repeating: 0, count: sources.count), count: n)
        for i in 0..<n {
            for j in sources.indices where sampler.uniform() < 0.04 {
                // Coarse severities make ties common.
                let loss = Double(1 + Int(sampler.uniform() * 4)) * 0.05
                dense[i][j] = loss
                attribution.add(path: offset + i, source: j, loss: loss)
            }
            losses[i] = dense[i].reduce(0, +)
        }
        let paths = StrategyPaths(terminalWealth: losses.map { 1 - $0 }, slashingLoss: losses,
                                  incidents: Array(repeating: 0, count: n), liquidatedPaths: 0,
                                  attribution: attribution)
        let alphas = [0.9, 0.95, 0.99, 0.999, 0.9995]
        let stats = StrategyStatistics(name: "x", paths: paths, sorted: SortedColumns(paths), firstPath: offset,
                                       horizonYears: 1, alphas: alphas, reportingSteps: [0, 1], stepsPerYear: 1)
        let order = losses.indices.sorted { (losses[$0], $0) < (losses[$1], $1) }
        for (l, alpha) in alphas.enumerated() {
            let es = stats.slashing[l].expectedShortfall
            let sum = stats.attribution[l].reduce(0) { $0 + $1.esContribution }
            #expect(abs(sum - es) <= 1e-12 * es, "a = \(alpha): sum \(sum), ES \(es)")
            let tail = order[EmpiricalQuantile.tailStart(alpha, count: n)...]
            #expect(tail.count == stats.slashing[l].tailCount)
            for j in sources.indices {
                let brute = tail.reduce(0.0) { $0 + dense[$1][j] } / Double(tail.count)
                #expect(abs(stats.attribution[l][j].esContribution - brute) <= 1e-12 * es, "a = \(alpha), \(sources[j])")
            }
        }
        #expect(stats.slashingProbability > 0.1)
    }
}
