import Foundation

/// An output folder whose files are replaced whole or not at all.
///
/// Files are first written into a staging folder inside the output folder (same file system),
/// then each is renamed over its final name, which POSIX makes atomic. A run that fails before
/// the renames leaves the folder as it was; a reader never sees a half-written file.
public struct OutputDirectory: Sendable {
    public let url: URL

    /// A problem with the output folder, naming it.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public init(path: String) {
        url = URL(fileURLWithPath: path, isDirectory: true)
    }

    /// Creates the folder if needed and checks that files can be written there, before any work.
    public func prepare() throws(Failure) {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw Failure(description: "--out \(url.path): exists and is not a folder")
            }
        } else {
            do {
                try fm.createDirectory(at: url, withIntermediateDirectories: true)
            } catch {
                throw Failure(description: "--out \(url.path): cannot create the folder (\(Self.reason(error)))")
            }
        }
        guard fm.isWritableFile(atPath: url.path) else {
            throw Failure(description: "--out \(url.path): the folder is not writable")
        }
        let probe = url.appendingPathComponent(".restake-risk-probe-\(getpid())")
        guard fm.createFile(atPath: probe.path, contents: Data()) else {
            throw Failure(description: "--out \(url.path): cannot write files in the folder")
        }
        try? fm.removeItem(at: probe)
    }

    /// Writes every file, all or none: on any error nothing new is left in the folder.
    public func write(_ files: [(name: String, contents: Data)]) throws(Failure) {
        let fm = FileManager.default
        let staging = url.appendingPathComponent(".restake-risk-staging-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try fm.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw Failure(description: "--out \(url.path): cannot write there (\(Self.reason(error)))")
        }
        defer { try? fm.removeItem(at: staging) }
        for file in files {
            let target = staging.appendingPathComponent(file.name)
            do {
                try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
                try file.contents.write(to: target)
            } catch {
                throw Failure(description: "--out \(url.path): writing \(file.name) failed (\(Self.reason(error)))")
            }
        }
        for file in files {
            let from = staging.appendingPathComponent(file.name)
            let to = url.appendingPathComponent(file.name)
            try? fm.createDirectory(at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
            if rename(from.path, to.path) != 0 {
                throw Failure(description: "--out \(url.path): moving \(file.name) into place failed (\(String(cString: strerror(errno))))")
            }
        }
    }

    static func reason(_ error: any Error) -> String {
        (error as NSError).localizedFailureReason ?? (error as NSError).localizedDescription
    }
}
