import ArgumentParser
import Foundation
import RestakeRisk

/// `init`: writes a commented starting-point scenario.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented scenario file to start from.",
        discussion: "Templates:\n" + ScenarioTemplate.allCases.map { "  \($0.rawValue): \($0.summary)" }.joined(separator: "\n")
            + "\nEvery value taken from the world names its public source in a comment beside it.")

    // A plain string, checked in `run`, so that a bad name fails like every other init error (exit 2).
    @Option(help: "Template: \(ScenarioTemplate.allCases.map(\.rawValue).joined(separator: ", ")).")
    var template: String = ScenarioTemplate.default.rawValue

    @Argument(help: "The scenario file to write, e.g. my-scenario.yaml.")
    var file: String

    @Flag(help: "Overwrite FILE if it exists.")
    var force = false

    func run() throws {
        guard let template = ScenarioTemplate(rawValue: self.template.lowercased()) else {
            let names = ScenarioTemplate.allCases.map(\.rawValue)
            let near = names.first { $0.hasPrefix(self.template.lowercased().prefix(3)) }
            throw fail("--template \(self.template): unknown template\(near.map { " (did you mean '\($0)'?)" } ?? ""); choose one of \(names.joined(separator: ", "))")
        }
        let url = URL(fileURLWithPath: file).standardizedFileURL
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            if isDirectory.boolValue { throw fail("\(file) is a directory; give a file name, e.g. \(file)/scenario.yaml") }
            if !force { throw fail("\(file) already exists; pass --force to overwrite it") }
        }
        let folder = url.deletingLastPathComponent()
        if !fm.fileExists(atPath: folder.path, isDirectory: &isDirectory) || !isDirectory.boolValue {
            throw fail("\(file): folder \(folder.path) does not exist")
        }
        let schema = Self.schemaPath(from: folder)
        let text = template.text(schemaPath: schema ?? "scenario.schema.json")
        do {
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw fail("\(file): cannot write: \(error.localizedDescription)")
        }
        var note = ""
        if schema == nil {
            note = "editor completion: put the repository's docs/scenario.schema.json next to it as scenario.schema.json\n"
        }
        do {
            _ = try Scenario(yaml: text)
        } catch {
            note += "warning: this build does not accept the template as written: \(error)\n"
        }
        let quoted = Self.shellQuoted(file)
        print("""
            wrote \(file) (template \(template.rawValue): \(template.summary))
            \(note)next:
              restake-risk validate \(quoted)
              restake-risk simulate \(quoted) --out runs/\(Self.runName(url))
            """)
    }

    /// `docs/scenario.schema.json` of the nearest enclosing folder that has one, relative to `folder`.
    static func schemaPath(from folder: URL) -> String? {
        var dir = folder.standardizedFileURL.resolvingSymlinksInPath()
        var ups = 0
        while true {
            let candidate = dir.appendingPathComponent("docs/scenario.schema.json")
            if FileManager.default.fileExists(atPath: candidate.path) {
                return String(repeating: "../", count: ups) + "docs/scenario.schema.json"
            }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path || ups > 64 { return nil }
            dir = parent
            ups += 1
        }
    }

    static func runName(_ url: URL) -> String {
        let base = url.deletingPathExtension().lastPathComponent
        return base.isEmpty ? "run" : base
    }

    static func shellQuoted(_ s: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./+=:@%")
        if !s.isEmpty && s.allSatisfy({ safe.contains($0) }) { return s }
        return "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
