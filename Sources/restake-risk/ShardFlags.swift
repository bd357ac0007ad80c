import Foundation
import RestakeRisk

/// The `--shard-index`/`--shard-count` pair of `simulate` and `sweep`, resolved.
enum ShardFlags {
    /// The shard to run, from the flags (and, only for `auto`, the scheduler's environment); nil
    /// for a whole run.
    static func assignment(index: Arguments.Shard?, count: Arguments.Shard?, quiet: Bool) throws -> (index: Int, count: Int)? {
        let environment = ProcessInfo.processInfo.environment
        let outcome = Result { () throws(SchedulerEnvironment.Failure) in
            try SchedulerEnvironment.assignment(index: index, count: count, environment: environment)
        }
        guard case .success(let assignment) = outcome else {
            if case .failure(let error) = outcome { throw fail(error.message) }
            return nil
        }
        let usesEnvironment = count == .auto || index == .auto
        if !usesEnvironment, !quiet, let note = SchedulerEnvironment.ignoredNote(environment) {
            Terminal.note(note)
        }
        return assignment.map { ($0.index, $0.count) }
    }
}
