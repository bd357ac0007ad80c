import Foundation
import Testing

/// Runs the built `restake-risk` binary and captures what it prints.
enum CLI {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The binary next to the test bundle (`swift build --build-tests` builds it too), else the
    /// package's `.build/release/restake-risk`.
    static let binary: URL? = {
        var candidates: [URL] = []
        let bundle = Bundle.main.bundleURL
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("restake-risk"))
        candidates.append(bundle.appendingPathComponent("restake-risk"))
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/release/restake-risk"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// Starts the binary; the caller waits.
    static func start(_ arguments: [String], environment: [String: String]? = nil) throws -> (Process, Pipe, Pipe) {
        let binary = try #require(binary, "restake-risk binary not built")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var env = environment ?? ProcessInfo.processInfo.environment
        for key in ["SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN", "JOB_COMPLETION_INDEX"]
            where environment == nil { env[key] = nil }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    /// Runs the binary to its end.
    static func run(_ arguments: [String], environment: [String: String]? = nil) throws -> Outcome {
        let (process, out, err) = try start(arguments, environment: environment)
        // Read before waiting, so a full pipe never blocks the child.
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                       stderr: String(decoding: e, as: UTF8.self))
    }
}

/// A fresh folder for one test, removed by `remove()`.
struct TempFolder {
    let url: URL
    init(_ label: String) throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("restake-risk-cli-\(label)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
    func remove() { try? FileManager.default.removeItem(at: url) }

    /// Every file under `folder` (relative paths) with its contents, hidden files included.
    static func snapshot(_ folder: String) -> [String: Data] {
        var out: [String: Data] = [:]
        guard let e = FileManager.default.enumerator(atPath: folder) else { return out }
        while let name = e.nextObject() as? String {
            var isDir: ObjCBool = false
            let full = folder + "/" + name
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue {
                out[name] = FileManager.default.contents(atPath: full) ?? Data()
            }
        }
        return out
    }

    /// Entries of `folder` whose names start with `.restake-risk-staging` or `-previous`.
    static func leftovers(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasPrefix(".restake-risk-staging") || $0.hasPrefix(".restake-risk-previous") }
    }
}
