import Foundation
import Testing
@testable import RestakeRisk

/// Issue 11's defects in the scenario loader, each as a regression test: every hostile input
/// ends in an error that names the field (or the file) and the problem, never a trap or a hang.
/// Timing is never asserted; a bomb must be refused by its budget, which is checked by message.
@Suite struct HostileInputTests {
    static func error(_ old: String, _ new: String) -> ScenarioError? {
        ScenarioFixtures.error(ScenarioFixtures.replacing(old, with: new))
    }

    static func expect(_ e: ScenarioError?, path: String, _ fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(e?.path == path, "\(String(describing: e))", sourceLocation: sourceLocation)
        #expect(e?.message.contains(fragment) == true, "\(String(describing: e))", sourceLocation: sourceLocation)
    }

    // MARK: Item 1 and 2: values that trapped or ran for hours

    @Test func hugeWithdrawalDelaysAreRefused() {
        for delay in ["1e20", "4e10", "400"] {
            Self.expect(Self.error("exit: {on_incident: withdraw}", "exit: {on_incident: withdraw, withdrawal_delay_days: \(delay)}"),
                        path: "strategies[2].exit.withdrawal_delay_days", delay == "400" ? "longer than the horizon" : "at most")
        }
    }

    @Test func delayBeyondHorizonOnlyWhenAllowed() throws {
        let yaml = ScenarioFixtures.replacing("exit: {on_incident: withdraw}",
                                              with: "exit: {on_incident: withdraw, withdrawal_delay_days: 400, allow_delay_beyond_horizon: true}")
        let s = try Scenario(yaml: yaml)
        #expect(s.strategies[2].exit.withdrawalDelayDays == 400)
        #expect(s.strategies[2].exit.allowDelayBeyondHorizon)
    }

    @Test func premiumsAndRatesOutOfAllReason() {
        Self.expect(Self.error("premium_apr: 0.002", "premium_apr: 1e10"), path: "strategies[2].insurance.premium_apr", "100%/year")
        Self.expect(Self.error("premium_apr: 0.002", "premium_apr: 1e6"), path: "strategies[2].insurance.premium_apr", "100%/year")
        Self.expect(Self.error("volatility: 0.7", "volatility: 1e6"), path: "assets[0].volatility", "1000%/year")
        Self.expect(Self.error("volatility: 0.7", "volatility: 0.7, drift: -1e308"), path: "assets[0].drift", "1000%/year")
        Self.expect(Self.error("base_apr: 0.03\n    base_slashing", "base_apr: 1e300\n    base_slashing"), path: "strategies[0].base_apr", "1000%/year")
        Self.expect(Self.error("borrow_apr: 0.025", "borrow_apr: 50"), path: "strategies[1].leverage.borrow_apr", "1000%/year")
    }

    @Test func stepCountsAreBoundedBeforeAnyConversion() {
        Self.expect(Self.error("steps_per_year: 365", "steps_per_year: 1e8"), path: "steps_per_year", "at most 1000000")
        Self.expect(Self.error("steps_per_year: 365", "steps_per_year: 1e300"), path: "steps_per_year", "whole number in")
        Self.expect(Self.error("steps_per_year: 365", "steps_per_year: 365\nreport_every_steps: 1e20"), path: "report_every_steps", "whole number in")
        Self.expect(Self.error("steps_per_year: 365", "steps_per_year: 365\ncompound_every_steps: -1e300"), path: "compound_every_steps", "whole number in")
        Self.expect(Self.error("horizon_years: 1", "horizon_years: 1e6"), path: "horizon_years", "steps")
    }

    // MARK: Item 3: CPU exhaustion from small files

    /// `<<: [*a, *a, ...]` ten times per level: 10^depth keys from a file under 1 KB.
    static func mergeBomb(depth: Int) -> String {
        var lines = ["l0: &l0 {k: 1}"]
        for d in 1...depth {
            lines.append("l\(d): &l\(d)\n  <<: [" + (0..<10).map { _ in "*l\(d - 1)" }.joined(separator: ", ") + "]\n  k\(d): 1")
        }
        return lines.joined(separator: "\n") + "\nname: bomb\n"
    }

    @Test func mergeKeyBombIsRefusedByTheBudget() {
        let e = ScenarioFixtures.error(Self.mergeBomb(depth: 10))
        #expect(e?.message.contains("node budget") == true, "\(String(describing: e))")
    }

    @Test func billionLaughsIsRefusedByTheBudget() {
        var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for d in 1...9 { lines.append("a\(d): &a\(d) [" + Array(repeating: "*a\(d - 1)", count: 10).joined(separator: ", ") + "]") }
        let e = ScenarioFixtures.error(lines.joined(separator: "\n") + "\nname: x\n")
        #expect(e?.message.contains("node budget") == true, "\(String(describing: e))")
    }

    @Test func complexKeyAliasBombIsRefusedByTheBudget() {
        // Yams hashes every mapping key in full to find duplicates: an aliased key repeats its tree.
        var lines = ["k0: &k0 [x, y]"]
        for d in 1...24 { lines.append("k\(d): &k\(d) {? *k\(d - 1) : 1, ? [*k\(d - 1)] : 2}") }
        let e = ScenarioFixtures.error(lines.joined(separator: "\n") + "\n")
        #expect(e?.message.contains("node budget") == true, "\(String(describing: e))")
    }

    @Test func deepNestingIsRefusedBeforeAnyRecursion() {
        let deep = "name: " + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let e = ScenarioFixtures.error(deep)
        #expect(e?.message.contains("nesting limit") == true, "\(String(describing: e))")
    }

    @Test func aModestAnchorUseStaysWithinTheBudget() throws {
        let yaml = ScenarioFixtures.replacing("  - {name: bridge, incident_rate: 0.03, severity: {fixed: 0.05}}",
                                              with: "  - {name: bridge, incident_rate: 0.03, severity: &s {fixed: 0.05}}\n  - {name: third, incident_rate: 0.01, severity: *s}")
        let s = try Scenario(yaml: yaml)
        #expect(s.avs[2].severity == .fixed(0.05))
    }

    // MARK: Item 4: a 100 MB file, and devices

    static func temporaryFile(_ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString).yaml")
        try Data(bytes).write(to: url)
        return url
    }

    @Test func aHundredMegabyteFileIsRefusedWithoutReadingIt() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("huge-\(UUID().uuidString).yaml")
        #expect(FileManager.default.createFile(atPath: url.path, contents: nil))
        defer { try? FileManager.default.removeItem(at: url) }
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: 100 << 20)  // sparse: no 100 MB is written or read
        try handle.close()
        #expect(throws: ScenarioError.self) { try Scenario.load(contentsOf: url) }
        do { _ = try Scenario.load(contentsOf: url) } catch {
            #expect(error.message.contains("104857600 bytes, above the 16777216-byte limit"), "\(error)")
        }
    }

    @Test func theSizeLimitIsConfigurable() throws {
        let url = try Self.temporaryFile(Array(ScenarioFixtures.base.utf8))
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(throws: ScenarioError.self) { try Scenario.load(contentsOf: url, limits: LoadLimits(maxFileBytes: 100)) }
        #expect(try Scenario.load(contentsOf: url).name == "test")
    }

    @Test func devZeroIsRefusedAfterABoundedRead() {
        do {
            _ = try Scenario.load(contentsOf: URL(fileURLWithPath: "/dev/zero"), limits: LoadLimits(maxFileBytes: 4096))
            Issue.record("/dev/zero loaded")
        } catch {
            #expect(error.message.contains("not a regular file"), "\(error)")
        }
    }

    @Test func aDirectoryOrAMissingFileIsNamed() {
        do { _ = try Scenario.load(contentsOf: FileManager.default.temporaryDirectory); Issue.record("loaded a directory") } catch {
            #expect(error.message.contains("is a directory"), "\(error)")
        }
        do { _ = try Scenario.load(contentsOf: URL(fileURLWithPath: "/nonexistent/x.yaml")); Issue.record("loaded nothing") } catch {
            #expect(error.message.contains("no such file"), "\(error)")
        }
    }

    // MARK: Item 7: one reading of bytes for every command

    @Test func aByteOrderMarkIsAccepted() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(ScenarioFixtures.base.utf8)
        #expect(try ScenarioDocument(bytes: bytes).scenario().name == "test")
        #expect(try Scenario(yaml: "\u{FEFF}" + ScenarioFixtures.base).name == "test")
    }

    @Test func invalidUTF8IsRefusedWithItsOffset() {
        var bytes = Array(ScenarioFixtures.base.utf8)
        let at = bytes.firstIndex(of: UInt8(ascii: "t"))!  // inside `name: test`
        bytes[at] = 0xFF
        do { _ = try ScenarioDocument(bytes: bytes); Issue.record("invalid UTF-8 loaded") } catch {
            #expect(error.message.contains("invalid UTF-8 at byte \(at)"), "\(error)")
        }
        // A truncated multi-byte sequence at the very end.
        do { _ = try ScenarioDocument(bytes: Array("name: x".utf8) + [0xE2, 0x82]); Issue.record("truncated UTF-8 loaded") } catch {
            #expect(error.message.contains("invalid UTF-8 at byte 7"), "\(error)")
        }
    }

    @Test func base60NumbersAreNotRead() {
        Self.expect(Self.error("steps_per_year: 365", "steps_per_year: 1:00"), path: "steps_per_year", "base-60")
    }

    @Test func explicitlyTaggedQuotedNumbersAreNumbers() throws {
        let s = try Scenario(yaml: ScenarioFixtures.replacing("price: 3000", with: "price: !!float '3000'"))
        #expect(s.assets[0].price == 3000)
        Self.expect(Self.error("price: 3000", "price: !!float 'abc'"), path: "assets[0].price", "not a decimal number")
        Self.expect(Self.error("price: 3000", "price: '3000'"), path: "assets[0].price", "expected a number")
    }

    @Test func yaml11OctalAndBooleansAreNotTaken() throws {
        let s = try Scenario(yaml: ScenarioFixtures.replacing("steps_per_year: 365", with: "steps_per_year: 010"))
        #expect(s.stepsPerYear == 10, "YAML 1.2: 010 is ten, not octal eight")
        Self.expect(Self.error("on_incident: withdraw", "on_incident: withdraw, allow_delay_beyond_horizon: yes"),
                    path: "strategies[2].exit.allow_delay_beyond_horizon", "true or false")
    }

    // MARK: Item 9 and 10: names

    @Test func controlCharactersInNamesAreRefused() {
        Self.expect(Self.error("{name: ETH,", "{name: \"E\\eTH\","), path: "assets[0].name", "control characters (found U+1B)")
        Self.expect(Self.error("name: native", "name: \"nat\\u202Eive\""), path: "strategies[0].name", "U+202E")
        Self.expect(Self.error("name: test", "name: \"te\\x07st\""), path: "name", "control characters")
    }

    @Test func anEmptyScenarioNameIsRefused() {
        Self.expect(Self.error("name: test", "name: ''"), path: "name", "must not be empty")
        Self.expect(Self.error("name: test", "name: '   '"), path: "name", "must not be empty")
    }
}
