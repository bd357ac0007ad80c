extension Scenario {
    /// A bound on `horizon_years * steps_per_year` that keeps step counts in Int and runs finite.
    public static let maxTotalSteps: Double = 1e8
    /// Steps shorter than ~30 s add nothing a risk figure can see and multiply the run time.
    public static let maxStepsPerYear = 1_000_000
    /// Above this, MODEL.md's Student-t copula is indistinguishable from the Gaussian one.
    public static let maxCopulaDof = 1e6
    /// Plausibility bounds: beyond them a value is far more likely a unit slip (percent for a
    /// fraction, basis points) than a belief, and it drives equity to the 1e300 cap.
    public static let maxVolatility = 10.0, maxAbsDrift = 10.0, maxApr = 10.0, maxPremiumApr = 1.0
    /// The longest withdrawal delay even when `allow_delay_beyond_horizon` is set (100 years).
    public static let maxWithdrawalDelayDays = 36_500.0

    /// Checks every range, name and cross-reference rule of MODEL.md, throwing the first problem.
    ///
    /// `init(yaml:)` calls it; call it yourself on a scenario built or edited in code. The
    /// correlation matrix's symmetry and positive semidefiniteness are left to the linear stage.
    public func validate() throws(ScenarioError) {
        // Top-level and naming problems make every later check unreliable: they stop here.
        try validateTop()
        let factorKinds = try validateNames()
        // Each entity's checks are independent: report up to `maxReported` problems at once.
        var problems = ScenarioProblems()
        for (i, a) in assets.enumerated() { problems.check { () throws(ScenarioError) in try validate(a, at: FieldPath.index("assets", i)) } }
        for (i, a) in avs.enumerated() { problems.check { () throws(ScenarioError) in try validate(a, at: FieldPath.index("avs", i)) } }
        for (i, t) in tokens.enumerated() { problems.check { () throws(ScenarioError) in try validate(t, at: FieldPath.index("tokens", i)) } }
        for (i, o) in operators.enumerated() { problems.check { () throws(ScenarioError) in try validate(o, at: FieldPath.index("operators", i)) } }
        if let correlation { problems.check { () throws(ScenarioError) in try validate(correlation, factorKinds: factorKinds) } }
        if case .studentT(let dof) = copula, !(dof > 0 && dof <= Scenario.maxCopulaDof) {
            problems.check { () throws(ScenarioError) in
                throw ScenarioError(path: "copula.dof", message: "must be in (0, 1e6] (above 1e6 the Student-t copula is the Gaussian one: use gaussian), got \(dof)")
            }
        }
        for (i, e) in stress.enumerated() { problems.check { () throws(ScenarioError) in try validate(e, at: FieldPath.index("stress", i)) } }
        for (i, s) in strategies.enumerated() { problems.check { () throws(ScenarioError) in try validate(s, at: FieldPath.index("strategies", i)) } }
        if let error = problems.error { throw error }
    }

    private func validateTop() throws(ScenarioError) {
        try check(!name.isEmpty && !name.allSatisfy(\.isWhitespace), "name", "the scenario name must not be empty")
        try noControlCharacters(name, "name")
        guard horizonYears > 0 else { throw ScenarioError(path: "horizon_years", message: "must be > 0, got \(horizonYears)") }
        guard stepsPerYear >= 1 else { throw ScenarioError(path: "steps_per_year", message: "must be a whole number >= 1, got \(stepsPerYear)") }
        guard stepsPerYear <= Scenario.maxStepsPerYear else {
            throw ScenarioError(path: "steps_per_year", message: "must be at most \(Scenario.maxStepsPerYear) (steps of ~30 s; finer steps change no risk figure and multiply the run time), got \(stepsPerYear)")
        }
        // Checked in Double first: `totalSteps` converts to Int, which would trap on a huge horizon.
        let steps = (horizonYears * Double(stepsPerYear)).rounded()
        guard steps >= 1 else {
            throw ScenarioError(path: "horizon_years", message: "horizon_years * steps_per_year must give at least one step, got \(horizonYears * Double(stepsPerYear))")
        }
        guard steps <= Scenario.maxTotalSteps else {
            throw ScenarioError(path: "horizon_years", message: "horizon_years * steps_per_year = \(steps) steps is more than the \(Scenario.maxTotalSteps) a run can take")
        }
        guard reportEverySteps >= 1 else { throw ScenarioError(path: "report_every_steps", message: "must be >= 1, got \(reportEverySteps)") }
        guard compoundEverySteps >= 0 else {
            throw ScenarioError(path: "compound_every_steps", message: "must be >= 0 (0: never compound), got \(compoundEverySteps)")
        }
        guard !assets.isEmpty else { throw ScenarioError(path: "assets", message: "at least one asset is required") }
        guard !strategies.isEmpty else { throw ScenarioError(path: "strategies", message: "at least one strategy is required") }
    }

    enum FactorKind: String { case asset, avs, token, `operator` }

    /// Names are unique across assets, AVSs, tokens and operators (the correlation's namespace);
    /// strategy names are unique among strategies. Returns the kind of each factor name.
    private func validateNames() throws(ScenarioError) -> [String: FactorKind] {
        var kinds: [String: (FactorKind, String)] = [:]
        let declared: [(FactorKind, String, [String])] = [
            (.asset, "assets", assets.map(\.name)), (.avs, "avs", avs.map(\.name)), (.token, "tokens", tokens.map(\.name)),
            (.operator, "operators", operators.map(\.name)),
        ]
        for (kind, list, names) in declared {
            for (i, name) in names.enumerated() {
                let path = FieldPath.key(FieldPath.index(list, i), "name")
                guard !name.isEmpty else { throw ScenarioError(path: path, message: "name must not be empty") }
                try noControlCharacters(name, path)
                if let (_, first) = kinds[name] {
                    throw ScenarioError(path: path, message: "duplicate name '\(name)' (already used at \(first); names are unique across assets, avs, tokens and operators)")
                }
                kinds[name] = (kind, path)
            }
        }
        var seen: [String: String] = [:]
        for (i, s) in strategies.enumerated() {
            let path = FieldPath.key(FieldPath.index("strategies", i), "name")
            guard !s.name.isEmpty else { throw ScenarioError(path: path, message: "name must not be empty") }
            try noControlCharacters(s.name, path)
            if let first = seen[s.name] { throw ScenarioError(path: path, message: "duplicate strategy name '\(s.name)' (already used at \(first))") }
            seen[s.name] = path
        }
        return kinds.mapValues(\.0)
    }

    // MARK: - Factors

    private func validate(_ a: Asset, at path: String) throws(ScenarioError) {
        try check(a.price > 0, FieldPath.key(path, "price"), "must be > 0, got \(a.price)")
        try check(a.volatility >= 0, FieldPath.key(path, "volatility"), "must be >= 0 (an annual volatility), got \(a.volatility)")
        try check(a.volatility <= Scenario.maxVolatility, FieldPath.key(path, "volatility"),
                  "\(a.volatility) is above 10 (1000%/year): volatility is a fraction per year (0.7 for 70%), not a percent")
        try check(abs(a.drift) <= Scenario.maxAbsDrift, FieldPath.key(path, "drift"),
                  "\(a.drift) is beyond +-10 (1000%/year): drift is a fraction per year (0.05 for 5%), not a percent")
        if let j = a.jumps {
            let p = FieldPath.key(path, "jumps")
            try check(j.rate >= 0, FieldPath.key(p, "rate"), "must be >= 0 (jumps per year), got \(j.rate)")
            try check(j.rate <= Double(stepsPerYear), FieldPath.key(p, "rate"),
                      "\(j.rate) jumps per year is above one per step (\(stepsPerYear)); at most one jump happens per step")
            try check(j.sd >= 0, FieldPath.key(p, "sd"), "must be >= 0, got \(j.sd)")
            try check(abs(j.mean) <= Scenario.maxAbsDrift && j.sd <= Scenario.maxAbsDrift, p,
                      "a jump in log price beyond +-10 (a factor e^10) is not a price move; mean \(j.mean), sd \(j.sd)")
        }
    }

    private func validate(_ a: AVS, at path: String) throws(ScenarioError) {
        try probability(a.incidentRate, FieldPath.key(path, "incident_rate"))
        try validate(a.severity, at: FieldPath.key(path, "severity"))
        try apr(a.rewardApr, FieldPath.key(path, "reward_apr"))
        try probability(a.vetoProbability, FieldPath.key(path, "veto_probability"))
        if let r = a.rewardAsset { try reference(r, among: assets.map(\.name), "asset", FieldPath.key(path, "reward_asset")) }
    }

    private func validate(_ t: Token, at path: String) throws(ScenarioError) {
        try reference(t.underlying, among: assets.map(\.name), "asset", FieldPath.key(path, "underlying"))
        if let d = t.depeg {
            let p = FieldPath.key(path, "depeg")
            try probability(d.rate, FieldPath.key(p, "rate"))
            try validate(d.severity, at: FieldPath.key(p, "severity"))
            try check(d.halfLifeDays > 0, FieldPath.key(p, "half_life_days"), "must be > 0, got \(d.halfLifeDays)")
            try probability(d.incidentJump, FieldPath.key(p, "incident_jump"))
            try probability(d.max, FieldPath.key(p, "max"))
        }
        var seen: Set<String> = []
        for (i, name) in t.exposedTo.enumerated() {
            let p = FieldPath.index(FieldPath.key(path, "exposed_to"), i)
            try reference(name, among: avs.map(\.name), "AVS", p)
            try check(seen.insert(name).inserted, p, "AVS '\(name)' is listed twice")
        }
    }

    func validate(_ s: Severity, at path: String) throws(ScenarioError) {
        switch s {
        case .fixed(let x):
            try probability(x, FieldPath.key(path, "fixed"), what: "a loss fraction")
        case .beta(let a, let b):
            let p = FieldPath.key(path, "beta")
            try check(a > 0, FieldPath.index(p, 0), "beta parameter a must be > 0, got \(a)")
            try check(b > 0, FieldPath.index(p, 1), "beta parameter b must be > 0, got \(b)")
        }
    }

    private func validate(_ c: Correlation, factorKinds: [String: FactorKind]) throws(ScenarioError) {
        switch c.form {
        case .matrix(let factors, let matrix):
            let all = factorNames
            var seen: [String: Int] = [:]
            for (i, name) in factors.enumerated() {
                let p = FieldPath.index("correlation.factors", i)
                try reference(name, among: all, "factor (asset, AVS, token or operator)", p)
                if let first = seen[name] { throw ScenarioError(path: p, message: "factor '\(name)' is listed twice (also at index \(first))") }
                seen[name] = i
            }
            let missing = all.filter { seen[$0] == nil }
            try check(missing.isEmpty, "correlation.factors",
                      "every declared factor must appear exactly once; missing: \(missing.joined(separator: ", "))")
            try check(matrix.count == factors.count, "correlation.matrix",
                      "must have one row per factor: \(factors.count) factors, \(matrix.count) rows")
            for (i, row) in matrix.enumerated() {
                let rp = FieldPath.index("correlation.matrix", i)
                try check(row.count == factors.count, rp, "the matrix must be square: row has \(row.count) entries, expected \(factors.count)")
                for (j, x) in row.enumerated() {
                    try check(x.isFinite && x >= -1 && x <= 1, FieldPath.index(rp, j), "a correlation must be in [-1, 1], got \(x)")
                }
            }
        case .systemic(let loadings):
            for name in loadings.keys.sorted() {
                let p = FieldPath.key("correlation.systemic", name)
                try reference(name, among: factorNames, "factor (asset, AVS, token or operator)", p)
                let b = loadings[name]!
                try check(b >= -1 && b <= 1, p, "a loading must be in [-1, 1], got \(b)")
            }
        case .latent(let latent):
            try validateLatent(latent, factorKinds: factorKinds)
        }
    }

    // MARK: - Strategies

    private func validate(_ s: Strategy, at path: String) throws(ScenarioError) {
        try reference(s.asset, among: assets.map(\.name), "asset", FieldPath.key(path, "asset"))
        if let t = s.token {
            let p = FieldPath.key(path, "token")
            try reference(t, among: tokens.map(\.name), "token", p)
            let underlying = tokens.first(where: { $0.name == t })!.underlying
            try check(underlying == s.asset, p, "token '\(t)' is backed by \(underlying), but the strategy stakes \(s.asset)")
        }
        try apr(s.baseApr, FieldPath.key(path, "base_apr"))
        try apr(s.defiApr, FieldPath.key(path, "defi_apr"))
        try check(s.compoundEverySteps >= 0, FieldPath.key(path, "compound_every_steps"),
                  "must be >= 0 (0: never compound), got \(s.compoundEverySteps)")
        if let b = s.baseSlashing {
            let p = FieldPath.key(path, "base_slashing")
            try probability(b.rate, FieldPath.key(p, "rate"))
            try validate(b.severity, at: FieldPath.key(p, "severity"))
        }
        let fp = FieldPath.key(path, "fees")
        try probability(s.fees.lst, FieldPath.key(fp, "lst"), what: "a fee")
        try probability(s.fees.operator, FieldPath.key(fp, "operator"), what: "a fee")
        try probability(s.fees.platform, FieldPath.key(fp, "platform"), what: "a fee")
        if let r = s.restake { try validate(r, at: FieldPath.key(path, "restake")) }
        if let ins = s.insurance {
            let p = FieldPath.key(path, "insurance")
            try probability(ins.coverage, FieldPath.key(p, "coverage"), what: "a covered fraction")
            try check(ins.premiumApr >= 0, FieldPath.key(p, "premium_apr"), "must be >= 0, got \(ins.premiumApr)")
            try check(ins.premiumApr <= Scenario.maxPremiumApr, FieldPath.key(p, "premium_apr"),
                      "\(ins.premiumApr) is above 1 (100%/year of the stake): a premium is a fraction per year (0.002 for 0.2%)")
        }
        if let l = s.leverage { try validate(l, at: FieldPath.key(path, "leverage")) }
        let ep = FieldPath.key(path, "exit")
        let dp = FieldPath.key(ep, "withdrawal_delay_days")
        let delay = s.exit.withdrawalDelayDays
        try check(delay >= 0, dp, "must be >= 0, got \(delay)")
        try check(delay <= Scenario.maxWithdrawalDelayDays, dp, "must be at most \(Scenario.maxWithdrawalDelayDays) days (100 years), got \(delay)")
        // Only a withdrawal waits: under hold or sell the (default) delay is never used.
        try check(s.exit.onIncident != .withdraw || delay <= horizonYears * 365 || s.exit.allowDelayBeyondHorizon, dp,
                  "\(delay) days is longer than the horizon (\(horizonYears * 365) days): a withdrawal would never complete; set exit.allow_delay_beyond_horizon: true if that is meant")
        if s.exit.onIncident == .withdraw, s.leverage != nil {
            throw ScenarioError(path: FieldPath.key(ep, "on_incident"),
                                message: "'withdraw' cannot be combined with leverage (a looped position must repay its debt before it can withdraw); use 'sell' or 'hold'")
        }
    }

    private func validate(_ r: Restake, at path: String) throws(ScenarioError) {
        let p = FieldPath.key(path, "avs")
        try check(!r.allocations.isEmpty, p, "must name at least one AVS")
        var seen: Set<String> = []
        var total = 0.0
        for (i, a) in r.allocations.enumerated() {
            let ap = r.security == .shared ? FieldPath.index(p, i) : FieldPath.key(p, a.avs)
            try reference(a.avs, among: avs.map(\.name), "AVS", ap)
            try check(seen.insert(a.avs).inserted, ap, "AVS '\(a.avs)' is listed twice")
            if r.security == .isolated {
                try probability(a.fraction, ap, what: "an allocated fraction")
                total += a.fraction
            }
        }
        // A small tolerance so that fractions like 0.1 + 0.2 + 0.7 written in decimal pass.
        try check(total <= 1 + 1e-9, p, "isolated allocations must sum to at most 1 (unique stake), got \(total)")
        try validateOperatorShares(r.operators, at: FieldPath.key(path, "operators"))
    }

    private func validate(_ l: Leverage, at path: String) throws(ScenarioError) {
        let ltvPath = FieldPath.key(path, "ltv")
        try check(l.ltv >= 0 && l.ltv < 1, ltvPath, "must be in [0, 1) (a loan-to-value ratio), got \(l.ltv)")
        try probability(l.liquidationThreshold, FieldPath.key(path, "liquidation_threshold"), what: "a liquidation threshold")
        try check(l.liquidationThreshold >= l.ltv, FieldPath.key(path, "liquidation_threshold"),
                  "must be >= ltv (\(l.ltv)), got \(l.liquidationThreshold): the position would be liquidatable at opening")
        let ratioPath = FieldPath.key(path, "ratio")
        try check(l.ratio >= 1, ratioPath, "must be >= 1 (1 = no leverage), got \(l.ratio)")
        try check(l.ratio <= l.maxRatio * (1 + 1e-12), ratioPath,
                  "\(l.ratio) is above the looping limit 1/(1 - ltv) = \(l.maxRatio) for ltv \(l.ltv)")
        try probability(l.bonus, FieldPath.key(path, "bonus"), what: "a liquidation bonus")
        try apr(l.borrowApr, FieldPath.key(path, "borrow_apr"))
        try check(l.closeFactor > 0 && l.closeFactor <= 1, FieldPath.key(path, "close_factor"),
                  "must be in (0, 1] (the fraction of debt one liquidation repays), got \(l.closeFactor)")
    }

    // MARK: - Helpers

    func check(_ ok: Bool, _ path: String, _ message: @autoclosure () -> String) throws(ScenarioError) {
        if !ok { throw ScenarioError(path: path, message: message()) }
    }

    func probability(_ x: Double, _ path: String, what: String = "a probability") throws(ScenarioError) {
        try check(x >= 0 && x <= 1, path, "must be in [0, 1] (\(what)), got \(x)")
    }

    func reference(_ name: String, among names: [String], _ kind: String, _ path: String) throws(ScenarioError) {
        guard !names.contains(name) else { return }
        var message = "unknown \(kind) '\(name)'"
        if let guess = closest(to: name, in: names) { message += " (did you mean '\(guess)'?)" }
        message += names.isEmpty ? "; none is declared" : "; declared: \(names.joined(separator: ", "))"
        throw ScenarioError(path: path, message: message)
    }

    /// An annual rate: >= 0 and at most 1000%/year.
    func apr(_ x: Double, _ path: String) throws(ScenarioError) {
        try check(x >= 0, path, "must be >= 0, got \(x)")
        try check(x <= Scenario.maxApr, path, "\(x) is above 10 (1000%/year): a rate is a fraction per year (0.03 for 3%), not a percent")
    }

    func noControlCharacters(_ name: String, _ path: String) throws(ScenarioError) {
        if let c = Scenario.controlCharacter(in: name) {
            throw ScenarioError(path: path, message: Scenario.controlCharacterMessage(c))
        }
    }

    /// The first character of `name` that would act on a terminal instead of printing (C0/C1
    /// controls such as ESC, and format characters such as the bidirectional overrides).
    static func controlCharacter(in name: String) -> Unicode.Scalar? {
        name.unicodeScalars.first {
            $0.properties.generalCategory == .control || ($0.properties.generalCategory == .format && $0.value != 0x200D)
        }
    }

    static func controlCharacterMessage(_ c: Unicode.Scalar) -> String {
        "a name must not contain control characters (found U+\(String(c.value, radix: 16, uppercase: true)))"
    }
}
