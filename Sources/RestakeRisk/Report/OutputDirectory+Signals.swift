import Foundation
import Synchronization

extension OutputDirectory {
    /// Removes every staging folder this process is filling and stops any further swap.
    ///
    /// For a handler of SIGINT, SIGTERM or SIGHUP running outside signal context (a Dispatch
    /// signal source): it waits for a swap in progress, so the target afterwards holds either the
    /// old files or the new ones, never a mix, and nothing is left beside it. Call it, then exit.
    public static func abandonAll() {
        StagingRegistry.shared.abandonAll()
    }
}

/// The staging folders this process is filling, guarded so that a signal handler and a writer
/// never act on one at the same time.
final class StagingRegistry: Sendable {
    static let shared = StagingRegistry()

    private struct State {
        var active: Set<String> = []
        var abandoned = false
    }
    private let state = Mutex(State())

    func begin(_ staging: URL) throws(OutputDirectory.Failure) {
        let ok = state.withLock { s -> Bool in
            guard !s.abandoned else { return false }
            s.active.insert(staging.path)
            return true
        }
        guard ok else { throw OutputDirectory.Failure(description: "interrupted before writing \(staging.deletingLastPathComponent().path)") }
    }

    func end(_ staging: URL) {
        state.withLock { s in _ = s.active.remove(staging.path) }
    }

    /// Runs `body` unless the writes were abandoned, excluding `abandonAll` meanwhile.
    func whileActive(_ staging: URL, _ body: () throws(OutputDirectory.Failure) -> Void) throws(OutputDirectory.Failure) {
        try state.withLock { (s: inout State) throws(OutputDirectory.Failure) -> Void in
            guard !s.abandoned, s.active.contains(staging.path) else {
                throw OutputDirectory.Failure(description: "interrupted while writing \(staging.deletingLastPathComponent().path)")
            }
            try body()
        }
    }

    func abandonAll() {
        state.withLock { s in
            s.abandoned = true
            for path in s.active { OutputDirectory.removeTree(path) }
            s.active = []
        }
    }
}
