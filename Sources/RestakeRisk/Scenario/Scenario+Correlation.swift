extension Scenario {
    /// All factor names in the engine's order: assets, AVSs, tokens, then operators, each in file order.
    public var factorNames: [String] {
        assets.map(\.name) + avs.map(\.name) + tokens.map(\.name) + operators.map(\.name)
    }

    /// Whether the file asked for `repair: nearest` of an invalid correlation matrix.
    public var repairCorrelation: Bool { correlation?.repair ?? false }

    /// The correlation matrix in `factorNames` order, as written (not checked for PSD here).
    ///
    /// From a full matrix it is the rows and columns reordered; from systemic loadings it is
    /// `b_i * b_j` off the diagonal and 1 on it, unlisted factors loading 0; with no
    /// `correlation` block it is the identity.
    public func correlationMatrix() -> [[Double]] {
        let names = factorNames
        let k = names.count
        var c = (0..<k).map { i in (0..<k).map { j in i == j ? 1.0 : 0.0 } }
        switch correlation?.form {
        case nil:
            break
        case .matrix(let factors, let matrix)?:
            let position = Dictionary(uniqueKeysWithValues: factors.enumerated().map { ($1, $0) })
            let source = names.map { position[$0] }
            precondition(source.allSatisfy { $0 != nil } && matrix.count == factors.count,
                         "correlation matrix does not cover every factor: call validate() first")
            for i in 0..<k {
                for j in 0..<k { c[i][j] = matrix[source[i]!][source[j]!] }
            }
        case .systemic(let loadings)?:
            let b = names.map { loadings[$0] ?? 0 }
            for i in 0..<k {
                for j in 0..<k where i != j { c[i][j] = b[i] * b[j] }
            }
        case .latent(let factors)?:
            let position = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
            for f in factors {
                var b = [Double](repeating: 0, count: k)
                for (name, loading) in f.loadings { if let i = position[name] { b[i] = loading } }
                for i in 0..<k where b[i] != 0 {
                    for j in 0..<k where i != j { c[i][j] += b[i] * b[j] }
                }
            }
        }
        return c
    }
}
