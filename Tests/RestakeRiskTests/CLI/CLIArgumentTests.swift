import Foundation
import Testing

/// Every flag is checked with a message naming it and the value; bad input exits 2 and writes
/// nothing (issue 11, defects 1 and 10; issue 12, CLI basics).
@Suite(.serialized) struct CLIArgumentTests {
    @Test(arguments: [["--paths", "-5"], ["--threads", "-5"], ["--samples", "-5"], ["--shard-index", "-5", "--shard-count", "2"],
                      ["--shard-count", "-5", "--shard-index", "0"], ["--paths", "0"], ["--threads", "0"]])
    func negativeAndZeroCountsNameTheFlag(arguments: [String]) throws {
        let temp = try TempFolder("neg")
        defer { temp.remove() }
        let r = try CLI.run(["simulate"] + arguments + ["--out", temp.path("out")])
        #expect(r.status == 2, "\(arguments): \(r.stderr)")
        #expect(!r.stderr.contains("Missing value"), "\(r.stderr)")
        #expect(r.stderr.contains(arguments[0] + ":"), "names the flag: \(r.stderr)")
        #expect(r.stderr.contains("got \(arguments[1])"), "gives the value: \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: temp.path("out")), "nothing written")
    }

    @Test func negativeSeedSaysSo() throws {
        let r = try CLI.run(["simulate", "--seed", "-5", "--out", "/nonexistent-never"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--seed: must be 0 or more, got -5"), "\(r.stderr)")
    }

    @Test func hugePathCountIsRefusedWithoutOverflow() throws {
        let r = try CLI.run(["simulate", "--paths", "9223372036854775807", "--out", "/nonexistent-never"])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("--paths"), "\(r.stderr)")
        #expect(!r.stderr.contains("Fatal error"), "\(r.stderr)")
    }

    @Test func tooMuchMemoryIsRefusedBeforeAllocating() throws {
        let temp = try TempFolder("memory")
        defer { temp.remove() }
        let r = try CLI.run(["simulate", "--paths", "1e12", "--out", temp.path("out")])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("needs about") && r.stderr.contains("per-path columns"), "names the driver: \(r.stderr)")
        let small = try CLI.run(["simulate", "--paths", "3000", "--max-memory", "1M", "--out", temp.path("out")])
        #expect(small.status == 2, "a 1 MB limit refuses even a small run: \(small.stderr)")
        #expect(small.stderr.contains("--max-memory 1.0 MB"), "\(small.stderr)")
        #expect(!FileManager.default.fileExists(atPath: temp.path("out")))
    }

    @Test func selfcheckRefusesZeroAndTooFewPaths() throws {
        for arguments in [["--paths", "0"], ["--threads", "0"], ["--paths", "1"]] {
            let r = try CLI.run(["selfcheck"] + arguments)
            #expect(r.status == 2, "\(arguments): \(r.stderr)")
            #expect(!r.stdout.contains("ok"), "\(arguments) must not print ok: \(r.stdout)")
            #expect(!r.stderr.contains("Fatal error"), "\(r.stderr)")
        }
    }

    @Test func mistypedCommandGetsASuggestion() throws {
        let r = try CLI.run(["valdiate", "x.yaml"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("did you mean 'validate'"), "\(r.stderr)")
    }

    @Test func versionFlagAndCommandAgree() throws {
        let flag = try CLI.run(["--version"])
        let command = try CLI.run(["version"])
        #expect(flag.status == 0 && command.status == 0)
        #expect(!flag.stdout.isEmpty)
        #expect(flag.stdout == command.stdout)
    }

    @Test func helpHasNoDoubledDefault() throws {
        let r = try CLI.run(["simulate", "--help"])
        #expect(r.status == 0)
        #expect(r.stdout.contains("all cores"))
        #expect(!r.stdout.contains("(default: all cores). (default:"), "\(r.stdout)")
    }

    @Test func errorsAreJSONWithFormatJSON() throws {
        let r = try CLI.run(["simulate", "--paths", "-5", "--format", "json", "--out", "/nonexistent-never"])
        #expect(r.status == 2)
        let object = try JSONSerialization.jsonObject(with: Data(r.stderr.utf8)) as? [String: Any]
        let error = try #require(object?["error"] as? [String: Any], "\(r.stderr)")
        #expect((error["message"] as? String)?.contains("must be positive") == true)
        #expect(error.keys.sorted() == ["column", "line", "message", "path"])
    }

    @Test func scenarioErrorsInJSONCarryTheFieldPath() throws {
        let temp = try TempFolder("json-path")
        defer { temp.remove() }
        let file = temp.path("bad.yaml")
        // Complete but for the horizon: required fields are read before ranges are checked.
        try "name: x\nhorizon_years: -1\nassets: [{name: ETH, price: 1, volatility: 0.5}]\nstrategies: [{name: s, asset: ETH, base_apr: 0.03}]\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["validate", file, "--format", "json"])
        #expect(r.status == 2, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stderr.utf8)) as? [String: Any]
        let error = try #require(object?["error"] as? [String: Any], "\(r.stderr)")
        #expect(error["path"] as? String == "horizon_years", "\(error)")
    }

    @Test func escapeSequencesInNamesAreNotPrintedRaw() throws {
        let temp = try TempFolder("escape")
        defer { temp.remove() }
        let file = temp.path("esc.yaml")
        try """
            name: "evil\\e]0;pwned\\a"
            horizon_years: 1
            steps_per_year: 12
            report_every_steps: 3
            assets:
              - {name: ETH, price: 3000, volatility: 0.7}
            strategies:
              - {name: "s\\e[31mred", asset: ETH, base_apr: 0.03}

            """.write(toFile: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["simulate", file, "--paths", "2000", "--out", temp.path("out"), "--quiet"])
        #expect(!r.stdout.contains("\u{1B}") && !r.stderr.contains("\u{1B}"), "raw ESC printed")
        #expect(r.status == 0 ? r.stdout.contains("\\u{1B}") : true, "\(r.stdout)\(r.stderr)")
    }

    /// `validate` and `simulate` read files the same way: both accept or both refuse.
    @Test(arguments: ["bom", "invalid-utf8", "device"])
    func validateAndSimulateAgreeOnAFile(kind: String) throws {
        let temp = try TempFolder("agree-\(kind)")
        defer { temp.remove() }
        let text = "name: x\nhorizon_years: 1\nsteps_per_year: 12\nreport_every_steps: 3\nassets:\n  - {name: ETH, price: 1, volatility: 0.5}\nstrategies:\n  - {name: s, asset: ETH, base_apr: 0.03}\n"
        let file: String
        switch kind {
        case "bom":
            file = temp.path("bom.yaml")
            try (Data([0xEF, 0xBB, 0xBF]) + Data(text.utf8)).write(to: URL(fileURLWithPath: file))
        case "invalid-utf8":
            file = temp.path("bad.yaml")
            try (Data(text.utf8) + Data([0xFF, 0xFE, 0x0A])).write(to: URL(fileURLWithPath: file))
        default:
            file = "/dev/zero"
        }
        let v = try CLI.run(["validate", file])
        let s = try CLI.run(["simulate", file, "--paths", "2000", "--threads", "1", "--out", temp.path("out"), "--quiet"])
        #expect((v.status == 0) == (s.status == 0), "validate \(v.status): \(v.stderr) / simulate \(s.status): \(s.stderr)")
        #expect(v.status == 0 || v.status == 2)
        if kind == "device" {
            #expect(v.stderr.contains("not a regular file"), "\(v.stderr)")
            #expect(!v.stderr.contains("permission"))
        }
    }

    @Test func emptyOutIsRefused() throws {
        let r = try CLI.run(["simulate", "--paths", "2000", "--out", ""])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--out \"\""), "\(r.stderr)")
    }

    @Test func outUnderAFileSaysSo() throws {
        let temp = try TempFolder("file-sub")
        defer { temp.remove() }
        _ = FileManager.default.createFile(atPath: temp.path("file"), contents: Data("x".utf8))
        let r = try CLI.run(["simulate", "--paths", "2000", "--out", temp.path("file") + "/sub"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("is a file, not a folder"), "\(r.stderr)")
        #expect(!r.stderr.contains("NSCocoaErrorDomain"))
    }

    @Test func schedulerEnvironmentIsIgnoredWithoutAuto() throws {
        let temp = try TempFolder("slurm")
        defer { temp.remove() }
        var env = ProcessInfo.processInfo.environment
        env["SLURM_ARRAY_TASK_ID"] = "1"; env["SLURM_ARRAY_TASK_COUNT"] = "4"; env["SLURM_ARRAY_TASK_MIN"] = "0"
        let whole = try CLI.run(["simulate", "--paths", "3000", "--threads", "1", "--out", temp.path("whole")], environment: env)
        #expect(whole.status == 0, "\(whole.stderr)")
        #expect(FileManager.default.fileExists(atPath: temp.path("whole/summary.json")), "a whole run")
        #expect(!FileManager.default.fileExists(atPath: temp.path("whole/shard.bin")))
        #expect(whole.stderr.contains("ignored"), "one-line note: \(whole.stderr)")
        let shard = try CLI.run(["simulate", "--paths", "5000", "--threads", "1", "--shard-count", "auto", "--out", temp.path("shard")], environment: env)
        #expect(shard.status == 0, "\(shard.stderr)")
        #expect(FileManager.default.fileExists(atPath: temp.path("shard/shard.bin")))
        #expect(shard.stderr.contains("shard 1 of 4"), "\(shard.stderr)")
    }
}
