import Foundation
import Testing

/// SIGINT, SIGTERM and SIGHUP stop a run with 130, 143 and 129 and leave the output folder as it
/// was, with no staging folder beside it (issue 11, defect 5).
@Suite(.serialized) struct SignalTests {
    @Test(arguments: [(SIGINT, Int32(130)), (SIGTERM, Int32(143)), (SIGHUP, Int32(129))])
    func aSignalDuringTheRunLeavesTheFolderAsItWas(signal: Int32, code: Int32) throws {
        let temp = try TempFolder("signal-\(signal)")
        defer { temp.remove() }
        let out = temp.path("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: out + "/summary.json", contents: Data("earlier run".utf8))
        let before = TempFolder.snapshot(out)
        // Long enough to be running when the signal comes (a few seconds of work).
        let (process, stdout, stderr) = try CLI.start(["simulate", "--paths", "400000", "--threads", "1",
                                                      "--out", out, "--quiet"])
        Thread.sleep(forTimeInterval: 1.0)
        #expect(process.isRunning, "the run ended before the signal")
        kill(process.processIdentifier, signal)
        let message = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        _ = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit, "exits, not killed by the signal")
        #expect(process.terminationStatus == code, "\(message)")
        #expect(message.contains("interrupted"), "\(message)")
        #expect(TempFolder.snapshot(out) == before)
        #expect(TempFolder.leftovers(temp.url.path).isEmpty)
    }

    /// A signal while files are written (large samples.csv): old files or new, never a mix.
    @Test func aSignalDuringTheWriteLeavesOneRunsFiles() throws {
        let temp = try TempFolder("signal-write")
        defer { temp.remove() }
        let out = temp.path("out")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: out + "/summary.json", contents: Data("earlier run".utf8))
        let before = TempFolder.snapshot(out)
        let (process, stdout, stderr) = try CLI.start(["simulate", "--paths", "60000", "--threads", "2",
                                                      "--samples", "60000", "--out", out, "--quiet"])
        // Wait for the staging folder to appear: the write phase.
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: temp.url.path)) ?? []
            if entries.contains(where: { $0.hasPrefix(".restake-risk-staging") }) { break }
            usleep(2_000)
        }
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        _ = stderr.fileHandleForReading.readDataToEndOfFile()
        _ = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let after = TempFolder.snapshot(out)
        if process.terminationStatus == 143 {
            #expect(after == before || after.keys.contains("summary.csv"),
                    "interrupted: the old folder, or the new one if the swap had happened")
        } else {
            #expect(process.terminationStatus == 0)
        }
        if after != before {
            #expect(after.keys.sorted() == ["attribution.csv", "distribution.csv", "fan.csv", "samples.csv", "summary.csv", "summary.json", "timeline.csv"],
                    "\(after.keys.sorted())")
        }
        #expect(TempFolder.leftovers(temp.url.path).isEmpty)
    }
}
