import Dispatch
import Foundation
import Synchronization

/// Completed-block counter a caller can poll for a progress display while a run goes on.
public final class SimulationProgress: Sendable {
    private let done = Atomic<Int>(0)
    public init() {}
    /// Blocks finished so far.
    public var completedBlocks: Int { done.load(ordering: .relaxed) }
    func blockFinished() { done.add(1, ordering: .relaxed) }
}

/// The raw outcome of simulating a range of blocks: per-path columns and fan accumulators.
public struct SimulationResult: Sendable {
    /// Global index of the first path (0 unless this is a shard).
    public var firstPath: Int
    public var pathCount: Int
    /// Per strategy, in the model's order.
    public var strategies: [StrategyPaths]
    public var fan: FanAccumulator
    public var threads: Int
    public var elapsedSeconds: Double
}

/// The parallel driver: blocks of paths spread over cores, results combined in block order.
public enum Simulation {
    /// Paths per block: the unit of work, of reproducibility and of sharding. Fixed, because path
    /// i's random numbers are those of block `i / blockSize`'s stream.
    public static let blockSize = 1024

    /// Number of blocks that `paths` paths occupy.
    public static func blockCount(paths: Int) -> Int { (paths + blockSize - 1) / blockSize }

    /// Blocks whose paths choose the fan histograms' edges: the run's first 16 (or all).
    ///
    /// They depend on the seed and path count only, so every shard of a run picks the same edges.
    public static let pilotBlocks = 16

    /// Simulates paths `[blocks.lowerBound * B, min(blocks.upperBound * B, paths))` of a run of
    /// `paths` paths.
    ///
    /// The numbers depend on the model, the seed and the path indices only: any thread count, and
    /// any split of the blocks into shards, gives the same bits. The fan's histogram edges come
    /// from the run's first blocks (`pilotBlocks`): they are simulated first, their values at the
    /// reporting times kept until the edges are known; a shard that does not own them simulates
    /// them once more for that purpose only.
    ///
    /// Attribution keeps its entries for the paths that can be in the tail of
    /// `attributionLevel` or above (see `SparseAttribution.pilotThreshold`); the report's levels
    /// must not go below it. A whole run checks that the tail is covered and, in the rare case it
    /// is not, simulates its blocks once more with the exact threshold; a merge checks shards.
    public static func run(model: CompiledModel, seed: UInt64, paths: Int, blocks: Range<Int>? = nil,
                           threads: Int, attributionLevel: Double = RunStatistics.defaultAlphas.min()!,
                           progress: SimulationProgress? = nil) -> SimulationResult {
        run(model: model, seed: seed, paths: paths, blocks: blocks, threads: threads,
            attributionLevel: attributionLevel, forcedThreshold: nil, progress: progress)
    }

    /// `run`, with every strategy's attribution threshold set instead of taken from the pilot
    /// (tests force a threshold that misses the tail, to exercise the repeat).
    static func run(model: CompiledModel, seed: UInt64, paths: Int, blocks: Range<Int>?,
                    threads: Int, attributionLevel: Double, forcedThreshold: Double?,
                    progress: SimulationProgress?) -> SimulationResult {
        precondition(paths > 0, "paths must be positive")
        precondition(attributionLevel > 0 && attributionLevel < 1, "attribution level \(attributionLevel) outside (0, 1)")
        precondition(threads > 0, "threads must be positive")
        let totalBlocks = blockCount(paths: paths)
        let range = blocks ?? 0..<totalBlocks
        precondition(range.lowerBound >= 0 && range.upperBound <= totalBlocks && !range.isEmpty,
                     "block range \(range) outside 0..<\(totalBlocks)")
        BLAS.useSingleThread()
        let start = Date()
        let layout = FanLayout(strategyCount: model.strategies.count, timeCount: model.reportingSteps.count)
        let collector = FanAccumulator(collecting: FanPilot(layout: layout))
        let pilot = 0..<min(pilotBlocks, totalBlocks)
        let head = range.lowerBound..<max(range.lowerBound, min(range.upperBound, pilot.upperBound))
        let tail = max(range.lowerBound, pilot.upperBound)..<max(range.upperBound, pilot.upperBound)
        let elsewhere = [pilot.lowerBound..<min(range.lowerBound, pilot.upperBound),
                         min(range.upperBound, pilot.upperBound)..<pilot.upperBound].filter { !$0.isEmpty }

        // Every block of the range writes into one set of columns and one attribution per
        // strategy, so no result is copied or appended at the end (memory: the columns once).
        let firstPath = range.lowerBound * blockSize
        let columns = PathColumns(count: min(range.upperBound * blockSize, paths) - firstPath,
                                  strategyCount: model.strategies.count)
        var outcome = BlockOutcome(model: model)

        // The pilot: this run's own first blocks, then any pilot blocks it does not own.
        var ownPilot: FanPilot? = nil
        var pilotFan = collector
        var workers = 0
        var pilotLosses = [[Double]](repeating: [], count: model.strategies.count)
        if !head.isEmpty {
            pilotFan = execute(model: model, seed: seed, paths: paths, blocks: head, threads: threads,
                               columns: columns, firstPath: firstPath, fan: collector,
                               outcome: &outcome, progress: progress)
            ownPilot = pilotFan.pilot
            workers = min(threads, head.count)
            let count = min(head.upperBound * blockSize, paths) - firstPath
            for s in pilotLosses.indices { pilotLosses[s] += columns.slashingLoss(s).prefix(count) }
        }
        for blocks in elsewhere {
            let first = blocks.lowerBound * blockSize
            let scratch = PathColumns(count: min(blocks.upperBound * blockSize, paths) - first,
                                      strategyCount: model.strategies.count)
            var discarded = BlockOutcome(model: model)
            pilotFan.merge(execute(model: model, seed: seed, paths: paths, blocks: blocks, threads: threads,
                                   columns: scratch, firstPath: first, fan: collector,
                                   outcome: &discarded, progress: nil))
            for s in pilotLosses.indices { pilotLosses[s] += scratch.slashingLoss(s) }
        }
        // Attribution keeps, from here on, only the paths that can reach the lowest tail; the
        // pilot's own entries are cut to the same threshold. A run within the pilot keeps all.
        let thresholds = pilotLosses.map { losses in
            forcedThreshold ?? (totalBlocks <= pilot.count ? 0
                                : SparseAttribution.pilotThreshold(losses, level: attributionLevel))
        }
        outcome.raiseThresholds(thresholds, columns: columns, firstPath: firstPath)
        if !head.isEmpty && !tail.isEmpty {
            // Room for the entries the pilot's rate predicts, so that the arrays are not grown
            // (and briefly held twice) by doubling near the end of a long run.
            let headPaths = Double(min(head.upperBound * blockSize, paths) - firstPath)
            for s in outcome.attribution.indices {
                let rate = Double(outcome.attribution[s].entryCount) / headPaths
                outcome.attribution[s].reserveCapacity(Int(rate * 1.1 * Double(columns.count)) + 1024)
            }
        }
        var fan = FanAccumulator(layout: layout, edges: pilotFan.pilot!.edges(threads: threads))
        // The run's own pilot blocks are counted into the histograms, not simulated again.
        ownPilot?.replay(into: &fan, threads: threads)
        if !tail.isEmpty {
            fan.merge(execute(model: model, seed: seed, paths: paths, blocks: tail, threads: threads,
                              columns: columns, firstPath: firstPath, fan: fan.emptyCopy(),
                              outcome: &outcome, progress: progress))
            workers = max(workers, min(threads, tail.count))
        }
        if range.count == totalBlocks {
            coverTails(model: model, seed: seed, paths: paths, threads: threads, level: attributionLevel,
                       columns: columns, fan: fan, outcome: &outcome)
        }
        let strategies = (0..<model.strategies.count).map { s in
            columns.takeStrategy(s, liquidatedPaths: outcome.liquidatedPaths[s], attribution: outcome.attribution[s])
        }
        return SimulationResult(firstPath: firstPath, pathCount: columns.count, strategies: strategies,
                                fan: fan, threads: workers, elapsedSeconds: Date().timeIntervalSince(start))
    }

    /// Runs a range of blocks on `threads` workers, each with its own copy of the empty `fan`,
    /// writing per-path values into `columns` (which start at path `firstPath`) and appending
    /// the blocks' attribution and liquidation counts to `outcome` in block order. Returns the
    /// workers' fans merged.
    static func execute(model: CompiledModel, seed: UInt64, paths: Int, blocks range: Range<Int>,
                        threads: Int, columns: PathColumns, firstPath: Int, fan template: FanAccumulator,
                        outcome: inout BlockOutcome, progress: SimulationProgress?) -> FanAccumulator {
        let keys = DrawKeys(model: model, seed: seed)
        let lastPath = min(range.upperBound * blockSize, paths)
        let summaries = UnsafeMutableBufferPointer<BlockSummary?>.allocate(capacity: range.count)
        summaries.initialize(repeating: nil)
        defer { summaries.deinitialize(); summaries.deallocate() }
        let workers = min(threads, range.count)
        let fans = UnsafeMutableBufferPointer<FanAccumulator?>.allocate(capacity: workers)
        fans.initialize(repeating: nil)
        defer { fans.deinitialize(); fans.deallocate() }

        let next = Atomic<Int>(range.lowerBound)
        // Blocks are committed to `outcome` in block order as soon as all earlier ones are done,
        // so a finished block's attribution is freed early and never held twice.
        let commit = Mutex(BlockCommit(next: 0, outcome: outcome))
        nonisolated(unsafe) let sharedSummaries = summaries
        nonisolated(unsafe) let sharedFans = fans
        let sharedColumns = columns
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let workspace = BlockWorkspace(model: model, blockSize: blockSize)
            var fan = template.emptyCopy()
            while true {
                let block = next.add(1, ordering: .relaxed).oldValue
                if block >= range.upperBound { break }
                let sink = sharedColumns.sink(at: block * blockSize - firstPath)
                let summary = workspace.run(block: block, model: model, keys: keys, seed: seed,
                                            recordedPaths: min(blockSize, lastPath - block * blockSize),
                                            sink: sink, fan: &fan)
                commit.withLock { state in
                    sharedSummaries[block - range.lowerBound] = summary
                    while state.next < range.count, let done = sharedSummaries[state.next] {
                        state.outcome.add(done, columns: sharedColumns, firstPath: firstPath)
                        sharedSummaries[state.next] = nil
                        state.next += 1
                    }
                }
                progress?.blockFinished()
            }
            sharedFans[worker] = fan
        }

        outcome = commit.withLock { state in
            assert(state.next == range.count, "a block was not committed")
            return state.outcome
        }
        // The order-free fan in worker order.
        var fan = template.emptyCopy()
        for f in fans { if let f { fan.merge(f) } }
        return fan
    }
}

extension Simulation {
    /// Checks that every strategy's kept attribution entries hold the whole tail of `level`;
    /// for any that do not (a pilot far off the run, below 1e-11 by design), simulates the run's
    /// blocks once more keeping the entries above the exact threshold.
    ///
    /// The repeat writes the same bits into `columns`; its fan is discarded.
    static func coverTails(model: CompiledModel, seed: UInt64, paths: Int, threads: Int, level: Double,
                           columns: PathColumns, fan: FanAccumulator, outcome: inout BlockOutcome) {
        var exact = outcome.attribution.map(\.threshold)
        var missed: [Int] = []
        for s in exact.indices {
            let losses = UnsafeBufferPointer(columns.slashingLoss(s))
            if !outcome.attribution[s].covers(level: level, slashingLoss: losses) {
                exact[s] = SparseAttribution.coveringThreshold(level: level, slashingLoss: losses)
                missed.append(s)
            }
        }
        guard !missed.isEmpty else { return }
        var again = BlockOutcome(model: model, thresholds: exact)
        _ = execute(model: model, seed: seed, paths: paths, blocks: 0..<blockCount(paths: paths), threads: threads,
                    columns: columns, firstPath: 0, fan: fan.emptyCopy(), outcome: &again, progress: nil)
        for s in missed { outcome.attribution[s] = again.attribution[s] }
    }
}

/// What a range of blocks leaves besides its columns and fan, gathered in block order.
struct BlockOutcome {
    var liquidatedPaths: [Int]
    var attribution: [SparseAttribution]

    /// No blocks yet; strategy s keeps the entries of paths with `L_s >= thresholds[s]` (all, if nil).
    init(model: CompiledModel, thresholds: [Double]? = nil) {
        liquidatedPaths = Array(repeating: 0, count: model.strategies.count)
        attribution = (0..<model.strategies.count).map {
            SparseAttribution(sources: model.attributionSources(of: $0), threshold: thresholds?[$0] ?? 0)
        }
    }

    /// Adds the next block's counts and attribution; the block's `L_s` are in `columns`, whose
    /// first path is `firstPath`.
    mutating func add(_ block: BlockSummary, columns: PathColumns, firstPath: Int) {
        for s in liquidatedPaths.indices {
            liquidatedPaths[s] += block.liquidatedPaths[s]
            attribution[s].absorb(block.attribution[s], slashingLoss: columns.slashingLoss(s).baseAddress!,
                                  firstPath: firstPath)
        }
    }

    /// Raises strategy s's threshold to `thresholds[s]`, dropping entries below it.
    mutating func raiseThresholds(_ thresholds: [Double], columns: PathColumns, firstPath: Int) {
        for s in attribution.indices where thresholds[s] > attribution[s].threshold {
            attribution[s].raiseThreshold(to: thresholds[s], slashingLoss: columns.slashingLoss(s).baseAddress!,
                                          firstPath: firstPath)
        }
    }
}

/// The blocks committed so far (`next` is the first one not yet), under the driver's lock.
struct BlockCommit {
    var next: Int
    var outcome: BlockOutcome
}

/// The per-path columns of a range of paths, written by the workers at disjoint offsets.
///
/// Unsafe buffers, because several workers write into them at once; each strategy's are copied
/// into its `StrategyPaths` and freed one column at a time, so the run never holds them twice.
final class PathColumns: @unchecked Sendable {
    let count: Int
    private var terminal: [UnsafeMutableBufferPointer<Double>]
    private var slashing: [UnsafeMutableBufferPointer<Double>]
    private var incidents: [UnsafeMutableBufferPointer<UInt32>]
    private var liquidations: [UnsafeMutableBufferPointer<UInt16>]
    /// First slash, first liquidation and exit step, three per strategy.
    private var steps: [UnsafeMutableBufferPointer<Int32>]

    init(count: Int, strategyCount: Int) {
        self.count = count
        func column<T>(_ zero: T) -> UnsafeMutableBufferPointer<T> {
            let b = UnsafeMutableBufferPointer<T>.allocate(capacity: count)
            b.initialize(repeating: zero)
            return b
        }
        terminal = (0..<strategyCount).map { _ in column(0.0) }
        slashing = (0..<strategyCount).map { _ in column(0.0) }
        incidents = (0..<strategyCount).map { _ in column(UInt32(0)) }
        liquidations = (0..<strategyCount).map { _ in column(UInt16(0)) }
        steps = (0..<3 * strategyCount).map { _ in column(StrategyPaths.never) }
    }

    /// Frees every column not yet taken (a taken one is empty).
    deinit {
        for c in terminal { c.deallocate() }; for c in slashing { c.deallocate() }
        for c in incidents { c.deallocate() }; for c in liquidations { c.deallocate() }
        for c in steps { c.deallocate() }
    }

    /// Where the block starting `offset` paths into the range writes.
    func sink(at offset: Int) -> BlockSink {
        let n = terminal.count
        return BlockSink(terminalWealth: terminal.map { $0.baseAddress! + offset },
                         slashingLoss: slashing.map { $0.baseAddress! + offset },
                         incidents: incidents.map { $0.baseAddress! + offset },
                         liquidations: liquidations.map { $0.baseAddress! + offset },
                         firstSlashStep: (0..<n).map { steps[3 * $0].baseAddress! + offset },
                         firstLiquidationStep: (0..<n).map { steps[3 * $0 + 1].baseAddress! + offset },
                         exitStep: (0..<n).map { steps[3 * $0 + 2].baseAddress! + offset })
    }

    /// Strategy `s`'s `L_s` column (not yet taken).
    func slashingLoss(_ s: Int) -> UnsafeMutableBufferPointer<Double> { slashing[s] }

    /// Strategy `s`'s paths as arrays; its columns are freed as they are copied.
    func takeStrategy(_ s: Int, liquidatedPaths: Int, attribution: SparseAttribution) -> StrategyPaths {
        func take<T>(_ c: inout UnsafeMutableBufferPointer<T>) -> [T] {
            let out = Array(c)
            c.deallocate()
            c = UnsafeMutableBufferPointer(start: nil, count: 0)
            return out
        }
        return StrategyPaths(terminalWealth: take(&terminal[s]), slashingLoss: take(&slashing[s]),
                             incidents: take(&incidents[s]), liquidatedPaths: liquidatedPaths,
                             attribution: attribution, liquidations: take(&liquidations[s]),
                             firstSlashStep: take(&steps[3 * s]), firstLiquidationStep: take(&steps[3 * s + 1]),
                             exitStep: take(&steps[3 * s + 2]))
    }
}
