/// Names and messages made safe to print on a terminal.
public enum TerminalText {
    /// `s` with every control character (C0 but newline, DEL, C1) written as `\u{XX}`: an escape
    /// sequence in a scenario name then shows as text instead of acting on the terminal.
    public static func escaped(_ s: String, keepNewlines: Bool = true) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            let v = scalar.value
            if (v < 0x20 && !(keepNewlines && v == 0x0A)) || (0x7F...0x9F).contains(v)
                || v == 0x2028 || v == 0x2029 || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) {
                out += "\\u{" + String(v, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
