import ArgumentParser
import Foundation
import RestakeRisk

/// The resource check before a run allocates: refuse what cannot fit, announce what takes long.
enum Budget {
    /// Runs estimated to take longer than this say so on stderr before they start.
    static let announceSeconds = 30.0

    static func check(_ estimate: ResourceEstimate, maxMemory: Double?, quiet: Bool) throws {
        let available = ResourceEstimate.availableMemory
        let limit = maxMemory ?? available / 2
        let limitText = maxMemory == nil
            ? "\(ResourceEstimate.text(bytes: limit)) (half of this machine's \(ResourceEstimate.text(bytes: available)))"
            : ResourceEstimate.text(bytes: limit)
        if estimate.bytes > limit {
            let part = estimate.largestPart
            throw fail("the run needs about \(ResourceEstimate.text(bytes: estimate.bytes)) of memory, above --max-memory \(limitText); most of it is \(part.name) (\(ResourceEstimate.text(bytes: part.bytes)): \(part.driver)). Use fewer paths, split the run with --shard-count (a shard holds only its own paths), or raise --max-memory")
        }
        if !quiet && estimate.seconds > announceSeconds {
            Terminal.note("note: estimated \(ResourceEstimate.text(seconds: estimate.seconds)) on \(estimate.threads) thread\(estimate.threads == 1 ? "" : "s") (\(String(format: "%.3g", estimate.pathSteps)) path-steps) and \(ResourceEstimate.text(bytes: estimate.bytes)) of memory")
        }
    }
}
