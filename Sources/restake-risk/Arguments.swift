import ArgumentParser
import Foundation

/// Flag values read with messages that name the flag and the value.
///
/// Count options use `.unconditional` parsing, so `--paths -5` reaches these parsers instead of
/// swift-argument-parser reading `-5` as a flag and reporting "Missing value".
enum Arguments {
    /// Paths above this are refused before any arithmetic on them (10^12 paths would need
    /// terabytes; the resource estimate refuses far smaller runs on real machines).
    static let maximumPaths = 1_000_000_000_000
    static let maximumThreads = 4_096

    /// A whole number: digits with optional `_` separators, or a whole number in scientific
    /// notation such as `1e6`.
    static func wholeNumber(_ text: String, flag: String) throws -> Int {
        let trimmed = text.replacingOccurrences(of: "_", with: "")
        if let n = Int(trimmed) { return n }
        if trimmed.lowercased().contains("e"), let x = Double(trimmed), x.isFinite, x == x.rounded() {
            guard abs(x) <= Double(maximumPaths) else {
                throw ValidationError("\(flag) \(Terminal.safe(text)): too large (at most \(maximumPaths))")
            }
            return Int(x)
        }
        if trimmed.allSatisfy({ $0.isNumber || $0 == "-" || $0 == "+" }) && !trimmed.isEmpty {
            throw ValidationError("\(flag) \(Terminal.safe(text)): too large (at most \(maximumPaths))")
        }
        throw ValidationError("\(flag) \(Terminal.safe(text)): not a whole number")
    }

    static func paths(_ text: String) throws -> Int {
        let n = try wholeNumber(text, flag: "--paths")
        guard n >= 1 else { throw ValidationError("--paths: must be positive, got \(n)") }
        guard n <= maximumPaths else { throw ValidationError("--paths: at most \(maximumPaths), got \(n)") }
        return n
    }

    static func threads(_ text: String) throws -> Int {
        let n = try wholeNumber(text, flag: "--threads")
        guard n >= 1 else { throw ValidationError("--threads: must be positive, got \(n)") }
        guard n <= maximumThreads else { throw ValidationError("--threads: at most \(maximumThreads), got \(n)") }
        return n
    }

    static func samples(_ text: String) throws -> Int {
        let n = try wholeNumber(text, flag: "--samples")
        guard n >= 0 else { throw ValidationError("--samples: must be 0 or more, got \(n)") }
        return n
    }

    static func seed(_ text: String) throws -> UInt64 {
        let trimmed = text.replacingOccurrences(of: "_", with: "")
        if let n = UInt64(trimmed) { return n }
        if let n = Int(trimmed), n < 0 { throw ValidationError("--seed: must be 0 or more, got \(n)") }
        throw ValidationError("--seed \(Terminal.safe(text)): not a whole number from 0 to \(UInt64.max)")
    }

    /// A shard index or count: a number, or `auto` to take it from the scheduler's environment.
    enum Shard: Equatable {
        case auto
        case value(Int)
    }

    static func shard(_ text: String, flag: String, minimum: Int) throws -> Shard {
        if text == "auto" { return .auto }
        let n = try wholeNumber(text, flag: flag)
        guard n >= minimum else {
            throw ValidationError("\(flag): must be \(minimum == 0 ? "0 or more" : "positive") (or auto), got \(n)")
        }
        return .value(n)
    }

    /// A memory size: bytes, or a number with K, M, G or T (powers of 1000; KiB, MiB, GiB, TiB
    /// for powers of 1024).
    static func memory(_ text: String, flag: String = "--max-memory") throws -> Double {
        let units: [(String, Double)] = [("KiB", 1024), ("MiB", 1_048_576), ("GiB", 1_073_741_824), ("TiB", 1_099_511_627_776),
                                         ("KB", 1e3), ("MB", 1e6), ("GB", 1e9), ("TB", 1e12),
                                         ("K", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("B", 1)]
        var number = text.trimmingCharacters(in: .whitespaces)
        var scale = 1.0
        for (suffix, factor) in units where number.uppercased().hasSuffix(suffix.uppercased()) {
            number = String(number.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            scale = factor
            break
        }
        guard let x = Double(number), x.isFinite, x > 0 else {
            throw ValidationError("\(flag) \(Terminal.safe(text)): give a positive size such as 8G, 512M or 2GiB")
        }
        return x * scale
    }
}
