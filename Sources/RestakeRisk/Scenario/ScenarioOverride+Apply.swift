import Yams

extension ScenarioOverride {
    /// The value as a node (an empty value is null: the field is then absent).
    func valueNode(limits: LoadLimits) throws(ScenarioError) -> Node {
        let text = value.trimmingCharacters(in: .whitespaces)
        if text.isEmpty { return Node("~", Tag(.null)) }
        do {
            return try ScenarioDocument.compose(text, limits: limits)
        } catch {
            throw ScenarioError(path: path, message: "bad value '\(value)': \(error.message)")
        }
    }

    /// The document with this override's field replaced (maps on the way are created if absent).
    func apply(to root: Node, limits: LoadLimits) throws(ScenarioError) -> Node {
        try set(in: root, components[...], value: valueNode(limits: limits), written: "")
    }

    private func set(in node: Node, _ rest: ArraySlice<Component>, value: Node, written: String) throws(ScenarioError) -> Node {
        guard let c = rest.first else { return value }
        let tail = rest.dropFirst()
        switch (c, node) {
        case (.key(let k), .mapping), (.selector(let k), .mapping):
            let here = c == .key(k) ? FieldPath.key(written, k) : written + "[\(k)]"
            return try setKey(k, in: node, tail, value: value, written: here)
        case (.key(let k), .scalar) where NodeReader(node: node, path: "").isNull:
            // An absent block (`exit:` with nothing, or a new one): start it empty.
            return try setKey(k, in: Node([(Node, Node)]()), tail, value: value, written: FieldPath.key(written, k))
        case (.selector(let s), .sequence(var seq)):
            let here = written + "[\(s)]"
            let i: Int
            if let index = Int(s) {
                guard index >= 0, index < seq.count else {
                    throw ScenarioError(path: here, message: "index \(index) is out of range: \(written) has \(seq.count) element\(seq.count == 1 ? "" : "s")")
                }
                i = index
            } else {
                let names = seq.map { ScenarioOverride.name(of: $0) }
                guard let found = names.firstIndex(of: s) else {
                    let known = names.compactMap { $0 }
                    var message = "no element named '\(s)' in \(written)"
                    if let guess = closest(to: s, in: known) { message += " (did you mean '\(guess)'?)" }
                    throw ScenarioError(path: here, message: message + (known.isEmpty ? "" : "; names: \(known.joined(separator: ", "))"))
                }
                i = found
            }
            seq[i] = try set(in: seq[i], tail, value: value, written: FieldPath.index(written, i))
            return .sequence(seq)
        case (.key(let k), _):
            throw ScenarioError(path: FieldPath.key(written, k), message: "\(written.isEmpty ? "the document" : written) is \(NodeReader(node: node, path: written).kind), not a map: it has no field '\(k)'")
        case (.selector(let s), _):
            throw ScenarioError(path: written + "[\(s)]", message: "\(written) is \(NodeReader(node: node, path: written).kind), not a list or a map")
        }
    }

    private func setKey(_ k: String, in node: Node, _ tail: ArraySlice<Component>, value: Node, written: String) throws(ScenarioError) -> Node {
        guard case .mapping(var map) = node else { return node }
        if let i = map.firstIndex(where: { $0.key.string == k }) {
            let old = map[i]
            map[i] = (old.key, try set(in: old.value, tail, value: value, written: written))
            return .mapping(map)
        }
        // Not explicit: start from a merged (`<<: *base`) value if there is one, so a deep edit
        // keeps the rest of the shared block; the explicit key then wins over the merge.
        let base = ScenarioOverride.merged(k, in: map) ?? Node("~", Tag(.null))
        let new = try set(in: base, tail, value: value, written: written)
        var pairs = map.map { ($0.key, $0.value) }
        pairs.append((Node(k), new))
        return .mapping(Node.Mapping(pairs, map.tag, map.style, map.mark))
    }

    /// The `name` of a list element (explicit or merged), if it has one.
    static func name(of node: Node) -> String? {
        guard case .mapping(let map) = node else { return nil }
        if let n = map.first(where: { $0.key.string == "name" })?.value.scalar?.string { return n }
        return merged("name", in: map)?.scalar?.string
    }

    /// The value of `key` brought in by merge keys (`<<: *a` or `<<: [*a, *b]`), earlier maps first.
    static func merged(_ key: String, in map: Node.Mapping) -> Node? {
        for (k, v) in map where k.string == "<<" {
            let sources: [Node]
            switch v {
            case .mapping: sources = [v]
            case .sequence(let s): sources = Array(s)
            default: continue
            }
            for case .mapping(let m) in sources {
                if let found = m.first(where: { $0.key.string == key })?.value ?? merged(key, in: m) { return found }
            }
        }
        return nil
    }
}
