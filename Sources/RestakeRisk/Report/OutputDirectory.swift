import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An output folder replaced as a whole: after a write it holds exactly the new files, and if the
/// write fails or the process is interrupted it holds exactly what it held before.
///
/// The new files go into a complete staging folder beside the target (same file system), which
/// then takes the target's place in one atomic exchange (`renameat2(RENAME_EXCHANGE)` on Linux;
/// elsewhere a rename dance that never leaves a mixed folder). A lock file beside the target
/// (`flock`) keeps two processes writing the same folder from interleaving, and makes it safe to
/// remove what a killed process left behind (stale staging folders) before writing.
///
/// Every command that writes a folder goes through this type; `OutputDirectory.abandonAll()` is
/// what a signal handler calls.
public struct OutputDirectory: Sendable {
    /// The target folder.
    public let url: URL
    /// How long `write` waits for another process's lock before refusing.
    public var lockTimeout: Double = 30

    /// A problem with the output folder, naming it and saying what went wrong.
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public var description: String
        public init(description: String) { self.description = description }
    }

    /// Prefix of the staging folders beside the target; a stale one belongs to a killed run.
    static let stagingPrefix = ".restake-risk-staging-"
    /// Prefix of the lock file beside the target.
    static let lockPrefix = ".restake-risk-lock-"
    /// Where the rename dance keeps the previous folder while the new one moves in.
    static let previousPrefix = ".restake-risk-previous-"

    /// The folder `path`; refuses an empty path, which would mean the current folder.
    ///
    /// - Parameter label: how messages name the folder to the user (e.g. the flag that gave it).
    public init(path: String, label: String = "output folder") throws(Failure) {
        guard !path.isEmpty else {
            throw Failure(description: "\(label) \"\": an empty path is not a folder; give a folder name")
        }
        let standardized = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
        guard standardized.path != "/" else {
            throw Failure(description: "\(label) /: the file system root cannot be replaced; give a folder inside it")
        }
        url = standardized
        self.label = label
    }

    let label: String
    var name: String { "\(label) \(url.path)" }
    var parent: URL { url.deletingLastPathComponent() }
    var baseName: String { url.lastPathComponent }

    /// Checks, before any work and without changing anything, that the folder can be written.
    ///
    /// The target must be a folder or not exist yet; its nearest existing ancestor must be a
    /// writable folder (no component may be a file).
    public func prepare() throws(Failure) {
        var info = stat()
        if lstat(url.path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFDIR else {
                throw Failure(description: "\(name): exists and is not a folder")
            }
        }
        var ancestor = parent
        while true {
            if stat(ancestor.path, &info) == 0 {
                guard (info.st_mode & S_IFMT) == S_IFDIR else {
                    throw Failure(description: "\(name): \(ancestor.path) is a file, not a folder")
                }
                guard access(ancestor.path, W_OK | X_OK) == 0 else {
                    throw Failure(description: "\(name): \(ancestor.path) is not writable (\(Self.errnoText()))")
                }
                return
            }
            guard errno == ENOENT else {
                throw Failure(description: "\(name): cannot look at \(ancestor.path) (\(Self.errnoText()))")
            }
            let up = ancestor.deletingLastPathComponent()
            if up.path == ancestor.path { return }
            ancestor = up
        }
    }

    /// Replaces the folder's contents with exactly `files`, all or nothing.
    ///
    /// Names may contain `/` for files in subfolders. Waits up to `lockTimeout` seconds for
    /// another process writing the same folder, then refuses.
    public func write(_ files: [(name: String, contents: Data)]) throws(Failure) {
        precondition(Set(files.map(\.name)).count == files.count, "a file name given twice")
        try prepare()
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "\(name): cannot create \(parent.path) (\(Self.reason(error)))")
        }
        let lock = try Lock(url: parent.appendingPathComponent(Self.lockPrefix + baseName), owner: name,
                            timeout: lockTimeout)
        defer { lock.release() }
        try removeLeftovers()

        let staging = parent.appendingPathComponent(
            "\(Self.stagingPrefix)\(baseName)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try StagingRegistry.shared.begin(staging)
        defer { StagingRegistry.shared.end(staging) }
        guard mkdir(staging.path, 0o755) == 0 else {
            throw Failure(description: "\(name): cannot create a staging folder in \(parent.path) (\(Self.errnoText()))")
        }
        do {
            for file in files {
                try StagingRegistry.shared.whileActive(staging) { () throws(Failure) in
                    try Self.writeFile(file.contents, to: staging.appendingPathComponent(file.name), name: name)
                }
            }
            try StagingRegistry.shared.whileActive(staging) { () throws(Failure) in
                try swapIn(staging)
            }
        } catch {
            Self.removeTree(staging.path)
            throw error
        }
    }

    /// Writes one file and flushes it to disk, so the swap never publishes a file still in a cache.
    static func writeFile(_ contents: Data, to url: URL, name: String) throws(Failure) {
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "\(name): cannot create \(folder.lastPathComponent) (\(reason(error)))")
        }
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw Failure(description: "\(name): cannot write \(url.lastPathComponent) (\(errnoText()))")
        }
        defer { close(fd) }
        let failed: Int32? = contents.withUnsafeBytes { raw -> Int32? in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return errno }
                offset += n
            }
            return fsync(fd) == 0 ? nil : errno
        }
        if let failed {
            throw Failure(description: "\(name): writing \(url.lastPathComponent) failed (\(String(cString: strerror(failed))))")
        }
    }

    /// Removes staging folders of killed runs and undoes a rename dance a kill interrupted.
    ///
    /// Called with the lock held, so no live process owns what it removes.
    func removeLeftovers() throws(Failure) {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        for entry in entries where entry.hasPrefix("\(Self.stagingPrefix)\(baseName)-") {
            let suffix = entry.dropFirst(Self.stagingPrefix.count + baseName.count + 1)
            // Only names this type makes (pid-random): never a user's folder that merely shares a prefix.
            guard suffix.split(separator: "-").count == 2, suffix.allSatisfy({ $0.isNumber || $0 == "-" }) else { continue }
            Self.removeTree(parent.appendingPathComponent(entry).path)
        }
        let previous = parent.appendingPathComponent(Self.previousPrefix + baseName)
        if FileManager.default.fileExists(atPath: previous.path) {
            if FileManager.default.fileExists(atPath: url.path) {
                Self.removeTree(previous.path)
            } else if rename(previous.path, url.path) != 0 {
                throw Failure(description: "\(name): cannot restore the previous folder from \(previous.path) (\(Self.errnoText()))")
            }
        }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }

    static func reason(_ error: any Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return ns.localizedFailureReason ?? ns.localizedDescription
    }

    /// Removes a folder and everything in it; quietly does nothing if it is gone.
    static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }
}
