import ArgumentParser
import Foundation

/// `report`: one self-contained HTML page (figures embedded) for a run or sweep folder, drawn by
/// the project's Python plotting module (`notebooks/restake_plots`, the one the notebook uses).
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a self-contained HTML report (figures embedded) of a run or sweep folder.",
        discussion: """
            RUN_DIR is a folder written by `simulate`, `merge`, `sweep` or `sensitivity`: the report \
            draws every figure its files allow (fan, distributions, VaR/ES with intervals, \
            attribution, risk against return, shared minus isolated, timeline, sweep curves, \
            tornado) and lists what it could not. The figures come from the project's venv \
            (`make plots-venv`): Python is RESTAKE_RISK_PYTHON if set, else .venv/bin/python under \
            the project root (RESTAKE_RISK_ROOT, or the folder holding notebooks/restake_plots \
            found from the current folder or the executable upwards).
            """)

    @Argument(help: "Run or sweep folder.")
    var runDir: String

    @Option(help: "HTML file to write (default: RUN_DIR/report.html).")
    var out: String?

    @Flag(help: "Print only the path written.")
    var quiet = false

    static let runFiles = ["summary.json", "summary.csv", "fan.csv", "timeline.csv", "distribution.csv",
                           "attribution.csv", "samples.csv", "sweep.csv", "sensitivity.csv"]
    static let module = "notebooks/restake_plots/report.py"

    func run() throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: runDir, isDirectory: &isDir), isDir.boolValue else {
            throw fail("\(runDir): no such folder")
        }
        let present = Self.runFiles.filter { fm.fileExists(atPath: (runDir as NSString).appendingPathComponent($0)) }
        guard !present.isEmpty else {
            throw fail("\(runDir) is not a restake-risk run folder: it holds none of \(Self.runFiles.joined(separator: ", ")) (make one with `restake-risk simulate --out DIR`)")
        }
        guard let root = Self.projectRoot() else {
            throw fail("cannot find the plotting module (\(Self.module)): run from inside the restake-risk project, or set RESTAKE_RISK_ROOT to its folder")
        }
        let env = ProcessInfo.processInfo.environment
        let python: String
        if let p = env["RESTAKE_RISK_PYTHON"], !p.isEmpty {
            python = p
        } else {
            python = root.appendingPathComponent(".venv/bin/python").path
        }
        guard fm.isExecutableFile(atPath: python) else {
            throw fail("no Python at \(python): create the venv with `make plots-venv` in \(root.path) (or set RESTAKE_RISK_PYTHON)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        var args = ["-m", "restake_plots", runDir]
        if let out { args += ["--out", out] }
        if quiet { args.append("--quiet") }
        process.arguments = args
        var childEnv = env
        let notebooks = root.appendingPathComponent("notebooks").path
        childEnv["PYTHONPATH"] = [notebooks, env["PYTHONPATH"]].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ":")
        childEnv["MPLBACKEND"] = "Agg"
        process.environment = childEnv
        do {
            try process.run()
        } catch {
            throw fail("cannot run \(python): \(error.localizedDescription); recreate the venv with `make plots-venv`")
        }
        process.waitUntilExit()
        switch process.terminationStatus {
        case 0:
            return
        case 2:
            throw ExitCode(2)  // the module said why (not a run folder, a malformed file)
        case 3:
            throw ExitCode(2)  // a dependency is missing: the module named it and `make plots-venv`
        default:
            throw fail("the report failed (\(python) -m restake_plots exited with \(process.terminationStatus))")
        }
    }

    /// The project root: RESTAKE_RISK_ROOT, else the first folder holding the plotting module
    /// from the current folder upwards, else from the executable's folder upwards.
    static func projectRoot() -> URL? {
        let fm = FileManager.default
        func holds(_ url: URL) -> Bool { fm.fileExists(atPath: url.appendingPathComponent(module).path) }
        if let r = ProcessInfo.processInfo.environment["RESTAKE_RISK_ROOT"], !r.isEmpty {
            let url = URL(fileURLWithPath: r)
            return holds(url) ? url : nil
        }
        var starts = [URL(fileURLWithPath: fm.currentDirectoryPath)]
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        starts.append(exe.deletingLastPathComponent())
        if let path = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            starts.append(path.deletingLastPathComponent())
        }
        for start in starts {
            var dir = start.standardizedFileURL
            while true {
                if holds(dir) { return dir }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        return nil
    }
}
