internal import CYaml

/// Counts the nodes a YAML text expands to, from libyaml's event stream, refusing it as soon as
/// the count or the nesting passes its limit.
///
/// The event stream is read in constant stack and linear time whatever the aliases do; each
/// anchored node's expanded size is remembered, so an alias costs what it repeats (this is what
/// Yams' composer hashes for a complex key and what a merge key expands to). Syntax errors are
/// left to the composer, which reports them with their position.
enum YAMLBudget {
    static func check(_ text: String, limits: LoadLimits) throws(ScenarioError) {
        var text = text
        let result: ScenarioError? = text.withUTF8 { buffer in scan(buffer, limits: limits) }
        if let result { throw result }
    }

    private static func scan(_ buffer: UnsafeBufferPointer<UInt8>, limits: LoadLimits) -> ScenarioError? {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)

        // Sizes saturate at Int.max / 4 so that sums of bombs cannot overflow.
        let cap = Int.max / 4
        var sizes: [String: Int] = [:]
        // Open collections: their anchor and the nodes counted in them so far (itself included).
        var stack: [(anchor: String?, size: Int)] = []
        var total = 0
        var event = yaml_event_t()

        func add(_ size: Int, anchor: String?) -> ScenarioError? {
            if let anchor { sizes[anchor] = size }
            if !stack.isEmpty { stack[stack.count - 1].size = min(cap, stack[stack.count - 1].size + size) }
            return nil
        }
        func budgetError() -> ScenarioError {
            ScenarioError(path: "", message: "the YAML expands to more than \(limits.maxNodes) nodes (aliases and merge keys count every node they repeat): over the node budget of the loader")
        }

        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
            defer { yaml_event_delete(&event) }
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return nil
            case YAML_SCALAR_EVENT:
                total += 1
                if total > limits.maxNodes { return budgetError() }
                _ = add(1, anchor: string(event.data.scalar.anchor))
            case YAML_ALIAS_EVENT:
                let size = string(event.data.alias.anchor).flatMap { sizes[$0] } ?? 1
                total = min(cap, total + size)
                if total > limits.maxNodes { return budgetError() }
                _ = add(size, anchor: nil)
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                total += 1
                if total > limits.maxNodes { return budgetError() }
                guard stack.count < limits.maxDepth else {
                    return ScenarioError(path: "", message: "lists and maps are nested more than \(limits.maxDepth) deep (line \(event.start_mark.line + 1)): over the nesting limit of the loader")
                }
                let anchor = event.type == YAML_SEQUENCE_START_EVENT
                    ? string(event.data.sequence_start.anchor) : string(event.data.mapping_start.anchor)
                stack.append((anchor, 1))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let done = stack.popLast() else { return nil }
                _ = add(done.size, anchor: done.anchor)
            default:
                break
            }
        }
    }

    private static func string(_ p: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        guard let p else { return nil }
        return String(cString: p)
    }
}
