import Foundation
import RestakeRisk

/// Shard index and count from the flags, and from a scheduler's environment only when asked
/// (`auto`), so that an array job running one whole scenario per task is never split silently.
enum SchedulerEnvironment {
    struct Assignment: Equatable { var index: Int; var count: Int }
    struct Failure: Error { var message: String }

    static let variables = ["SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN", "JOB_COMPLETION_INDEX"]

    /// The shard to run; nil for a whole run.
    ///
    /// `--shard-count auto` reads the count from `SLURM_ARRAY_TASK_COUNT`, `--shard-index auto` the
    /// index from `SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN` (arrays need not start at 0) or from
    /// `JOB_COMPLETION_INDEX` (a Kubernetes Indexed Job, whose count is given as a number).
    /// `--shard-count auto` without `--shard-index` means `--shard-index auto`.
    static func assignment(index: Arguments.Shard?, count: Arguments.Shard?,
                           environment: [String: String]) throws(Failure) -> Assignment? {
        guard let count else { return nil }
        func number(_ name: String) throws(Failure) -> Int? {
            guard let text = environment[name] else { return nil }
            guard let n = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw Failure(message: "\(name)=\(TerminalText.escaped(text)): not a whole number")
            }
            return n
        }
        let total: Int
        switch count {
        case .value(let n): total = n
        case .auto:
            guard let n = try number("SLURM_ARRAY_TASK_COUNT") else {
                throw Failure(message: "--shard-count auto: SLURM_ARRAY_TASK_COUNT is not set (not in a Slurm array job?); give the number of shards")
            }
            guard n >= 1 else { throw Failure(message: "--shard-count auto: SLURM_ARRAY_TASK_COUNT=\(n) must be positive") }
            total = n
        }
        let position: Int
        switch index ?? (count == .auto ? .auto : nil) {
        case .value(let i)?: position = i
        case .auto?:
            if let id = try number("SLURM_ARRAY_TASK_ID") {
                position = id - (try number("SLURM_ARRAY_TASK_MIN") ?? 0)
            } else if let id = try number("JOB_COMPLETION_INDEX") {
                position = id
            } else {
                throw Failure(message: "--shard-index auto: neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set; give the shard's index")
            }
        case nil:
            throw Failure(message: "--shard-count \(total) given without --shard-index (a number, or auto)")
        }
        guard position >= 0 && position < total else {
            throw Failure(message: "shard index \(position) outside 0..<\(total)")
        }
        return Assignment(index: position, count: total)
    }

    /// A one-line note when scheduler variables are set but not used; nil when none is set.
    static func ignoredNote(_ environment: [String: String]) -> String? {
        let present = variables.filter { environment[$0] != nil }
        guard !present.isEmpty else { return nil }
        return "note: \(present.joined(separator: ", ")) ignored (use --shard-count auto to take the shard from the scheduler)"
    }
}
