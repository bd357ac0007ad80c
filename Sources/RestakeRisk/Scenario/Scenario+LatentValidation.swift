extension Scenario {
    /// `correlation.latent` (v2): named latent factors loading declared factors, each declared
    /// factor's `sum_f b^2 <= 1` so that its idiosyncratic variance `1 - sum` is not negative.
    func validateLatent(_ latent: [LatentFactor], factorKinds: [String: FactorKind]) throws(ScenarioError) {
        let base = "correlation.latent"
        try check(!latent.isEmpty, base, "give at least one latent factor: {F1: {name: loading, ...}}")
        var sums: [String: Double] = [:]
        for f in latent {
            let fp = FieldPath.key(base, f.name)
            if let kind = factorKinds[f.name] {
                throw ScenarioError(path: fp, message: "latent factor '\(f.name)' has the name of a declared \(kind.rawValue); latent names must differ from factor names")
            }
            try check(Scenario.controlCharacter(in: f.name) == nil && !f.name.isEmpty, fp, "a latent factor needs a printable, non-empty name")
            var seen: Set<String> = []
            for (name, b) in f.loadings {
                let p = FieldPath.key(fp, name)
                try reference(name, among: factorNames, "factor (asset, AVS, token or operator)", p)
                try check(seen.insert(name).inserted, p, "factor '\(name)' is loaded twice by '\(f.name)'")
                try check(b >= -1 && b <= 1, p, "a loading must be in [-1, 1], got \(b)")
                sums[name, default: 0] += b * b
            }
        }
        for name in factorNames {
            guard let sum = sums[name], sum > 1 + 1e-12 else { continue }
            let parts = latent.compactMap { f in f.loadings.first { $0.factor == name }.map { "\(f.name) \($0.loading)" } }
            throw ScenarioError(path: base, message: "factor '\(name)' has squared loadings summing to \(sum) > 1 (\(parts.joined(separator: ", "))): its idiosyncratic variance 1 - sum would be negative")
        }
    }
}
