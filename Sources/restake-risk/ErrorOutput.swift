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

/// A scenario error with its field path, line and column kept for the JSON form; every problem
/// the loader found in the file is printed (text: one line each; JSON: `error` is the first,
/// `errors` lists them all when there are several).
func fail(_ source: String, _ error: any Error) -> ExitCode {
    guard let scenario = error as? ScenarioError else { return ErrorOutput.fail("\(source): \(error)") }
    let all = scenario.all
    func located(_ e: ScenarioError) -> String {
        guard let line = e.line else { return "\(source): \(e)" }
        return "\(source):\(line)\(e.column.map { ":\($0)" } ?? ""): \(e)"
    }
    if ErrorOutput.json {
        func object(_ e: ScenarioError) -> JSONValue {
            .object(["message": .string(located(e)), "path": .string(e.path.isEmpty ? "<root>" : e.path),
                     "line": e.line.map { .integer(Int64($0)) } ?? .number(nil),
                     "column": e.column.map { .integer(Int64($0)) } ?? .number(nil)])
        }
        var members: [String: JSONValue] = ["error": object(all[0])]
        if all.count > 1 { members["errors"] = .array(all.map(object)) }
        FileHandle.standardError.write(Data(JSONValue.object(members).rendered().utf8))
        return ExitCode(2)
    }
    for e in all { ErrorOutput.emit(located(e)) }
    if all.count > 1 { ErrorOutput.emit("\(source): \(all.count) problems") }
    return ExitCode(2)
}
