import Foundation

/// What a run will need, known before anything is allocated: memory by part, and work.
public struct ResourceEstimate: Sendable, Equatable {
    /// One part of the memory, named for messages ("per-path columns", "fan histograms", ...).
    public struct Part: Sendable, Equatable {
        public var name: String
        public var bytes: Double
        /// What the part grows with, for messages (e.g. "6 strategies x 300000000 paths").
        public var driver: String
    }

    /// The parts, largest first.
    public var parts: [Part]
    /// Paths x steps.
    public var pathSteps: Double
    /// Paths x steps x (factors + strategies): the unit the kernel's time grows with.
    public var work: Double
    /// The threads the estimate assumes.
    public var threads: Int

    /// Peak memory, in bytes: the sum of the parts.
    public var bytes: Double { parts.reduce(0) { $0 + $1.bytes } }
    /// The part that dominates memory.
    public var largestPart: Part { parts[0] }

    /// Work units per second and thread, measured on the engine's reference machine (2 Zen 4
    /// cores, native release build): about 1.1e8 for the default scenario. Conservative for
    /// time estimates, which are rough by nature.
    public static let workPerSecondPerThread = 1.0e8

    /// A rough wall-clock time, in seconds, on `threads` threads.
    public var seconds: Double { work / (Self.workPerSecondPerThread * Double(max(threads, 1))) }
}

extension CompiledModel {
    /// Bytes per path and strategy held by a run: the kernel's columns (terminal wealth, slashing
    /// loss, incidents, liquidations and three event steps: 34 bytes), their copy into the result,
    /// plus the sparse attribution of slashed paths, measured at about 420 bytes per path for six
    /// strategies (docs/SCALE-OUT.md).
    static let bytesPerPathAndStrategy = 72.0

    /// The memory and work of simulating `paths` paths of this model on `threads` threads, of
    /// which this process runs `shardPaths` (all of them unless it is a shard).
    ///
    /// Computed in floating point from the model's sizes, so no size overflows however large the
    /// request; the result is an estimate within tens of percent, used to refuse runs that
    /// cannot fit before they allocate and to warn of long runs.
    public func resources(paths: Int, threads: Int, shardPaths: Int? = nil) -> ResourceEstimate {
        precondition(paths > 0 && threads > 0, "paths and threads must be positive")
        let own = Double(shardPaths ?? paths)
        let strategyCount = Double(strategies.count)
        let factors = Double(factorNames.count)
        let times = Double(reportingSteps.count)
        let block = Double(Simulation.blockSize)
        let pilotPaths = min(Double(paths), Double(Simulation.pilotBlocks) * block)
        // An edge every `FanPilot.ranksPerBin` pilot values near the fan levels (at most all of
        // them), every `coarseRanksPerBin` elsewhere, each edge with a count: 16 bytes a bin.
        let binsPerHistogram = Double(FanPilot.edgeRanks(count: Int(pilotPaths)).count) + 16
        let histograms = strategyCount * times
        let workers = Double(max(1, min(threads, Simulation.blockCount(paths: paths))))
        let fanCopies = workers + 2   // each worker's, the merged one, the pilot's
        let sources = Double(strategies.reduce(0) { $0 + $1.allocations.count + 1 })
        let stateVectors = factors * 2 + Double(assets.count + services.count + tokens.count) * 2 + 8
            + strategyCount * 10 + sources
        let parts = [
            ResourceEstimate.Part(name: "per-path columns", bytes: own * strategyCount * Self.bytesPerPathAndStrategy,
                                  driver: "\(strategies.count) strategies x \(Int(own)) paths"),
            ResourceEstimate.Part(name: "fan histograms", bytes: histograms * binsPerHistogram * 16 * fanCopies,
                                  driver: "\(strategies.count) strategies x \(reportingSteps.count) reporting times x \(Int(fanCopies)) copies"),
            ResourceEstimate.Part(name: "pilot values", bytes: histograms * pilotPaths * 8,
                                  driver: "\(strategies.count) strategies x \(reportingSteps.count) reporting times x \(Int(pilotPaths)) pilot paths"),
            ResourceEstimate.Part(name: "factor matrices", bytes: factors * factors * 8 * 3,
                                  driver: "\(factorNames.count) factors squared"),
            ResourceEstimate.Part(name: "worker workspaces", bytes: workers * stateVectors * block * 8,
                                  driver: "\(Int(workers)) workers x \(factorNames.count) factors and \(strategies.count) strategies"),
        ].sorted { $0.bytes > $1.bytes }
        let pathSteps = Double(paths) * Double(steps)
        // A shard also simulates the pilot blocks it does not own.
        let simulated = min(Double(paths), own + pilotPaths)
        return ResourceEstimate(parts: parts, pathSteps: pathSteps,
                                work: simulated * Double(steps) * (factors + strategyCount),
                                threads: threads)
    }
}

extension ResourceEstimate {
    /// A byte count for people: `1.2 GB`, `350 MB`, `12 KB`.
    public static func text(bytes: Double) -> String {
        let units = [(1e12, "TB"), (1e9, "GB"), (1e6, "MB"), (1e3, "KB")]
        for (scale, unit) in units where bytes >= scale {
            let x = bytes / scale
            return (x >= 100 ? String(Int(x.rounded())) : String(format: "%.1f", x)) + " " + unit
        }
        return "\(Int(bytes)) bytes"
    }

    /// A duration for people: `45 s`, `12 min`, `3.2 h`, `4.1 days`.
    public static func text(seconds: Double) -> String {
        if seconds < 90 { return "\(Int(seconds.rounded())) s" }
        if seconds < 5400 { return "\(Int((seconds / 60).rounded())) min" }
        if seconds < 172_800 { return String(format: "%.1f h", seconds / 3600) }
        return String(format: "%.1f days", seconds / 86_400)
    }

    /// Physical memory of this machine (or of its cgroup, when that is lower), in bytes.
    public static var availableMemory: Double {
        let physical = Double(sysconf(Int32(_SC_PHYS_PAGES))) * Double(sysconf(Int32(_SC_PAGESIZE)))
        if let text = try? String(contentsOfFile: "/sys/fs/cgroup/memory.max", encoding: .utf8),
           let limit = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)), limit > 0 {
            return min(physical, limit)
        }
        return physical
    }
}
