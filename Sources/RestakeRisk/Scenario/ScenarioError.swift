/// An error in a scenario file, located by the path of the offending field.
///
/// The path reads like the field would be addressed in code (`strategies[5].leverage.ratio`,
/// `correlation.matrix[3][1]`) so that a user can find it in the file without a line number;
/// the empty path is the document itself and prints as `<root>`.
public struct ScenarioError: Error, Equatable, CustomStringConvertible, Sendable {
    /// Where the problem is, e.g. `avs[2].severity.beta`; empty for the whole document.
    public var path: String
    /// What is wrong, in words meant for the author of the file.
    public var message: String
    /// 1-based line and column of the offending node in the file, where known.
    public var line: Int?
    public var column: Int?
    /// Further problems found in the same file (at most `ScenarioError.maxReported` in all),
    /// in file order; empty when this is the only one.
    public var others: [ScenarioError] = []

    public init(path: String, message: String, line: Int? = nil, column: Int? = nil) {
        self.path = path
        self.message = message
        self.line = line
        self.column = column
    }

    /// This error followed by `others`: every problem reported for the file.
    public var all: [ScenarioError] {
        var first = self
        first.others = []
        return [first] + others
    }

    public var description: String {
        "\(path.isEmpty ? "<root>" : path): \(message)"
    }
}

/// Builds field paths one step at a time, so every reader and check names fields the same way.
enum FieldPath {
    /// The path of `key` inside the mapping at `path`.
    static func key(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    /// The path of element `index` of the sequence at `path`.
    static func index(_ path: String, _ index: Int) -> String {
        "\(path)[\(index)]"
    }
}
