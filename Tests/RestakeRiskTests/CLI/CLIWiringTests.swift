import Foundation
import Testing

/// The CLI wired to the library: `--set` on simulate and validate (issue 10, item 1), the v2
/// output files `timeline.csv` and `samples.csv` (item 5), `schema` and what `validate` shows
/// (issue 12, item 5).
@Suite(.serialized) struct CLIWiringTests {
    static let scenario = """
        name: wiring
        horizon_years: 1
        steps_per_year: 12
        report_every_steps: 3
        assets:
          - {name: ETH, price: 3000, volatility: 0.5}
        avs:
          - {name: bridge, incident_rate: 0.01, severity: {fixed: 0.2}}
          - {name: oracle, incident_rate: 0.02, severity: {beta: [2, 18]}}
        operators:
          - {name: op-a, fault_rate: 0.004, fault_severity: {fixed: 0.1}, serves: [bridge]}
        correlation:
          latent:
            market: {ETH: 0.6, bridge: 0.3}
            software: {bridge: 0.4, oracle: 0.4}
        strategies:
          - name: restaked
            asset: ETH
            base_apr: 0.03
            restake: {security: shared, avs: [bridge, oracle], operators: {op-a: 1}}

        """

    /// Every path is slashed by a stress incident in step 1 (day 1 of monthly steps) and sells out at once.
    static let forced = """
        name: forced
        horizon_years: 1
        steps_per_year: 12
        report_every_steps: 3
        assets:
          - {name: ETH, price: 3000, volatility: 0.5}
        avs:
          - {name: bridge, incident_rate: 0, severity: {fixed: 0.2}}
        stress:
          - {at_days: 1, incident: {bridge: 0.1}}
        strategies:
          - name: forced-sell
            asset: ETH
            base_apr: 0.03
            restake: {security: shared, avs: [bridge]}
            exit: {on_incident: sell}
          - name: native
            asset: ETH
            base_apr: 0.03

        """

    static func summary(_ folder: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: folder + "/summary.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func slashingMean(_ summary: [String: Any], _ strategy: String) -> Double? {
        let strategies = summary["strategies"] as? [String: Any]
        let s = strategies?[strategy] as? [String: Any]
        return (s?["slashing_loss"] as? [String: Any])?["mean"] as? Double
    }

    @Test func setChangesTheRunAndIsRecorded() throws {
        let temp = try TempFolder("set")
        defer { temp.remove() }
        let file = temp.path("s.yaml")
        try Self.scenario.write(toFile: file, atomically: true, encoding: .utf8)
        let base = try CLI.run(["simulate", file, "--paths", "4000", "--quiet", "--out", temp.path("base")])
        #expect(base.status == 0, "\(base.stderr)")
        let set = try CLI.run(["simulate", file, "--paths", "4000", "--quiet", "--out", temp.path("set"),
                               "--set", "avs[bridge].incident_rate=0.05"])
        #expect(set.status == 0, "\(set.stderr)")
        let a = try Self.summary(temp.path("base")), b = try Self.summary(temp.path("set"))
        let before = try #require(Self.slashingMean(a, "restaked")), after = try #require(Self.slashingMean(b, "restaked"))
        #expect(after > before, "a higher incident rate adds slashing: \(before) -> \(after)")
        let provenance = try #require(b["provenance"] as? [String: Any])
        #expect((provenance["command"] as? String)?.contains("--set 'avs[bridge].incident_rate=0.05'") == true, "\(provenance)")
        #expect(provenance["overrides"] as? [String] == ["avs[bridge].incident_rate=0.05"], "\(provenance)")
        #expect((a["provenance"] as? [String: Any])?["overrides"] as? [String] == [])

        let validate = try CLI.run(["validate", file, "--set", "avs[bridge].incident_rate=0.05"])
        #expect(validate.status == 0, "\(validate.stderr)")
        #expect(validate.stdout.contains("bridge: incident rate 0.05/year"), "\(validate.stdout)")
    }

    @Test(arguments: ["simulate", "validate"])
    func setRefusesUnknownPathsAndBadValues(command: String) throws {
        let temp = try TempFolder("set-bad")
        defer { temp.remove() }
        let file = temp.path("s.yaml")
        try Self.scenario.write(toFile: file, atomically: true, encoding: .utf8)
        let extra = command == "simulate" ? ["--paths", "1000", "--out", temp.path("out")] : []
        for (override, path) in [("avs[bridge].incident_rat=0.05", "avs[bridge].incident_rat"),
                                 ("avs[nowhere].incident_rate=0.05", "avs[nowhere]"),
                                 ("avs[bridge].incident_rate=abc", "avs[bridge].incident_rate"),
                                 ("avs[bridge].incident_rate=-1", "avs[bridge].incident_rate")] {
            let r = try CLI.run([command, file, "--set", override] + extra)
            #expect(r.status == 2, "\(override): \(r.stderr)")
            #expect(r.stderr.contains(path), "\(override) names the path: \(r.stderr)")
            #expect(!r.stderr.contains("Fatal error"))
        }
        #expect(!FileManager.default.fileExists(atPath: temp.path("out")), "nothing written")
    }

    @Test func timelineAndSamplesOfAForcedSlash() throws {
        let temp = try TempFolder("timeline")
        defer { temp.remove() }
        let file = temp.path("forced.yaml")
        try Self.forced.write(toFile: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["simulate", file, "--paths", "1000", "--samples", "3", "--quiet", "--out", temp.path("out")])
        #expect(r.status == 0, "\(r.stderr)")
        let timeline = try String(contentsOfFile: temp.path("out/timeline.csv"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let fan = try String(contentsOfFile: temp.path("out/fan.csv"), encoding: .utf8).split(separator: "\n")
        #expect(timeline.first == "strategy,t_years,p_slashed,p_liquidated,p_exited")
        #expect(timeline.count == fan.count, "same rows as fan.csv")
        #expect(zip(timeline.dropFirst(), fan.dropFirst()).allSatisfy {
            $0.split(separator: ",").prefix(2) == $1.split(separator: ",").prefix(2)
        }, "same strategy and t_years as fan.csv")
        let sell = timeline.filter { $0.hasPrefix("forced-sell,") }
        #expect(sell.first == "forced-sell,0.0,0.0,0.0,0.0", "\(sell)")
        #expect(sell.count == 5)
        for row in sell.dropFirst() {
            let f = row.split(separator: ",", omittingEmptySubsequences: false)
            #expect(f[2] == "1.0" && f[3] == "0.0" && f[4] == "1.0", "slashed and exited from the first reporting time: \(row)")
        }
        #expect(timeline.filter { $0.hasPrefix("native,") }.dropFirst().allSatisfy { $0.hasSuffix(",0.0,0.0,0.0") })

        let samples = try String(contentsOfFile: temp.path("out/samples.csv"), encoding: .utf8)
            .split(separator: "\n").map(String.init)
        #expect(samples.first == "strategy,path,terminal_wealth,slashing_loss,incidents,liquidations,first_liquidation_years,exit_years")
        #expect(samples.count == 1 + 2 * 3)
        for row in samples.dropFirst() {
            let f = row.split(separator: ",", omittingEmptySubsequences: false)
            #expect(f.count == 8, "\(row)")
            #expect(f[5] == "0" && f[6] == "", "never liquidated: an empty time, \(row)")
            if f[0] == "forced-sell" {
                #expect(Double(f[3]) == 0.1 && f[4] == "1" && Double(f[7]) == 1.0 / 12, "\(row)")
            } else {
                #expect(f[3] == "0.0" && f[4] == "0" && f[7] == "", "\(row)")
            }
        }
    }

    /// `--trace-path` writes trace.csv whose last row per strategy is that path's terminal wealth
    /// in samples.csv; bad indices, repeats and shards are refused with nothing written.
    @Test func tracePathWritesTraceCSVAndRefusesBadIndices() throws {
        let temp = try TempFolder("trace")
        defer { temp.remove() }
        let file = temp.path("forced.yaml")
        try Self.forced.write(toFile: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["simulate", file, "--paths", "40", "--samples", "40", "--trace-path", "7",
                             "--trace-path", "31", "--quiet", "--out", temp.path("out")])
        #expect(r.status == 0, "\(r.stderr)")
        let trace = try String(contentsOfFile: temp.path("out/trace.csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(trace.first?.joined(separator: ",") == "strategy,path,step,t_years,asset,asset_price,token,discount,health_factor,debt,equity,slashing_loss,liquidations,phase")
        #expect(trace.count == 1 + 2 * 2 * 13, "2 paths x 2 strategies x 13 points (monthly steps)")
        let samples = try String(contentsOfFile: temp.path("out/samples.csv"), encoding: .utf8)
            .split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        for path in ["7", "31"] {
            for strategy in ["forced-sell", "native"] {
                let last = try #require(trace.last { $0[0] == strategy && $0[1] == path })
                let sample = try #require(samples.first { $0[0] == strategy && $0[1] == path })
                #expect(last[2] == "12" && last[10] == sample[2], "equity at T is W_T: \(last) vs \(sample)")
                #expect(last[11] == sample[3], "slashing loss")
                #expect(last[13] == (strategy == "forced-sell" ? "exited" : "active"))
            }
        }
        for (flags, message) in [(["--trace-path", "40"], "not a path of this run"),
                                 (["--trace-path", "-1"], "not a path of this run"),
                                 (["--trace-path", "3", "--trace-path", "3"], "given twice"),
                                 (["--trace-path", "x"], "--trace-path"),
                                 (["--trace-path", "0", "--shard-index", "0", "--shard-count", "2"], "shard")] {
            let bad = try CLI.run(["simulate", file, "--paths", "40", "--quiet", "--out", temp.path("bad")] + flags)
            #expect(bad.status != 0 && bad.stderr.contains(message), "\(flags): \(bad.stderr)")
            #expect(!FileManager.default.fileExists(atPath: temp.path("bad")), "\(flags): nothing written")
        }
    }

    @Test func schemaPrintsTheCommittedSchema() throws {
        let r = try CLI.run(["schema"])
        #expect(r.status == 0, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect(object?["$defs"] != nil)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        if let committed = try? String(contentsOf: root.appendingPathComponent("docs/scenario.schema.json"), encoding: .utf8) {
            #expect(committed == r.stdout, "docs/scenario.schema.json is the output of `restake-risk schema`")
        }
    }

    @Test func validateShowsOperatorsAndLatentFactors() throws {
        let temp = try TempFolder("validate")
        defer { temp.remove() }
        let file = temp.path("s.yaml")
        try Self.scenario.write(toFile: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["validate", file])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("operator op-a: fault rate 0.004/year, severity fixed 0.1, serves bridge"), "\(r.stdout)")
        #expect(r.stdout.contains("correlation: latent (2 factors)"), "\(r.stdout)")
        #expect(r.stdout.contains("latent market: ETH 0.6, bridge 0.3"), "\(r.stdout)")
        #expect(r.stdout.contains("latent software: bridge 0.4, oracle 0.4"), "\(r.stdout)")
        #expect(r.stdout.contains("implied correlation: smallest eigenvalue"), "\(r.stdout)")
    }

    @Test func maxFileSizeIsAFlag() throws {
        let temp = try TempFolder("size")
        defer { temp.remove() }
        let file = temp.path("s.yaml")
        try Self.scenario.write(toFile: file, atomically: true, encoding: .utf8)
        let small = try CLI.run(["validate", file, "--max-file-size", "100"])
        #expect(small.status == 2, "\(small.stderr)")
        #expect(small.stderr.contains("100-byte limit") || small.stderr.contains("100"), "\(small.stderr)")
        let bad = try CLI.run(["validate", file, "--max-file-size", "lots"])
        #expect(bad.status == 2 && bad.stderr.contains("--max-file-size"), "\(bad.stderr)")
        let ok = try CLI.run(["validate", file, "--max-file-size", "1M"])
        #expect(ok.status == 0, "\(ok.stderr)")
    }

    @Test func syntaxErrorsCarryLineAndColumnInJSON() throws {
        let temp = try TempFolder("line")
        defer { temp.remove() }
        let file = temp.path("bad.yaml")
        try "name: x\nhorizon_years: [1\n".write(toFile: file, atomically: true, encoding: .utf8)
        let r = try CLI.run(["simulate", file, "--format", "json", "--out", temp.path("out")])
        #expect(r.status == 2, "\(r.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(r.stderr.utf8)) as? [String: Any]
        let error = try #require(object?["error"] as? [String: Any], "\(r.stderr)")
        #expect(error["line"] as? Int != nil, "\(error)")
    }
}
