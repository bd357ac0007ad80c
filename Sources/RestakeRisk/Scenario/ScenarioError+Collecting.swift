import Yams

extension ScenarioError {
    /// The most problems reported for one file: enough to fix a file in one pass, few enough to read.
    public static let maxReported = 20

    /// This error and its others with line and column taken from the node each path names in
    /// `root` (the deepest node found, so a missing field points at its parent map).
    func located(in root: Node) -> ScenarioError {
        func locate(_ e: ScenarioError) -> ScenarioError {
            guard e.line == nil, let mark = ScenarioError.mark(at: e.path, in: root) else { return e }
            var out = e
            out.line = mark.line
            out.column = mark.column
            return out
        }
        var first = locate(self)
        first.others = others.map(locate)
        return first
    }

    static func mark(at path: String, in root: Node) -> Mark? {
        guard !path.isEmpty, let components = try? ScenarioOverride.components(of: path) else { return root.mark }
        var node = root
        var mark = root.mark
        for c in components {
            let next: Node?
            switch (c, node) {
            case (.key(let k), .mapping(let m)), (.selector(let k), .mapping(let m)):
                next = m.first(where: { $0.key.string == k })?.value ?? ScenarioOverride.merged(k, in: m)
            case (.selector(let s), .sequence(let seq)):
                next = Int(s).flatMap { $0 >= 0 && $0 < seq.count ? seq[$0] : nil }
            default:
                next = nil
            }
            guard let next else { break }
            node = next
            mark = next.mark ?? mark
        }
        return mark
    }
}

/// Problems found so far in one file, in the order found, up to `ScenarioError.maxReported`.
struct ScenarioProblems {
    private(set) var errors: [ScenarioError] = []

    /// Runs one independent check, keeping its error instead of stopping at it.
    mutating func check(_ body: () throws(ScenarioError) -> Void) {
        guard errors.count < ScenarioError.maxReported else { return }
        do { try body() } catch { errors.append(contentsOf: error.all.prefix(ScenarioError.maxReported - errors.count)) }
    }

    /// The first error carrying the others, if there is any.
    var error: ScenarioError? {
        guard var first = errors.first else { return nil }
        first.others = Array(errors.dropFirst())
        return first
    }
}
