import ArgumentParser
import Foundation
import RestakeRisk

/// How errors reach the user: a line of text on stderr, or with `--format json` a JSON object
/// that scripts can read (`{"error": {"path", "message", "line", "column"}}`).
enum ErrorOutput {
    /// Set once in `main` from the command line, before any command runs.
    nonisolated(unsafe) static var json = false

    /// Prints an error and returns exit code 2 (bad input or a refused run), without a stack trace.
    ///
    /// - Parameters:
    ///   - path: the scenario field (or flag) at fault, for the JSON form; nil when none.
    static func fail(_ message: String, path: String? = nil, line: Int? = nil, column: Int? = nil) -> ExitCode {
        emit(message, path: path, line: line, column: column)
        return ExitCode(2)
    }

    static func emit(_ message: String, path: String? = nil, line: Int? = nil, column: Int? = nil) {
        if json {
            let object = JSONValue.object(["error": .object([
                "message": .string(message),
                "path": path.map { .string($0) } ?? .number(nil),
                "line": line.map { .integer(Int64($0)) } ?? .number(nil),
                "column": column.map { .integer(Int64($0)) } ?? .number(nil),
            ])])
            FileHandle.standardError.write(Data(object.rendered().utf8))
        } else {
            FileHandle.standardError.write(Data("error: \(Terminal.safe(message))\n".utf8))
        }
    }
}

/// Prints a user-facing error to stderr and fails with exit code 2, without a stack trace.
func fail(_ message: String) -> ExitCode { ErrorOutput.fail(message) }

/// A scenario error with its field path kept for the JSON form.
func fail(_ source: String, _ error: any Error) -> ExitCode {
    if let scenario = error as? ScenarioError {
        // The loader gives field paths; line and column arrive with the v2 loader.
        return ErrorOutput.fail("\(source): \(scenario)", path: scenario.path.isEmpty ? "<root>" : scenario.path)
    }
    return ErrorOutput.fail("\(source): \(error)")
}
