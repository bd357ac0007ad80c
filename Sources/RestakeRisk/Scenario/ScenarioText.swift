import Foundation

/// Turns a scenario file's bytes into text, the one way every command reads a scenario.
enum ScenarioText {
    /// Reads at most `limits.maxFileBytes + 1` bytes of `path`, so that a device such as
    /// `/dev/zero` or a pipe that never ends is refused after a bounded read.
    static func read(path: String, limits: LoadLimits) throws(ScenarioError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            let why = errno == ENOENT ? "no such file" : String(cString: strerror(errno))
            throw ScenarioError(path: "", message: "cannot read \(path): \(why)")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw ScenarioError(path: "", message: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        let kind = info.st_mode & S_IFMT
        if kind == S_IFDIR { throw ScenarioError(path: "", message: "cannot read \(path): it is a directory, not a scenario file") }
        let regular = kind == S_IFREG
        if regular, Int(info.st_size) > limits.maxFileBytes {
            throw ScenarioError(path: "", message: tooLarge(path, bytes: "\(info.st_size) bytes", limits: limits))
        }
        // The buffer starts at the file's size (one byte more, to see it end) and doubles up to
        // the limit, so reading a small file never touches the limit's worth of zeroed memory
        // (16 MiB of peak memory by default).
        let cap = limits.maxFileBytes + 1
        var bytes = [UInt8](repeating: 0, count: regular ? min(Int(info.st_size) + 1, cap) : min(1 << 16, cap))
        var count = 0
        while true {
            if count == bytes.count {
                guard bytes.count < cap else { break }
                bytes.append(contentsOf: repeatElement(0, count: min(bytes.count, cap - bytes.count)))
            }
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ScenarioError(path: "", message: "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            count += n
        }
        guard count <= limits.maxFileBytes else {
            let what = regular ? "more than \(limits.maxFileBytes) bytes"
                : "more than \(limits.maxFileBytes) bytes (it is not a regular file: a device or a pipe)"
            throw ScenarioError(path: "", message: tooLarge(path, bytes: what, limits: limits))
        }
        bytes.removeSubrange(count...)
        return bytes
    }

    private static func tooLarge(_ path: String, bytes: String, limits: LoadLimits) -> String {
        "\(path) has \(bytes), above the \(limits.maxFileBytes)-byte limit for a scenario file (raise the limit to load it)"
    }

    /// UTF-8 text from bytes: a byte-order mark is dropped; invalid UTF-8 and other encodings
    /// are refused with the offset of the first bad byte (a silent U+FFFD in a name would make
    /// two different names equal).
    static func decode(_ bytes: [UInt8], limits: LoadLimits) throws(ScenarioError) -> String {
        guard bytes.count <= limits.maxFileBytes else {
            throw ScenarioError(path: "", message: "the scenario has \(bytes.count) bytes, above the \(limits.maxFileBytes)-byte limit")
        }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if body.starts(with: [0xFF, 0xFE]) || body.starts(with: [0xFE, 0xFF]) {
            throw ScenarioError(path: "", message: "the file is UTF-16; save it as UTF-8")
        }
        if let bad = firstInvalidUTF8(body) {
            throw ScenarioError(path: "", message: "invalid UTF-8 at byte \(bad) (offset from the start of the file); save it as UTF-8")
        }
        if let nul = body.firstIndex(of: 0) {
            throw ScenarioError(path: "", message: "a NUL byte at byte \(nul): this is not a text file")
        }
        return String(decoding: body, as: UTF8.self)
    }

    /// The offset (in the original array) of the first byte that does not start or continue a
    /// valid UTF-8 sequence, or nil.
    static func firstInvalidUTF8(_ b: ArraySlice<UInt8>) -> Int? {
        var i = b.startIndex
        let end = b.endIndex
        while i < end {
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            let n: Int
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            switch c {
            case 0xC2...0xDF: n = 1
            case 0xE0: n = 2; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: n = 2
            case 0xED: n = 2; hi = 0x9F
            case 0xF0: n = 3; lo = 0x90
            case 0xF1...0xF3: n = 3
            case 0xF4: n = 3; hi = 0x8F
            default: return i
            }
            for k in 1...n {
                guard i + k < end else { return i }
                let cc = b[i + k]
                let (l, h) = k == 1 ? (lo, hi) : (UInt8(0x80), UInt8(0xBF))
                guard cc >= l, cc <= h else { return i + k }
            }
            i += n + 1
        }
        return nil
    }
}
