import Yams

/// A YAML node together with its field path, read with checked types.
///
/// Codable would ignore unknown keys and lose the path in its errors; this reader makes every
/// type error and every unknown field name the exact place in the file.
struct NodeReader {
    let node: Node
    let path: String

    /// The node's resolved YAML type (`Tag.name` is not public; its description is the name).
    var tagName: Tag.Name { Tag.Name(rawValue: node.tag.description) }

    func error(_ message: String) -> ScenarioError {
        ScenarioError(path: path, message: message)
    }

    /// Whether the node is an explicit YAML null (`~`, `null` or nothing after the colon).
    var isNull: Bool {
        if case .scalar(let s) = node, tagName == .null, s.style == .plain || s.style == .any {
            return true
        }
        return false
    }

    var isMapping: Bool { if case .mapping = node { return true } else { return false } }
    var isSequence: Bool { if case .sequence = node { return true } else { return false } }

    /// What the node is, in words, for "expected X, got Y" messages.
    var kind: String {
        switch node {
        case .mapping: return "a map"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let s):
            switch tagName {
            case .null: return "null"
            case .bool: return "a boolean (\(s.string))"
            case .int, .float: return "a number (\(s.string))"
            default: return "the string \"\(s.string)\""
            }
        }
    }

    /// A non-null scalar as text; numbers and booleans are accepted because names such as
    /// `1inch` or `0x` are plausible and YAML would otherwise turn them into other types.
    func string() throws(ScenarioError) -> String {
        guard case .scalar(let s) = node, !isNull else {
            throw error("expected a string, got \(kind)")
        }
        return s.string
    }

    /// One of a fixed set of words; the message lists the allowed ones.
    func word(_ allowed: [String]) throws(ScenarioError) -> String {
        let w = try string()
        guard allowed.contains(w) else {
            throw error("'\(w)' is not one of \(allowed.joined(separator: ", "))")
        }
        return w
    }

    /// A finite number in YAML 1.2 core-schema form (decimal, `0x`/`0o` integers); quoted numbers
    /// are strings, as they would be in JSON, unless explicitly tagged (`!!float '3000'`).
    func double() throws(ScenarioError) -> Double {
        guard case .scalar(let s) = node else { throw error("expected a number, got \(kind)") }
        switch tagName {
        case .int, .float:
            guard let x = CoreSchema.number(s.string) else {
                if s.string.contains(":") {
                    throw error("'\(s.string)' is not a number: base-60 (YAML 1.1) numbers are not read; write it in decimal")
                }
                throw error("'\(s.string)' is tagged as a number but is not a decimal number")
            }
            guard x.isFinite else { throw error("must be a finite number, got \(s.string)") }
            return x
        default:
            if s.style == .plain, s.string.contains(":"), s.string.allSatisfy({ $0.isNumber || ":.+-_".contains($0) }) {
                throw error("'\(s.string)' is not a number: base-60 (YAML 1.1) numbers are not read; write it in decimal")
            }
            throw error("expected a number, got \(kind)")
        }
    }

    /// A whole number in `range`; `365.0` is accepted, `365.5` is not. The conversion to Int is
    /// checked here so that no later stage can trap on a huge value.
    func int(in range: ClosedRange<Int> = Int(-1e15)...Int(1e15)) throws(ScenarioError) -> Int {
        let x = try double()
        guard x == x.rounded() else { throw error("must be a whole number, got \(x)") }
        guard x >= Double(range.lowerBound), x <= Double(range.upperBound) else {
            throw error("must be a whole number in \(range.lowerBound)...\(range.upperBound), got \(x)")
        }
        return Int(x)
    }

    /// `true` or `false` (YAML 1.2 core schema: `yes`/`on` are words, not booleans).
    func bool() throws(ScenarioError) -> Bool {
        guard case .scalar(let s) = node, tagName == .bool, let b = CoreSchema.bool(s.string) else {
            throw error("expected true or false, got \(kind)")
        }
        return b
    }

    /// A declared name: non-empty text with no control characters (which would reach terminals raw).
    func name() throws(ScenarioError) -> String {
        let n = try string()
        guard !n.isEmpty, !n.allSatisfy(\.isWhitespace) else { throw error("name must not be empty") }
        if let c = Scenario.controlCharacter(in: n) { throw error(Scenario.controlCharacterMessage(c)) }
        return n
    }

    /// The elements of a list, each with its indexed path.
    func list() throws(ScenarioError) -> [NodeReader] {
        guard case .sequence(let seq) = node else { throw error("expected a list, got \(kind)") }
        return seq.enumerated().map { NodeReader(node: $1, path: FieldPath.index(path, $0)) }
    }

    /// A list of numbers.
    func doubles() throws(ScenarioError) -> [Double] {
        var out: [Double] = []
        for element in try list() { out.append(try element.double()) }
        return out
    }

    /// A list of strings.
    func strings() throws(ScenarioError) -> [String] {
        var out: [String] = []
        for element in try list() { out.append(try element.string()) }
        return out
    }

    /// A mapping whose keys are free (names), in file order.
    func entries() throws(ScenarioError) -> [(key: String, value: NodeReader)] {
        guard case .mapping(let map) = node else { throw error("expected a map, got \(kind)") }
        var out: [(key: String, value: NodeReader)] = []
        var seen: Set<String> = []
        var merged: [Node] = []
        for (k, v) in map {
            guard case .scalar(let ks) = k else { throw error("a key must be a plain word, got \(NodeReader(node: k, path: path).kind)") }
            let key = ks.string
            if key == "<<", ks.style == .plain || ks.style == .any {
                // YAML merge key: lets a file reuse a block through an anchor (`<<: *base`).
                switch v {
                case .mapping: merged.append(v)
                case .sequence(let maps): merged.append(contentsOf: maps)
                default: throw ScenarioError(path: FieldPath.key(path, key), message: "a merge key takes an anchored map (<<: *name)")
                }
                continue
            }
            guard seen.insert(key).inserted else {
                throw ScenarioError(path: FieldPath.key(path, key), message: "duplicate key '\(key)'")
            }
            out.append((key, NodeReader(node: v, path: FieldPath.key(path, key))))
        }
        // Explicit keys win over merged ones, and earlier merged maps over later ones (YAML 1.1).
        for m in merged {
            for (key, value) in try NodeReader(node: m, path: path).entries() where seen.insert(key).inserted {
                out.append((key, value))
            }
        }
        return out
    }

    /// A mapping with the fields of `table`: any other key is an error that names it.
    func fields(_ table: FieldTable) throws(ScenarioError) -> FieldReader {
        try fields(table.names)
    }

    /// A mapping with a fixed set of field names: any other key is an error that names it (all
    /// of them, when there are several).
    func fields(_ known: [String]) throws(ScenarioError) -> FieldReader {
        var problems = ScenarioProblems()
        let reader = try fields(known, problems: &problems)
        if let error = problems.error { throw error }
        return reader
    }

    /// The known fields of a mapping; each unknown key is recorded in `problems` instead of
    /// stopping, so the rest of the block is still read and its problems reported too.
    func fields(_ known: [String], problems: inout ScenarioProblems) throws(ScenarioError) -> FieldReader {
        let all = try entries()
        for (key, value) in all where !known.contains(key) {
            var message = "unknown field '\(key)'"
            if let guess = closest(to: key, in: known) { message += " (did you mean '\(guess)'?)" }
            message += "; known fields: \(known.joined(separator: ", "))"
            let error = ScenarioError(path: value.path, message: message)
            problems.check { () throws(ScenarioError) in throw error }
        }
        return FieldReader(path: path, entries: all.filter { known.contains($0.key) }, known: known)
    }
}

/// The fields of a mapping already checked against its known keys.
struct FieldReader {
    let path: String
    let entries: [(key: String, value: NodeReader)]
    /// The table's names: reading any other key is a loader bug (the schema would miss it).
    let known: [String]

    /// The field, or nil if it is absent or explicitly null (`jumps: ~` means no jumps).
    func optional(_ key: String) -> NodeReader? {
        precondition(known.contains(key), "field '\(key)' is read but not in its table")
        guard let v = entries.first(where: { $0.key == key })?.value, !v.isNull else { return nil }
        return v
    }

    /// The field, which must be present and not null.
    func required(_ key: String) throws(ScenarioError) -> NodeReader {
        guard let v = optional(key) else {
            throw ScenarioError(path: FieldPath.key(path, key), message: "missing required field '\(key)'")
        }
        return v
    }

    func has(_ key: String) -> Bool { optional(key) != nil }
}

/// The known key nearest to a typo, if it is near enough to be a plausible intent.
func closest(to key: String, in known: [String]) -> String? {
    let a = Array(key.lowercased())
    var best: (String, Int)?
    for candidate in known {
        let d = editDistance(a, Array(candidate.lowercased()))
        if d <= max(1, min(3, candidate.count / 3)), best == nil || d < best!.1 { best = (candidate, d) }
    }
    return best?.0
}

/// Levenshtein distance counting an adjacent swap as one edit (`ratoi` is one edit from `ratio`).
private func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { d[i][0] = i }
    for j in 0...b.count { d[0][j] = j }
    for i in 1...a.count {
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
            }
        }
    }
    return d[a.count][b.count]
}
