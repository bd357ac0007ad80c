import Yams

/// YAML 1.2 core-schema scalars, replacing Yams' YAML 1.1 defaults.
///
/// YAML 1.1 reads `1:00` as 60 (base 60), `010` as 8, `yes`/`on` as booleans and `2024-04-24` as
/// a date; a scenario author means none of these, and a silent 60 where 1.00 was meant is a
/// wrong risk figure. MODEL.md asks for decimal numbers only.
enum CoreSchema {
    /// Resolves plain scalars by the core schema (no base 60, no timestamps, `<<` still a merge key).
    static let resolver: Resolver = {
        // swiftlint:disable:next force_try
        try! Resolver.basic
            .appending(.bool, "^(?:true|True|TRUE|false|False|FALSE)$")
            .appending(.int, "^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
            .appending(.float, "^(?:[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$")
            .appending(.merge, "^(?:<<)$")
            .appending(.null, "^(?:~|null|Null|NULL|)$")
    }()

    /// The number a core-schema int or float spells, or nil (infinities and NaN come back as such
    /// so that the caller can say "must be finite").
    static func number(_ text: String) -> Double? {
        let t = Substring(text)
        switch t {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        if t.hasPrefix("0x") { return UInt64(t.dropFirst(2), radix: 16).map(Double.init) }
        if t.hasPrefix("0o") { return UInt64(t.dropFirst(2), radix: 8).map(Double.init) }
        guard isDecimal(t) else { return nil }
        return Double(String(t))
    }

    /// `[-+]? (. digits | digits (. digits?)?) ([eE] [-+]? digits)?`, checked by hand because
    /// `Double(String)` also takes `inf`, `nan` and hexadecimal floats.
    private static func isDecimal(_ t: Substring) -> Bool {
        var i = t.utf8.startIndex
        let u = t.utf8
        func digits() -> Int {
            var n = 0
            while i < u.endIndex, (48...57).contains(u[i]) { n += 1; i = u.index(after: i) }
            return n
        }
        if i < u.endIndex, u[i] == 43 || u[i] == 45 { i = u.index(after: i) }
        let whole = digits()
        var fraction = 0
        if i < u.endIndex, u[i] == 46 { i = u.index(after: i); fraction = digits() }
        guard whole > 0 || fraction > 0 else { return false }
        if i < u.endIndex, u[i] == 101 || u[i] == 69 {
            i = u.index(after: i)
            if i < u.endIndex, u[i] == 43 || u[i] == 45 { i = u.index(after: i) }
            guard digits() > 0 else { return false }
        }
        return i == u.endIndex
    }

    static func bool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }
}
