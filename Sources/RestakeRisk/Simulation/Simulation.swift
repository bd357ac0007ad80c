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

    /// Appends the results of the blocks that follow this one's.
    mutating func append(_ other: SimulationResult) {
        precondition(other.firstPath == firstPath + pathCount, "results must be contiguous")
        for s in strategies.indices {
            strategies[s].terminalWealth += other.strategies[s].terminalWealth
            strategies[s].slashingLoss += other.strategies[s].slashingLoss
            strategies[s].incidents += other.strategies[s].incidents
            strategies[s].liquidatedPaths += other.strategies[s].liquidatedPaths
            strategies[s].attribution.append(contentsOf: other.strategies[s].attribution)
            strategies[s].liquidations += other.strategies[s].liquidations
            strategies[s].firstSlashStep += other.strategies[s].firstSlashStep
            strategies[s].firstLiquidationStep += other.strategies[s].firstLiquidationStep
            strategies[s].exitStep += other.strategies[s].exitStep
        }
        pathCount += other.pathCount
        threads = max(threads, other.threads)
    }
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
    public static func run(model: CompiledModel, seed: UInt64, paths: Int, blocks: Range<Int>? = nil,
                           threads: Int, progress: SimulationProgress? = nil) -> SimulationResult {
        precondition(paths > 0, "paths must be positive")
        precondition(threads > 0, "threads must be positive")
        let totalBlocks = blockCount(paths: paths)
        let range = blocks ?? 0..<totalBlocks
        precondition(range.lowerBound >= 0 && range.upperBound <= totalBlocks && !range.isEmpty,
                     "block range \(range) outside 0..<\(totalBlocks)")
        BLAS.useSingleThread()
        let start = Date()
        let strategyCount = model.strategies.count
        let timeCount = model.reportingSteps.count
        let collector = FanAccumulator.pilot(strategyCount: strategyCount, timeCount: timeCount)
        let pilot = 0..<min(pilotBlocks, totalBlocks)
        let head = range.lowerBound..<max(range.lowerBound, min(range.upperBound, pilot.upperBound))
        let tail = max(range.lowerBound, pilot.upperBound)..<max(range.upperBound, pilot.upperBound)
        let elsewhere = [pilot.lowerBound..<min(range.lowerBound, pilot.upperBound),
                         min(range.upperBound, pilot.upperBound)..<pilot.upperBound].filter { !$0.isEmpty }

        // The pilot: this run's own first blocks, then any pilot blocks it does not own.
        var result = head.isEmpty ? nil
            : execute(model: model, seed: seed, paths: paths, blocks: head, threads: threads,
                      fan: collector, progress: progress)
        var pilotFan = result?.fan ?? collector
        for blocks in elsewhere {
            pilotFan.merge(execute(model: model, seed: seed, paths: paths, blocks: blocks, threads: threads,
                                   fan: collector, progress: nil).fan)
        }
        var fan = FanAccumulator(strategyCount: strategyCount, timeCount: timeCount, edges: pilotFan.edges())
        if let head = result?.fan.pilotValues {
            let bins = UnsafeMutablePointer<Int>.allocate(capacity: head.map(\.count).max() ?? 0)
            defer { bins.deallocate() }
            for (i, values) in head.enumerated() where !values.isEmpty {
                values.withUnsafeBufferPointer { fan.histograms[i].add($0.baseAddress!, count: $0.count, bins: bins) }
                for w in values { fan.sums[i].add(w) }
            }
        }
        if !tail.isEmpty {
            let rest = execute(model: model, seed: seed, paths: paths, blocks: tail, threads: threads,
                               fan: fan.emptyCopy(), progress: progress)
            fan.merge(rest.fan)
            if result == nil { result = rest } else { result!.append(rest) }
        }
        result!.fan = fan
        result!.elapsedSeconds = Date().timeIntervalSince(start)
        return result!
    }

    /// Runs a range of blocks on `threads` workers, each with its own copy of the empty `fan`.
    static func execute(model: CompiledModel, seed: UInt64, paths: Int, blocks range: Range<Int>,
                        threads: Int, fan template: FanAccumulator,
                        progress: SimulationProgress?) -> SimulationResult {
        let firstPath = range.lowerBound * blockSize
        let lastPath = min(range.upperBound * blockSize, paths)
        let count = lastPath - firstPath
        let strategyCount = model.strategies.count
        let keys = DrawKeys(model: model, seed: seed)

        // Columns written by workers at disjoint offsets.
        func column<T>(_ type: T.Type, zero: T) -> UnsafeMutableBufferPointer<T> {
            let b = UnsafeMutableBufferPointer<T>.allocate(capacity: count)
            b.initialize(repeating: zero)
            return b
        }
        let terminal = (0..<strategyCount).map { _ in column(Double.self, zero: 0) }
        let slashing = (0..<strategyCount).map { _ in column(Double.self, zero: 0) }
        let incidents = (0..<strategyCount).map { _ in column(UInt32.self, zero: 0) }
        let liquidations = (0..<strategyCount).map { _ in column(UInt16.self, zero: 0) }
        let steps = (0..<3 * strategyCount).map { _ in column(Int32.self, zero: StrategyPaths.never) }
        defer {
            terminal.forEach { $0.deallocate() }; slashing.forEach { $0.deallocate() }
            incidents.forEach { $0.deallocate() }; liquidations.forEach { $0.deallocate() }
            steps.forEach { $0.deallocate() }
        }
        let summaries = UnsafeMutableBufferPointer<BlockSummary?>.allocate(capacity: range.count)
        summaries.initialize(repeating: nil)
        defer { summaries.deinitialize(); summaries.deallocate() }
        let workers = min(threads, range.count)
        let fans = UnsafeMutableBufferPointer<FanAccumulator?>.allocate(capacity: workers)
        fans.initialize(repeating: nil)
        defer { fans.deinitialize(); fans.deallocate() }

        let next = Atomic<Int>(range.lowerBound)
        nonisolated(unsafe) let sharedSummaries = summaries
        nonisolated(unsafe) let sharedFans = fans
        nonisolated(unsafe) let columns = (terminal, slashing, incidents, liquidations, steps)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let workspace = BlockWorkspace(model: model, blockSize: blockSize)
            var fan = template.emptyCopy()
            while true {
                let block = next.add(1, ordering: .relaxed).oldValue
                if block >= range.upperBound { break }
                let offset = block * blockSize - firstPath
                let recorded = min(blockSize, lastPath - block * blockSize)
                let sink = BlockSink(
                    terminalWealth: columns.0.map { $0.baseAddress! + offset },
                    slashingLoss: columns.1.map { $0.baseAddress! + offset },
                    incidents: columns.2.map { $0.baseAddress! + offset },
                    liquidations: columns.3.map { $0.baseAddress! + offset },
                    firstSlashStep: (0..<strategyCount).map { columns.4[3 * $0].baseAddress! + offset },
                    firstLiquidationStep: (0..<strategyCount).map { columns.4[3 * $0 + 1].baseAddress! + offset },
                    exitStep: (0..<strategyCount).map { columns.4[3 * $0 + 2].baseAddress! + offset })
                let summary = workspace.run(block: block, model: model, keys: keys, seed: seed,
                                            recordedPaths: recorded, sink: sink, fan: &fan)
                sharedSummaries[block - range.lowerBound] = summary
                progress?.blockFinished()
            }
            sharedFans[worker] = fan
        }

        // Combine in block order (and the order-free fan in worker order).
        var fan = template.emptyCopy()
        for f in fans { if let f { fan.merge(f) } }
        var results: [StrategyPaths] = []
        for s in 0..<strategyCount {
            var attribution = SparseAttribution(sources: model.attributionSources(of: s))
            var liquidated = 0
            for summary in summaries {
                liquidated += summary!.liquidatedPaths[s]
                attribution.append(contentsOf: summary!.attribution[s])
            }
            results.append(StrategyPaths(terminalWealth: Array(terminal[s]),
                                         slashingLoss: Array(slashing[s]),
                                         incidents: Array(incidents[s]),
                                         liquidatedPaths: liquidated, attribution: attribution,
                                         liquidations: Array(liquidations[s]),
                                         firstSlashStep: Array(steps[3 * s]),
                                         firstLiquidationStep: Array(steps[3 * s + 1]),
                                         exitStep: Array(steps[3 * s + 2])))
        }
        return SimulationResult(firstPath: firstPath, pathCount: count, strategies: results,
                                fan: fan, threads: workers, elapsedSeconds: 0)
    }
}
