import Foundation

/// One varied parameter of a sweep and the values it takes, in order.
public struct SweepAxis: Sendable, Equatable, Codable {
    /// A numeric parameter path, e.g. `avs[bridge].incident_rate`.
    public var path: String
    public var values: [Double]

    public init(path: String, values: [Double]) {
        precondition(!values.isEmpty, "an axis needs at least one value")
        self.path = path; self.values = values
    }

    /// Reads `PATH=a:b:n` (n evenly spaced values from a to b, both included) or
    /// `PATH=v1,v2,...` (the listed values, in that order).
    public init(parsing text: String) throws(WhatIfError) {
        guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
            throw WhatIfError("--vary \(text): expected PATH=a:b:n or PATH=v1,v2,...")
        }
        let path = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
        let spec = String(text[text.index(after: eq)...])
        func number(_ s: Substring) throws(WhatIfError) -> Double {
            guard let x = Double(s.trimmingCharacters(in: .whitespaces)), x.isFinite else {
                throw WhatIfError("--vary \(text): \"\(s)\" is not a finite number")
            }
            return x
        }
        let colon = spec.split(separator: ":", omittingEmptySubsequences: false)
        if colon.count == 3 {
            let a = try number(colon[0]), b = try number(colon[1])
            guard let n = Int(colon[2].trimmingCharacters(in: .whitespaces)), n >= 2 else {
                throw WhatIfError("--vary \(text): the count n of a:b:n must be a whole number of at least 2")
            }
            // Endpoints exact, the rest by linear interpolation (no accumulated step error).
            self.init(path: path, values: (0..<n).map { i in
                i == n - 1 ? b : a + (b - a) * Double(i) / Double(n - 1)
            })
        } else if colon.count == 1 {
            var values: [Double] = []
            for part in spec.split(separator: ",", omittingEmptySubsequences: false) { values.append(try number(part)) }
            self.init(path: path, values: values)
        } else {
            throw WhatIfError("--vary \(text): expected a:b:n (three parts) or a comma-separated list")
        }
    }
}

/// The points of a sweep: the grid product of its axes, or the axes paired element by element.
public struct SweepPlan: Sendable, Equatable {
    public var axes: [SweepAxis]
    /// Pair the axes' values (all of the same length) instead of taking every combination.
    public var zipped: Bool

    public init(axes: [SweepAxis], zipped: Bool = false) throws(WhatIfError) {
        guard !axes.isEmpty else { throw WhatIfError("--vary: give at least one parameter to vary") }
        var seen = Set<String>()
        for a in axes where !seen.insert(a.path).inserted {
            throw WhatIfError("--vary \(a.path): the parameter is varied twice")
        }
        if zipped, let n = axes.first?.values.count, let bad = axes.first(where: { $0.values.count != n }) {
            throw WhatIfError("--zip: --vary \(bad.path) has \(bad.values.count) values, --vary \(axes[0].path) has \(n); zipped axes need the same count")
        }
        self.axes = axes; self.zipped = zipped
    }

    /// Number of points.
    public var count: Int {
        zipped ? axes[0].values.count : axes.reduce(1) { $0 * $1.values.count }
    }

    /// The values of point `index`, one per axis; in a grid the last axis varies fastest.
    public func values(at index: Int) -> [Double] {
        precondition(index >= 0 && index < count, "point \(index) outside 0..<\(count)")
        if zipped { return axes.map { $0.values[index] } }
        var rest = index
        var out = [Double](repeating: 0, count: axes.count)
        for a in axes.indices.reversed() {
            out[a] = axes[a].values[rest % axes[a].values.count]
            rest /= axes[a].values.count
        }
        return out
    }
}
