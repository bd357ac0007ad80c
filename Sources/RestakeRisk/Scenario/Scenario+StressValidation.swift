extension Scenario {
    /// Stress events (v2): a time inside the horizon and shocks to declared entities only.
    func validate(_ e: StressEvent, at path: String) throws(ScenarioError) {
        let horizonDays = horizonYears * 365
        try check(e.atDays > 0 && e.atDays <= horizonDays, FieldPath.key(path, "at_days"),
                  "must be in (0, \(horizonDays)] (days within the horizon), got \(e.atDays)")
        try pairs(e.assetReturns, at: FieldPath.key(path, "asset_return"), among: assets.map(\.name), "asset") { x, p throws(ScenarioError) in
            try check(abs(x) <= 10, p, "a log return beyond +-10 (a factor e^10) is not a price move, got \(x)")
        }
        try pairs(e.depegs, at: FieldPath.key(path, "depeg"), among: tokens.map(\.name), "token") { x, p throws(ScenarioError) in
            try probability(x, p, what: "a discount")
        }
        try pairs(e.incidents, at: FieldPath.key(path, "incident"), among: avs.map(\.name), "AVS") { x, p throws(ScenarioError) in
            try probability(x, p, what: "a loss fraction")
        }
        try pairs(e.operatorFaults, at: FieldPath.key(path, "operator_fault"), among: operators.map(\.name), "operator") { x, p throws(ScenarioError) in
            try probability(x, p, what: "a loss fraction")
        }
        if let r = e.borrowApr { try apr(r, FieldPath.key(path, "borrow_apr")) }
        let empty = e.assetReturns.isEmpty && e.depegs.isEmpty && e.incidents.isEmpty && e.operatorFaults.isEmpty && e.borrowApr == nil
        try check(!empty, path, "a stress event needs at least one shock: asset_return, depeg, incident, operator_fault or borrow_apr")
    }

    private func pairs(
        _ list: [StressEvent.Pair], at path: String, among names: [String], _ kind: String,
        _ value: (Double, String) throws(ScenarioError) -> Void
    ) throws(ScenarioError) {
        for pair in list {
            let p = FieldPath.key(path, pair.name)
            try reference(pair.name, among: names, kind, p)
            try value(pair.value, p)
        }
    }
}
