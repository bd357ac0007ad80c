extension Scenario {
    /// An operator (v2): a fault probability, a severity, and the AVSs it serves, each once.
    func validate(_ o: Operator, at path: String) throws(ScenarioError) {
        try probability(o.faultRate, FieldPath.key(path, "fault_rate"))
        try validate(o.faultSeverity, at: FieldPath.key(path, "fault_severity"))
        var seen: Set<String> = []
        for (i, name) in o.serves.enumerated() {
            let p = FieldPath.index(FieldPath.key(path, "serves"), i)
            try reference(name, among: avs.map(\.name), "AVS", p)
            try check(seen.insert(name).inserted, p, "AVS '\(name)' is listed twice")
        }
    }

    /// `restake.operators`: declared operators, each fraction in (0, 1], summing to 1.
    func validateOperatorShares(_ shares: [Restake.OperatorShare], at path: String) throws(ScenarioError) {
        guard !shares.isEmpty else { return }
        var total = 0.0
        for share in shares {
            let p = FieldPath.key(path, share.operator)
            try reference(share.operator, among: operators.map(\.name), "operator", p)
            try check(share.fraction > 0 && share.fraction <= 1, p,
                      "must be in (0, 1] (the fraction of the position this operator runs), got \(share.fraction)")
            total += share.fraction
        }
        // The same decimal tolerance as isolated allocations: 0.1 + 0.2 + 0.7 must pass.
        try check(abs(total - 1) <= 1e-9, path, "operator fractions must sum to 1 (they split the whole position), got \(total)")
    }
}
