import Foundation
import Testing
@testable import RestakeRisk

/// The terminal table fits its width, shows one level per block, and warns where its numbers
/// cannot be trusted (issue 12, item 1).
@Suite struct TableTests {
    static let small: ShardFixtures.Loaded = try! ShardFixtures.Loaded(ShardFixtures.small)

    static func report(paths: Int, text: String = ShardFixtures.small, alphas: [Double] = []) throws -> RunReport {
        let loaded = try ShardFixtures.Loaded(text)
        let result = Simulation.run(model: loaded.model, seed: 3, paths: paths, blocks: nil, threads: 1)
        return RunReport(scenarioName: loaded.scenario.name, model: loaded.model, result: result, seed: 3,
                         extraAlphas: alphas)
    }

    @Test func everyLineFitsOneHundredColumns() throws {
        let table = try Self.report(paths: 20_000).table()
        let widest = table.split(separator: "\n").map(\.count).max() ?? 0
        #expect(widest <= 100, "widest line \(widest):\n\(table)")
        #expect(table.contains("loss at 99%"))
        #expect(table.contains("loss at 99.9%"), "20,000 paths leave 20 beyond the 99.9% VaR")
        #expect(table.contains("VaR: the loss exceeded"), "legend")
    }

    @Test func fewPathsGetASmallTailWarningAndNoExtraLevel() throws {
        let table = try Self.report(paths: 500).table()
        #expect(!table.contains("loss at 99.9%"), "500 paths leave none beyond the 99.9% VaR")
        #expect(table.contains("warning: only 5 paths lie beyond the 99% VaR"), "\(table)")
    }

    @Test func alphaChoosesTheBlocksLevel() throws {
        let table = try Self.report(paths: 4_000, alphas: [0.975]).table(alpha: 0.975)
        #expect(table.contains("loss at 97.5%"), "\(table)")
        #expect(!table.contains("loss at 99%"))
    }

    @Test func shortHorizonsShowHorizonReturnAndDays() throws {
        let text = ShardFixtures.small.replacingOccurrences(of: "horizon_years: 1\nsteps_per_year: 12\nreport_every_steps: 3",
                                                             with: "horizon_years: 0.0821917808219178\nsteps_per_year: 365\nreport_every_steps: 10")
        #expect(text != ShardFixtures.small)
        let table = try Self.report(paths: 2_000, text: text).table()
        #expect(table.contains("30 days"), "\(table)")
        #expect(!table.contains("0.0821917808219178"))
        #expect(table.contains("ret. mean") && !table.contains("ann. mean"), "\(table)")
    }

    @Test func longNamesAreNeverCut() throws {
        let long = String(repeating: "very-long-strategy-name-", count: 4) + "end"
        let text = ShardFixtures.small.replacingOccurrences(of: "name: native", with: "name: \(long)")
        let table = try Self.report(paths: 2_000, text: text).table(width: 100)
        #expect(table.contains(long))
        #expect((table.split(separator: "\n").map(\.count).max() ?? 0) <= max(100, long.count))
    }

    @Test func helpersFormatForPeople() {
        #expect(RunReport.horizonText(1) == "1 year")
        #expect(RunReport.horizonText(10) == "10 years")
        #expect(RunReport.horizonText(1.0 / (365 * 24)) == "1 hour")
        #expect(RunReport.percent(1e88) == "1.00e+90%", "never a 90-digit number")
        #expect(RunReport.percent(nil) == "-")
        #expect(RunReport.levelText(0.999) == "99.9%")
    }

    @Test func controlCharactersAreEscaped() {
        #expect(TerminalText.escaped("a\u{1B}[31mb") == "a\\u{1B}[31mb")
        #expect(TerminalText.escaped("plain") == "plain")
    }
}

/// `summary.csv` holds every strategy number of `summary.json`, one per row (issue 12, item 3).
@Suite struct SummaryCSVTests {
    @Test func everyNumberOfSummaryJSONHasARow() throws {
        var report = try TableTests.report(paths: 3_000)
        report.provenance = .init(version: "test", scenarioSHA256: "abc", command: "restake-risk simulate")
        let csv = report.summaryCSV()
        let lines = csv.split(separator: "\n")
        #expect(lines.first == "strategy,metric,alpha,value,ci_lo,ci_hi,se")
        #expect(lines.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 7 })
        let json = try JSONSerialization.jsonObject(with: Data(report.summaryJSON().utf8)) as! [String: Any]
        let strategies = json["strategies"] as! [String: Any]
        func count(_ x: Any) -> Int {
            if let d = x as? [String: Any] { return d.values.map(count).reduce(0, +) }
            if let a = x as? [Any] { return a.count == 2 ? 0 : a.map(count).reduce(0, +) }   // a VaR interval rides on its VaR
            return 1
        }
        // es_se values ride on their ES rows.
        let expected = strategies.values.map { s -> Int in
            let d = s as! [String: Any]
            let seCount = ((d["loss"] as! [String: Any])["es_se"] as! [String: Any]).count
                + ((d["slashing_loss"] as! [String: Any])["es_se"] as! [String: Any]).count
            return count(s) - seCount
        }.reduce(0, +)
        #expect(lines.count - 1 == expected)
        #expect(json["strategy_order"] as? [String] == ["native", "loop"])
        let provenance = json["provenance"] as? [String: Any]
        #expect(provenance?["scenario_sha256"] as? String == "abc")
        #expect(provenance?["overrides"] as? [String] == [], "no --set: an empty overrides list")
    }

    @Test func sha256MatchesAKnownAnswer() {
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    /// pandas and Polars read summary.csv with numeric columns (skipped without the notebook venv).
    @Test func pandasAndPolarsReadIt() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let python = root.appendingPathComponent(".venv/bin/python").path
        guard FileManager.default.isExecutableFile(atPath: python) else {
            print("skipped: no notebook venv at .venv (make plots-venv makes it)")
            return
        }
        let temp = try TempFolder("pandas")
        defer { temp.remove() }
        let file = temp.path("summary.csv")
        try TableTests.report(paths: 3_000).summaryCSV().write(toFile: file, atomically: true, encoding: .utf8)
        let script = """
            import sys, pandas as pd
            df = pd.read_csv(sys.argv[1])
            assert list(df.columns) == ["strategy","metric","alpha","value","ci_lo","ci_hi","se"], df.columns
            for c in ["alpha","value","ci_lo","ci_hi","se"]: assert df[c].dtype.kind == "f", (c, df[c].dtype)
            try:
                import polars as pl
            except ImportError:
                print("no polars"); sys.exit(0)
            p = pl.read_csv(sys.argv[1])
            for c in ["alpha","value","ci_lo","ci_hi","se"]: assert p[c].dtype == pl.Float64, (c, p[c].dtype)
            assert p.height == len(df)
            print("ok")
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: python)
        p.arguments = ["-c", script, file]
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(output)")
    }
}
