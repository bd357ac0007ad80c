import Foundation
import Testing
@testable import RestakeRisk

/// Euler attribution on the MODEL.md example, and bit-identical results across threads and shards.
@Suite struct ModelAttributionTests {
    typealias S = ModelTestSupport

    /// For every strategy and alpha of the example (20,000 paths):
    /// - `sum_j es_contribution_j == ES_a(L_s)` to 1e-12 relative (exactly 0 when ES is 0);
    /// - `sum_j expected_loss_j == mean(L_s)` to 1e-12 relative;
    /// - each path's sparse entries add up to its `L_s`, and every path with `L_s > 0` has some;
    /// - VaR, ES of `L_s` and `L` and the contributions agree with an independent recomputation
    ///   from the per-path columns (VaR = sorted position `ceil(a N)`, tail set = the worst
    ///   `N - floor(a N)` paths, ties broken by path index, the later path sorting later).
    @Test func attributionSumsToExpectedShortfall() throws {
        let n = 20_000
        let run = try S.run(try S.exampleYAML(), seed: 42, paths: n)
        #expect(run.report.alphas == [0.95, 0.99, 0.999])
        var slashedStrategies = 0
        for (s, stats) in run.report.strategies.enumerated() {
            let paths = run.result.strategies[s]
            let sparse = paths.attribution
            let width = sparse.sources.count
            #expect(sparse.sources == run.model.attributionSources(of: s))
            // Sparse entries: positive, in (path, source) order, each path's adding up to its L_s.
            #expect(sparse.entryLosses.allSatisfy { $0 > 0 })
            var rowOf = [Int: [Double]]()
            for p in sparse.slashedPaths {
                let row = sparse.row(path: p)
                rowOf[p] = row
                #expect(S.relClose(row.reduce(0, +), paths.slashingLoss[p], 1e-14), "\(stats.name): row of path \(p)")
            }
            #expect(sparse.entryCount <= rowOf.count * width)
            // Entries are kept exactly for the slashed paths at or above the run's threshold.
            #expect(paths.slashingLoss.enumerated().allSatisfy {
                ($0.element > 0 && $0.element >= sparse.threshold) == (rowOf[$0.offset] != nil)
            })
            if stats.slashingProbability > 0 { slashedStrategies += 1 }

            let expectedSum = stats.attribution[0].reduce(0) { $0 + $1.expectedLoss }
            #expect(S.relClose(expectedSum, stats.slashingMean, 1e-12),
                    "\(stats.name): sum E[L_s,j] = \(expectedSum), mean L_s = \(stats.slashingMean)")
            let order = paths.slashingLoss.indices.sorted {
                (paths.slashingLoss[$0], $0) < (paths.slashingLoss[$1], $1)
            }
            let sortedWealth = paths.terminalWealth.sorted()
            for (i, alpha) in run.report.alphas.enumerated() {
                let es = stats.slashing[i].expectedShortfall
                let contributions = stats.attribution[i]
                #expect(contributions.map(\.source) == sparse.sources)
                let sum = contributions.reduce(0) { $0 + $1.esContribution }
                #expect(S.relClose(sum, es, 1e-12), "\(stats.name) a=\(alpha): sum of contributions \(sum), ES \(es)")
                if es == 0 { #expect(sum == 0) }
                // Independent recomputation: VaR at rank ceil(aN), the tail set the worst
                // N - floor(aN) paths (aN = 19000, 19800, 19980 are whole: the VaR path is not in it).
                let aN = (alpha * Double(n)).rounded()
                #expect(abs(aN - alpha * Double(n)) < 1e-6)
                let r = Int(aN)
                let tail = order[r...]
                #expect(stats.slashing[i].tailCount == n - r && tail.count == n - r)
                #expect(stats.slashing[i].valueAtRisk == paths.slashingLoss[order[r - 1]])
                let esRef = tail.reduce(0.0) { $0 + paths.slashingLoss[$1] } / Double(tail.count)
                #expect(S.relClose(es, esRef, 1e-12), "\(stats.name) a=\(alpha): ES \(es), recomputed \(esRef)")
                for j in 0..<width {
                    var c = 0.0
                    for p in tail { if let row = rowOf[p] { c += row[j] } }
                    c /= Double(tail.count)
                    #expect(abs(contributions[j].esContribution - c) <= 1e-12 * max(es, 1e-300),
                            "\(stats.name) a=\(alpha) \(sparse.sources[j]): \(contributions[j].esContribution) vs \(c)")
                }
                // Loss L = 1 - W_T.
                let lossVaR = 1 - sortedWealth[n - r]
                #expect(stats.loss[i].valueAtRisk == lossVaR, "\(stats.name) a=\(alpha): loss VaR")
                let lossES = sortedWealth[0..<(n - r)].reduce(0.0) { $0 + (1 - $1) } / Double(n - r)
                #expect(S.relClose(stats.loss[i].expectedShortfall, lossES, 1e-12))
            }
        }
        #expect(slashedStrategies >= 4, "the example should slash most strategies")
    }
}

@Suite struct ModelReproducibilityTests {
    typealias S = ModelTestSupport

    /// `summary.json` without the run-time fields (threads, elapsed time, throughput).
    static func stableSummary(_ report: RunReport) -> String {
        var r = report
        r.threads = 0
        r.elapsedSeconds = 0
        return r.summaryJSON()
    }

    static func columnsEqual(_ a: StrategyPaths, _ b: StrategyPaths) -> Bool {
        a.terminalWealth.elementsEqual(b.terminalWealth) { $0.bitPattern == $1.bitPattern }
            && a.slashingLoss.elementsEqual(b.slashingLoss) { $0.bitPattern == $1.bitPattern }
            && a.incidents == b.incidents
    }

    /// The example scenario with 5,000 paths (five blocks, the last partial) on 1 and 2 threads:
    /// identical per-path columns and identical summary.json (minus run-time fields), fan.csv,
    /// attribution.csv and distribution.csv.
    @Test func oneAndTwoThreadsAreBitIdentical() throws {
        let yaml = try S.exampleYAML()
        let one = try S.run(yaml, seed: 2026, paths: 5000, threads: 1)
        let two = try S.run(yaml, seed: 2026, paths: 5000, threads: 2)
        #expect(one.result.threads == 1 && two.result.threads == 2)
        for s in one.model.strategies.indices {
            #expect(Self.columnsEqual(one.result.strategies[s], two.result.strategies[s]),
                    "strategy \(one.model.strategies[s].name) differs between 1 and 2 threads")
            #expect(one.result.strategies[s] == two.result.strategies[s])
        }
        #expect(Self.stableSummary(one.report) == Self.stableSummary(two.report))
        #expect(one.report.fanCSV() == two.report.fanCSV())
        #expect(one.report.attributionCSV() == two.report.attributionCSV())
        #expect(one.report.distributionCSV() == two.report.distributionCSV())
        // The run-time fields really are the only difference (a sanity check on the filter).
        #expect(one.report.summaryJSON().contains("\"threads\""))
        // A different seed changes the numbers (the comparison is not vacuous).
        let other = try S.run(yaml, seed: 2027, paths: 5000, threads: 2)
        #expect(other.report.fanCSV() != two.report.fanCSV())
    }

    /// Attribution kept only above the pilot's threshold gives the numbers of keeping every
    /// slashed path, bit for bit: the same per-source sums, and at every level the same
    /// contributions. A threshold forced far above the tail fails the run's coverage check,
    /// and the run repeats its blocks keeping the entries at or above the 0.95 tail's smallest
    /// loss. 20,000 paths: past the 16 pilot blocks, so the pilot picks a threshold. The shard
    /// fixture's loop is slashed on ~40% of paths (the example's strategies on too few for a
    /// threshold: below the pilot's margin every slashed path is kept).
    @Test func thresholdedAttributionGivesTheSameNumbers() throws {
        let model = try ShardFixtures.Loaded(ShardFixtures.small).model
        let n = 20_000
        func run(_ forced: Double?) -> SimulationResult {
            Simulation.run(model: model, seed: 42, paths: n, blocks: nil, threads: 2, attributionLevel: 0.95,
                           forcedThreshold: forced, progress: nil)
        }
        let every = run(0), pilot = run(nil), repeated = run(1e300)
        var thresholded = 0
        for s in model.strategies.indices {
            let name = model.strategies[s].name
            let a = every.strategies[s], p = pilot.strategies[s], r = repeated.strategies[s]
            #expect(a.attribution.threshold == 0)
            #expect(p.attribution.sums == a.attribution.sums && r.attribution.sums == a.attribution.sums, "\(name)")
            if p.attribution.threshold > 0 {
                thresholded += 1
                #expect(p.attribution.entryCount < a.attribution.entryCount, "\(name)")
            }
            let exact = a.slashingLoss.withUnsafeBufferPointer {
                SparseAttribution.coveringThreshold(level: 0.95, slashingLoss: $0)
            }
            #expect(r.attribution.threshold == exact, "\(name): repeat threshold")
            let levels = RunStatistics.levels(extra: [])
            let reference = StrategyStatistics(model: model, strategy: s, paths: a, alphas: levels).attribution
            #expect(StrategyStatistics(model: model, strategy: s, paths: p, alphas: levels).attribution == reference, "\(name)")
            #expect(StrategyStatistics(model: model, strategy: s, paths: r, alphas: levels).attribution == reference, "\(name)")
        }
        #expect(thresholded == 1, "the loop should keep only its tail's entries")
    }

    /// Path i's numbers depend on (seed, i) only: a run of 4,500 paths is the first 4,500 paths
    /// of a run of 5,000 (the partial last block is simulated in full either way), bit for bit.
    @Test func pathsDoNotDependOnThePathCount() throws {
        let scenario = try Scenario(yaml: try S.exampleYAML())
        let model = try CompiledModel.compile(scenario).model
        let short = Simulation.run(model: model, seed: 5, paths: 4500, threads: 2)
        let long = Simulation.run(model: model, seed: 5, paths: 5000, threads: 2)
        for s in model.strategies.indices {
            let a = short.strategies[s], b = long.strategies[s]
            #expect(a.terminalWealth.elementsEqual(b.terminalWealth[..<4500]) { $0.bitPattern == $1.bitPattern },
                    "\(model.strategies[s].name): terminal wealth depends on the path count")
            #expect(a.slashingLoss.elementsEqual(b.slashingLoss[..<4500]) { $0.bitPattern == $1.bitPattern })
            #expect(Array(b.incidents[..<4500]) == a.incidents)
            #expect(a.attribution.slashedPaths == b.attribution.slashedPaths.filter { $0 < 4500 })
        }
    }

    /// Shards: blocks 0..<2 and 2..<5 of the 5,000-path run give exactly the full run's columns
    /// (concatenated), attribution rows, liquidated-path counts and fan accumulators (merged);
    /// a single block run alone (3..<4) equals the same block inside the full run.
    @Test func shardsAndSingleBlocksMatchTheFullRun() throws {
        let scenario = try Scenario(yaml: try S.exampleYAML())
        let model = try CompiledModel.compile(scenario).model
        let n = 5000
        let full = Simulation.run(model: model, seed: 77, paths: n, threads: 2)
        let first = Simulation.run(model: model, seed: 77, paths: n, blocks: 0..<2, threads: 2)
        let second = Simulation.run(model: model, seed: 77, paths: n, blocks: 2..<5, threads: 1)
        let lone = Simulation.run(model: model, seed: 77, paths: n, blocks: 3..<4, threads: 2)
        let b = Simulation.blockSize
        #expect(first.firstPath == 0 && first.pathCount == 2 * b)
        #expect(second.firstPath == 2 * b && second.pathCount == n - 2 * b)
        #expect(lone.firstPath == 3 * b && lone.pathCount == b)
        for s in model.strategies.indices {
            let f = full.strategies[s], a = first.strategies[s], c = second.strategies[s], l = lone.strategies[s]
            let name = model.strategies[s].name
            #expect((a.terminalWealth + c.terminalWealth).elementsEqual(f.terminalWealth) { $0.bitPattern == $1.bitPattern },
                    "\(name): shard terminal wealth differs")
            #expect((a.slashingLoss + c.slashingLoss).elementsEqual(f.slashingLoss) { $0.bitPattern == $1.bitPattern },
                    "\(name): shard slashing loss differs")
            #expect(a.incidents + c.incidents == f.incidents, "\(name): shard incidents differ")
            #expect(a.liquidatedPaths + c.liquidatedPaths == f.liquidatedPaths)
            var merged = a.attribution
            merged.append(contentsOf: c.attribution)
            #expect(merged == f.attribution, "\(name): shard attribution differs")
            // The lone block.
            let range = (3 * b)..<(4 * b)
            #expect(l.terminalWealth.elementsEqual(f.terminalWealth[range]) { $0.bitPattern == $1.bitPattern },
                    "\(name): lone block differs from the same block in the full run")
            #expect(l.slashingLoss.elementsEqual(f.slashingLoss[range]) { $0.bitPattern == $1.bitPattern })
            #expect(Array(f.incidents[range]) == l.incidents)
            #expect(l.attribution.entryPaths.allSatisfy { range.contains($0) })
            #expect(l.attribution.slashedPaths == f.attribution.slashedPaths.filter { range.contains($0) })
        }
        // Fans: the shards' accumulators merge to the full run's, bit for bit.
        var fan = first.fan
        fan.merge(second.fan)
        #expect(fan.sums == full.fan.sums, "merged fan sums differ")
        for i in fan.histograms.indices {
            #expect(fan.histograms[i].edges == full.fan.histograms[i].edges)
            let x = fan.histograms[i].occupiedBins, y = full.fan.histograms[i].occupiedBins
            let sameBins = x.map(\.bin) == y.map(\.bin) && x.map(\.count) == y.map(\.count)
            let sameExtremes = fan.histograms[i].minimum == full.fan.histograms[i].minimum
                && fan.histograms[i].maximum == full.fan.histograms[i].maximum
            #expect(sameBins && sameExtremes, "fan histogram \(i) differs after merging shards")
        }
        // A report built from the merged shards equals the full run's report.
        let mergedResult = SimulationResult(
            firstPath: 0, pathCount: n,
            strategies: model.strategies.indices.map { s in
                var attribution = first.strategies[s].attribution
                attribution.append(contentsOf: second.strategies[s].attribution)
                return StrategyPaths(
                    terminalWealth: first.strategies[s].terminalWealth + second.strategies[s].terminalWealth,
                    slashingLoss: first.strategies[s].slashingLoss + second.strategies[s].slashingLoss,
                    incidents: first.strategies[s].incidents + second.strategies[s].incidents,
                    liquidatedPaths: first.strategies[s].liquidatedPaths + second.strategies[s].liquidatedPaths,
                    attribution: attribution)
            },
            fan: fan, threads: 2, elapsedSeconds: 0)
        let fullReport = RunReport(scenarioName: scenario.name, model: model, result: full, seed: 77)
        let shardReport = RunReport(scenarioName: scenario.name, model: model, result: mergedResult, seed: 77)
        #expect(ModelReproducibilityTests.stableSummary(fullReport) == ModelReproducibilityTests.stableSummary(shardReport))
        #expect(fullReport.fanCSV() == shardReport.fanCSV())
        #expect(fullReport.attributionCSV() == shardReport.attributionCSV())
        #expect(fullReport.distributionCSV() == shardReport.distributionCSV())
    }
}
