import Foundation
import Yams

/// A scenario file read and parsed once, within its limits, but not yet decoded.
///
/// Sweeps and sensitivities apply many override sets to one document: each `scenario(overrides:)`
/// edits a copy of the node tree and decodes it, so every point is validated exactly as the
/// file would be, without reading or parsing the file again.
public struct ScenarioDocument: @unchecked Sendable {
    // Yams' Node is not Sendable (its tags hold reference types that are never mutated after
    // composition); the tree is only read or copied here, never changed in place.
    let root: Node
    /// The decoded text (byte-order mark removed), e.g. to embed in shard headers or hash.
    public let text: String
    public let limits: LoadLimits

    /// Reads `url` within `limits` (size, encoding, node budget, nesting).
    public init(contentsOf url: URL, limits: LoadLimits = .default) throws(ScenarioError) {
        precondition(url.isFileURL, "scenario URL must be a file URL: \(url)")
        try self.init(bytes: ScenarioText.read(path: url.path, limits: limits), limits: limits)
    }

    /// Parses a file's bytes: UTF-8 with an optional byte-order mark.
    public init(bytes: [UInt8], limits: LoadLimits = .default) throws(ScenarioError) {
        try self.init(yaml: ScenarioText.decode(bytes, limits: limits), limits: limits)
    }

    /// Parses YAML (or JSON) text.
    public init(yaml: String, limits: LoadLimits = .default) throws(ScenarioError) {
        guard yaml.utf8.count <= limits.maxFileBytes else {
            throw ScenarioError(path: "", message: "the scenario has \(yaml.utf8.count) bytes, above the \(limits.maxFileBytes)-byte limit")
        }
        let text = yaml.hasPrefix("\u{FEFF}") ? String(yaml.dropFirst()) : yaml
        self.root = try ScenarioDocument.compose(text, limits: limits)
        self.text = text
        self.limits = limits
    }

    /// The scenario with `overrides` applied in order (a later one wins), decoded and validated.
    public func scenario(overrides: [ScenarioOverride] = []) throws(ScenarioError) -> Scenario {
        var node = root
        for o in overrides { node = try o.apply(to: node, limits: limits) }
        return try Scenario(node: node)
    }

    /// A node tree from text, after the budget and nesting checks.
    static func compose(_ text: String, limits: LoadLimits) throws(ScenarioError) -> Node {
        try YAMLBudget.check(text, limits: limits)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text, CoreSchema.resolver)
        } catch let e as YamlError {
            throw syntaxError(e)
        } catch {
            throw ScenarioError(path: "", message: "YAML syntax error: \(error)")
        }
        guard let root else { throw ScenarioError(path: "", message: "the document is empty") }
        return root
    }

    /// A syntax error located by line and column, since there is no field path yet.
    static func syntaxError(_ e: YamlError) -> ScenarioError {
        func at(_ m: Mark) -> String { "line \(m.line), column \(m.column)" }
        switch e {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let ctx = context.map { " (\($0.text) at \(at($0.mark)))" } ?? ""
            var error = ScenarioError(path: "", message: "YAML syntax error at \(at(mark)): \(problem)\(ctx)")
            error.line = mark.line; error.column = mark.column
            return error
        case .duplicatedKeysInMapping(let duplicates, let context):
            var error = ScenarioError(
                path: "",
                message: "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in a map at \(at(context.mark))")
            error.line = context.mark.line; error.column = context.mark.column
            return error
        case .reader(let problem, let offset, _, _):
            return ScenarioError(path: "", message: "YAML read error\(offset.map { " at byte \($0)" } ?? ""): \(problem)")
        default:
            return ScenarioError(path: "", message: "YAML syntax error: \(e)")
        }
    }
}
