/// A JSON document rendered with sorted keys and shortest round-trip numbers.
///
/// Hand-rolled rather than `JSONEncoder` so that the text is fixed by this file alone: keys
/// sorted, doubles in Swift's shortest round-trip form, a missing or non-finite number as `null`.
public indirect enum JSONValue: Sendable, Equatable {
    case number(Double?)
    case integer(Int64)
    case unsigned(UInt64)
    case string(String)
    case bool(Bool)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The document as indented text ending in a newline.
    public func rendered() -> String {
        var out = ""
        render(into: &out, indent: 0)
        out += "\n"
        return out
    }

    private func render(into out: inout String, indent: Int) {
        switch self {
        case .number(let x): out += NumberText.json(x)
        case .integer(let i): out += String(i)
        case .unsigned(let u): out += String(u)
        case .bool(let b): out += b ? "true" : "false"
        case .string(let s): out += Self.quoted(s)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            // Short arrays of scalars (confidence intervals) stay on one line.
            if items.count <= 4, items.allSatisfy({ if case .number = $0 { true } else { false } }) {
                out += "[" + items.map { v in var s = ""; v.render(into: &s, indent: 0); return s }
                    .joined(separator: ", ") + "]"
                return
            }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += String(repeating: "  ", count: indent + 1)
                item.render(into: &out, indent: indent + 1)
                out += i + 1 < items.count ? ",\n" : "\n"
            }
            out += String(repeating: "  ", count: indent) + "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{\n"
            let keys = members.keys.sorted()
            for (i, key) in keys.enumerated() {
                out += String(repeating: "  ", count: indent + 1) + Self.quoted(key) + ": "
                members[key]!.render(into: &out, indent: indent + 1)
                out += i + 1 < keys.count ? ",\n" : "\n"
            }
            out += String(repeating: "  ", count: indent) + "}"
        }
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// Number text for files: shortest round-trip, `.` as decimal point, nothing for a missing value.
public enum NumberText {
    /// The shortest text that reads back to the same double; empty for nil, NaN or infinity.
    public static func csv(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "" }
        return x.description
    }

    /// As `csv`, but `null` where there is no finite value.
    public static func json(_ x: Double?) -> String {
        guard let x, x.isFinite else { return "null" }
        return x.description
    }

    /// A level such as 0.99 as a key: `"0.99"`.
    public static func level(_ a: Double) -> String { a.description }
}
