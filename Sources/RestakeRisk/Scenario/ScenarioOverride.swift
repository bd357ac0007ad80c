/// One `PATH=VALUE` edit of a scenario document, applied before decoding so that the result is
/// validated exactly as a file with that value would be.
///
/// Paths are the field paths of error messages (`avs[2].incident_rate`,
/// `correlation.systemic.ETH`, `stress[0].at_days`), with a name allowed wherever an index is
/// (`avs[bridge]`, `strategies[lrt-loop-3x].leverage.ratio`): an element is found by its `name`
/// field; a bracket of digits is an index. On a map of names (`restake.avs`, `systemic`),
/// `[x]` is the same as `.x`, for names that contain a dot. The value is a YAML scalar or flow
/// collection (`0.05`, `{fixed: 0.1}`, `[da, bridge]`); an empty value removes the field.
public struct ScenarioOverride: Sendable, Equatable, CustomStringConvertible {
    public enum Component: Sendable, Equatable {
        /// `.key`: a field of a map.
        case key(String)
        /// `[x]`: an element of a list by index or name, or a key of a map.
        case selector(String)
    }

    /// The path as written.
    public let path: String
    public let components: [Component]
    /// The value as written (YAML).
    public let value: String

    /// Parses `PATH=VALUE` (the first `=` separates them).
    public init(parsing text: String) throws(ScenarioError) {
        guard let eq = text.firstIndex(of: "=") else {
            throw ScenarioError(path: text, message: "an override is PATH=VALUE (e.g. avs[bridge].incident_rate=0.05); no '=' found")
        }
        try self.init(path: String(text[..<eq]), value: String(text[text.index(after: eq)...]))
    }

    /// An override of the field at `path` with the YAML `value`.
    public init(path: String, value: String) throws(ScenarioError) {
        let path = path.trimmingCharacters(in: .whitespaces)
        self.path = path
        self.components = try ScenarioOverride.components(of: path)
        self.value = value
        try ScenarioOverride.checkAgainstTables(components, path: path)
        // Parsed once here so that a bad value is refused when the override is made.
        _ = try valueNode(limits: .default)
    }

    public var description: String { "\(path)=\(value)" }

    static func components(of path: String) throws(ScenarioError) -> [Component] {
        func bad(_ why: String) -> ScenarioError {
            ScenarioError(path: path, message: "not a field path (\(why)); write it as error messages do, e.g. strategies[lrt].leverage.ratio")
        }
        guard !path.isEmpty else { throw bad("it is empty") }
        var out: [Component] = []
        var i = path.startIndex
        var expectKey = true
        while i < path.endIndex {
            let c = path[i]
            if c == "[" {
                guard let close = path[i...].firstIndex(of: "]") else { throw bad("a '[' is not closed") }
                let sel = String(path[path.index(after: i)..<close])
                guard !sel.isEmpty else { throw bad("empty brackets") }
                guard !out.isEmpty else { throw bad("it starts with a bracket") }
                out.append(.selector(sel))
                i = path.index(after: close)
                expectKey = false
            } else if c == "." {
                guard !expectKey else { throw bad("an empty field name") }
                i = path.index(after: i)
                expectKey = true
                guard i < path.endIndex else { throw bad("it ends with '.'") }
            } else {
                guard expectKey else { throw bad("a field name must follow '.' or start the path") }
                let end = path[i...].firstIndex { $0 == "." || $0 == "[" || $0 == "]" } ?? path.endIndex
                guard end == path.endIndex || path[end] != "]" else { throw bad("a ']' without '['") }
                out.append(.key(String(path[i..<end])))
                i = end
                expectKey = false
            }
        }
        return out
    }

    /// Field names are checked against the loader's tables when the override is made, so that a
    /// typo is refused with a suggestion even before a document is at hand.
    static func checkAgainstTables(_ components: [Component], path: String) throws(ScenarioError) {
        var shape: FieldShape? = .table(ScenarioFields.top)
        var written = ""
        for c in components {
            switch c {
            case .key(let k):
                written = FieldPath.key(written, k)
                shape = try step(shape, key: k, at: written)
            case .selector(let s):
                written += "[\(s)]"
                shape = step(shape, selector: s)
            }
        }
    }

    private static func step(_ shape: FieldShape?, key: String, at path: String) throws(ScenarioError) -> FieldShape? {
        switch shape {
        case .table(let t)?:
            guard let f = t.field(key) else {
                var message = "unknown field '\(key)'"
                if let guess = closest(to: key, in: t.names) { message += " (did you mean '\(guess)'?)" }
                throw ScenarioError(path: path, message: message + "; known fields: \(t.names.joined(separator: ", "))")
            }
            return f.shape
        case .map(let inner)?:
            return inner
        case .anyOf(let options)?:
            for o in options {
                if case .table(let t) = o, t.field(key) != nil { return t.field(key)!.shape }
                if case .map(let inner) = o { return inner }
            }
            return nil
        case .list?:
            throw ScenarioError(path: path, message: "the field before '.\(key)' is a list: address an element as [index] or [name]")
        case nil:
            return nil
        default:
            throw ScenarioError(path: path, message: "the field before '.\(key)' is a single value and has no fields")
        }
    }

    private static func step(_ shape: FieldShape?, selector: String) -> FieldShape? {
        switch shape {
        case .list(let inner)?: return inner
        case .map(let inner)?: return inner
        case .anyOf(let options)?:
            for o in options {
                if case .list(let inner) = o { return inner }
                if case .map(let inner) = o { return inner }
            }
            return nil
        default: return nil
        }
    }
}
