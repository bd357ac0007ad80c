import Foundation
import RestakeRisk

/// Text bound for a terminal, with control characters made visible.
enum Terminal {
    /// `s` with every control character (C0, DEL, C1) written as `\u{XX}`, so a scenario name
    /// holding an escape sequence can never move the cursor, recolour or retitle the terminal.
    static func safe(_ s: String) -> String {
        TerminalText.escaped(s)
    }

    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Writes a line to stderr.
    static func note(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

extension Terminal {
    /// The width the table may use: the terminal's when stdout is one, `COLUMNS` when set, else 100.
    static var width: Int {
        if isatty(STDOUT_FILENO) == 1 {
            var size = winsize()
            if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col >= 40 { return Int(size.ws_col) }
        }
        if let text = ProcessInfo.processInfo.environment["COLUMNS"], let n = Int(text), n >= 40 { return n }
        return 100
    }
}
