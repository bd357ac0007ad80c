import Foundation
import Testing
@testable import RestakeRisk

/// The output folder is replaced whole: exactly the new files after a write, exactly the old ones
/// after a failure, nothing left beside it (issue 11, defect 5).
@Suite(.serialized) struct OutputDirectoryTests {
    static func files(_ tag: String) -> [(name: String, contents: Data)] {
        [("summary.json", Data("{\"run\": \"\(tag)\"}\n".utf8)), ("fan.csv", Data("t,\(tag)\n".utf8))]
    }

    @Test func staleFilesOfAnEarlierRunDoNotSurvive() throws {
        let temp = try TempFolder("stale")
        defer { temp.remove() }
        let out = try OutputDirectory(path: temp.path("out"))
        try out.write(Self.files("a") + [("samples.csv", Data("old".utf8))])
        try out.write(Self.files("b"))
        let after = TempFolder.snapshot(temp.path("out"))
        #expect(after.keys.sorted() == ["fan.csv", "summary.json"], "\(after.keys)")
        #expect(after["summary.json"] == Self.files("b")[0].contents)
        #expect(TempFolder.leftovers(temp.url.path).isEmpty)
    }

    @Test func aFailedWriteLeavesTheFolderAsItWas() throws {
        let temp = try TempFolder("failed")
        defer { temp.remove() }
        let out = try OutputDirectory(path: temp.path("out"))
        try out.write(Self.files("a"))
        let before = TempFolder.snapshot(temp.path("out"))
        // A name that cannot be created (a file where a folder is needed) fails after one file is staged.
        #expect(throws: OutputDirectory.Failure.self) {
            try out.write(Self.files("b") + [("fan.csv/x", Data())])
        }
        #expect(TempFolder.snapshot(temp.path("out")) == before)
        #expect(TempFolder.leftovers(temp.url.path).isEmpty)
    }

    @Test func leftoversOfAKilledRunAreRemovedByTheNextWrite() throws {
        let temp = try TempFolder("leftover")
        defer { temp.remove() }
        let stale = temp.path(".restake-risk-staging-out-12345-678")
        try FileManager.default.createDirectory(atPath: stale, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: stale + "/summary.json", contents: Data("partial".utf8))
        let unrelated = temp.path(".restake-risk-staging-out-notours")
        try FileManager.default.createDirectory(atPath: unrelated, withIntermediateDirectories: true)
        try OutputDirectory(path: temp.path("out")).write(Self.files("a"))
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.fileExists(atPath: unrelated), "only names this type makes are removed")
    }

    @Test func anInterruptedRenameDanceIsUndone() throws {
        let temp = try TempFolder("dance")
        defer { temp.remove() }
        // A kill between the dance's two renames: the previous folder aside, no target.
        let previous = temp.path(".restake-risk-previous-out")
        try FileManager.default.createDirectory(atPath: previous, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: previous + "/summary.json", contents: Data("old".utf8))
        let out = try OutputDirectory(path: temp.path("out"))
        // A write that fails still restores the previous folder first.
        #expect(throws: OutputDirectory.Failure.self) { try out.write([("a", Data()), ("a/b", Data())]) }
        #expect(FileManager.default.contents(atPath: temp.path("out/summary.json")) == Data("old".utf8))
        #expect(!FileManager.default.fileExists(atPath: previous))
    }

    @Test func aSecondWriterWaitsThenRefuses() throws {
        let temp = try TempFolder("lock")
        defer { temp.remove() }
        var out = try OutputDirectory(path: temp.path("out"))
        let lockPath = temp.path(OutputDirectory.lockPrefix + "out")
        let held = try OutputDirectory.Lock(url: URL(fileURLWithPath: lockPath), owner: "test", timeout: 1)
        out.lockTimeout = 0.3
        do {
            try out.write(Self.files("a"))
            Issue.record("wrote while another writer held the lock")
        } catch {
            #expect(error.description.contains("another restake-risk process is writing"), "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: temp.path("out")))
        held.release()
        try out.write(Self.files("a"))
        #expect(FileManager.default.fileExists(atPath: temp.path("out/summary.json")))
    }

    @Test func emptyPathAndPathUnderAFileAreRefused() throws {
        #expect(throws: OutputDirectory.Failure.self) { try OutputDirectory(path: "") }
        let temp = try TempFolder("under-file")
        defer { temp.remove() }
        FileManager.default.createFile(atPath: temp.path("file"), contents: Data())
        let out = try OutputDirectory(path: temp.path("file") + "/sub", label: "--out")
        do {
            try out.prepare()
            Issue.record("a folder under a file was accepted")
        } catch {
            #expect(error.description.contains("is a file, not a folder"), "\(error)")
        }
    }

    @Test func concurrentRunsIntoOneFolderNeverMix() throws {
        let temp = try TempFolder("race")
        defer { temp.remove() }
        let path = temp.path("out")
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            let tag = "run\(i)"
            let files = [("a.txt", Data(tag.utf8)), ("b.txt", Data(tag.utf8))] + (i % 2 == 0 ? [("extra.txt", Data(tag.utf8))] : [])
            try? OutputDirectory(path: path).write(files)
        }
        let after = TempFolder.snapshot(path)
        let tags = Set(after.values)
        #expect(tags.count == 1, "one run's files only: \(after.mapValues { String(decoding: $0, as: UTF8.self) })")
        #expect(TempFolder.leftovers(temp.url.path).isEmpty)
    }

    /// A full disk (a 1 MB tmpfs) fails the write with a message and keeps the old files.
    @Test func aFullDiskLeavesTheFolderAsItWas() throws {
        guard getuid() == 0 else {
            print("skipped: mounting a tmpfs needs root (CI runs as root)")
            return
        }
        let temp = try TempFolder("full")
        defer { _ = umountTmpfs(temp.url.path); temp.remove() }
        guard mountTmpfs(temp.url.path, size: "1m") else {
            print("skipped: mount -t tmpfs failed here (no CAP_SYS_ADMIN in this container)")
            return
        }
        let out = try OutputDirectory(path: temp.path("out"))
        try out.write(Self.files("a"))
        let before = TempFolder.snapshot(temp.path("out"))
        let big = Data(repeating: 0x41, count: 2_000_000)
        do {
            try out.write(Self.files("b") + [("samples.csv", big)])
            Issue.record("a 2 MB write onto a 1 MB disk succeeded")
        } catch {
            #expect(error.description.contains("No space left"), "\(error)")
        }
        #expect(TempFolder.snapshot(temp.path("out")) == before)
        #expect(TempFolder.leftovers(temp.url.path).isEmpty)
    }
}

func mountTmpfs(_ path: String, size: String) -> Bool {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/mount")
    p.arguments = ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", path]
    p.standardError = FileHandle.nullDevice
    guard (try? p.run()) != nil else { return false }
    p.waitUntilExit()
    return p.terminationStatus == 0
}

func umountTmpfs(_ path: String) -> Bool {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/umount")
    p.arguments = [path]
    p.standardError = FileHandle.nullDevice
    guard (try? p.run()) != nil else { return false }
    p.waitUntilExit()
    return p.terminationStatus == 0
}
