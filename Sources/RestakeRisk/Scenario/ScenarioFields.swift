/// The shape of a field's value: what the loader reads there and what the schema describes.
indirect enum FieldShape: Sendable {
    /// A finite decimal number.
    case number
    /// `true` or `false`.
    case boolean
    /// A whole number.
    case integer
    /// Free text (a name or a reference to one).
    case string
    /// One of a fixed set of words.
    case word([String])
    /// A map with fixed keys, read with `NodeReader.fields`.
    case table(FieldTable)
    /// A list whose elements all have one shape.
    case list(FieldShape)
    /// A map from free names to values of one shape, in file order.
    case map(FieldShape)
    /// Any one of several shapes (`copula: gaussian` or `{type: ...}`).
    case anyOf([FieldShape])
}

/// One field of a map with fixed keys.
struct FieldSpec: Sendable {
    let name: String
    let shape: FieldShape
    let required: Bool
    /// One line for the schema's `description`.
    let summary: String

    init(_ name: String, _ shape: FieldShape, required: Bool = false, _ summary: String) {
        self.name = name; self.shape = shape; self.required = required; self.summary = summary
    }
}

/// The known fields of one block of the scenario file: the single source of the loader's
/// unknown-field checks, the override paths and the JSON Schema.
struct FieldTable: Sendable {
    /// The schema's name for the block (`definitions/<title>`).
    let title: String
    let fields: [FieldSpec]
    /// Exactly one of these fields must be given (severity's `fixed` or `beta`).
    let exactlyOne: [String]

    init(_ title: String, exactlyOne: [String] = [], _ fields: [FieldSpec]) {
        self.title = title; self.fields = fields; self.exactlyOne = exactlyOne
    }

    var names: [String] { fields.map(\.name) }

    func field(_ name: String) -> FieldSpec? { fields.first { $0.name == name } }
}

/// Every block of the scenario file, as MODEL.md v2 "The scenario file" lists them.
enum ScenarioFields {
    static let severity = FieldTable("severity", exactlyOne: ["fixed", "beta"], [
        FieldSpec("fixed", .number, "a fixed loss fraction in [0, 1]"),
        FieldSpec("beta", .list(.number), "Beta(a, b) loss fraction: [a, b], both > 0"),
    ])

    static let jumps = FieldTable("jumps", [
        FieldSpec("rate", .number, required: true, "jumps per year (>= 0); at most one per step"),
        FieldSpec("mean", .number, required: true, "mean of the jump in log price"),
        FieldSpec("sd", .number, required: true, "standard deviation of the jump in log price (>= 0)"),
    ])

    static let asset = FieldTable("asset", [
        FieldSpec("name", .string, required: true, "unique across assets, AVSs, tokens and operators"),
        FieldSpec("price", .number, required: true, "initial price (> 0)"),
        FieldSpec("drift", .number, "annual drift mu of the log price (default 0)"),
        FieldSpec("volatility", .number, required: true, "annual volatility sigma (>= 0, at most 10)"),
        FieldSpec("jumps", .table(jumps), "compound-Poisson jumps in the log price"),
    ])

    static let avs = FieldTable("avs", [
        FieldSpec("name", .string, required: true, "unique across assets, AVSs, tokens and operators"),
        FieldSpec("incident_rate", .number, required: true, "probability of at least one slashing incident per year"),
        FieldSpec("severity", .table(severity), required: true, "loss fraction per incident"),
        FieldSpec("reward_apr", .number, "annual reward rate on the stake it secures (default 0)"),
        FieldSpec("reward_asset", .string, "the asset rewards are paid in (default: the strategy's asset)"),
        FieldSpec("veto_probability", .number, "probability that an incident is vetoed (default 0)"),
    ])

    static let depeg = FieldTable("depeg", [
        FieldSpec("rate", .number, required: true, "annual probability of a depeg shock"),
        FieldSpec("severity", .table(severity), required: true, "size of a depeg shock"),
        FieldSpec("half_life_days", .number, required: true, "half-life of the discount in days (> 0)"),
        FieldSpec("incident_jump", .number, "discount added per incident of an exposed AVS (default 0)"),
        FieldSpec("max", .number, "largest discount (default 1)"),
    ])

    static let token = FieldTable("token", [
        FieldSpec("name", .string, required: true, "unique across assets, AVSs, tokens and operators"),
        FieldSpec("underlying", .string, required: true, "the asset it is backed by"),
        FieldSpec("depeg", .table(depeg), "the discount process (none: never depegs)"),
        FieldSpec("exposed_to", .list(.string), "AVSs whose incidents move its discount (default: all)"),
    ])

    static let `operator` = FieldTable("operator", [
        FieldSpec("name", .string, required: true, "unique across assets, AVSs, tokens and operators"),
        FieldSpec("fault_rate", .number, required: true, "probability of at least one fault per year"),
        FieldSpec("fault_severity", .table(severity), required: true, "loss fraction per fault and AVS served"),
        FieldSpec("serves", .list(.string), "the AVSs it runs (default: all)"),
    ])

    static let correlation = FieldTable("correlation", [
        FieldSpec("factors", .list(.string), "the order of the matrix rows: every declared factor once"),
        FieldSpec("matrix", .list(.list(.number)), "a full correlation matrix"),
        FieldSpec("systemic", .map(.number), "one-factor loadings by factor name, in [-1, 1]"),
        FieldSpec("latent", .map(.map(.number)), "latent factors, each with loadings by factor name"),
        FieldSpec("repair", .word(["nearest"]), "replace an invalid matrix by the nearest correlation matrix"),
    ])

    static let copulaTypes = ["gaussian", "student-t"]
    static let copula = FieldTable("copula", [
        FieldSpec("type", .word(copulaTypes), required: true, "the copula"),
        FieldSpec("dof", .number, "Student-t degrees of freedom, 0 < dof <= 1e6"),
    ])

    static let stressEvent = FieldTable("stress_event", [
        FieldSpec("at_days", .number, required: true, "time of the shock in days, in (0, horizon]"),
        FieldSpec("asset_return", .map(.number), "log returns added to assets"),
        FieldSpec("depeg", .map(.number), "discounts the tokens are raised to, in [0, 1]"),
        FieldSpec("incident", .map(.number), "forced AVS incidents with their severities"),
        FieldSpec("operator_fault", .map(.number), "forced operator faults with their severities"),
        FieldSpec("borrow_apr", .number, "every leveraged strategy's borrow rate from then on"),
    ])

    static let baseSlashing = FieldTable("base_slashing", [
        FieldSpec("rate", .number, required: true, "annual probability of a base-layer slashing"),
        FieldSpec("severity", .table(severity), required: true, "loss fraction per event"),
    ])

    static let fees = FieldTable("fees", [
        FieldSpec("lst", .number, "fee on the base yield (default 0)"),
        FieldSpec("operator", .number, "fee on AVS rewards (default 0)"),
        FieldSpec("platform", .number, "fee on all rewards (default 0)"),
    ])

    static let securities = Scenario.Security.allCases.map(\.rawValue)
    static let restake = FieldTable("restake", [
        FieldSpec("security", .word(securities), required: true, "shared: each AVS can slash everything; isolated: unique stake"),
        FieldSpec("avs", .anyOf([.list(.string), .map(.number)]), required: true,
                  "shared: a list of AVS names; isolated: a map AVS -> allocated fraction"),
        FieldSpec("operators", .map(.number), "operator -> fraction of the position, summing to 1"),
    ])

    static let insurance = FieldTable("insurance", [
        FieldSpec("coverage", .number, required: true, "fraction of AVS and operator losses paid back"),
        FieldSpec("premium_apr", .number, "annual premium on the stake (default 0, at most 1)"),
    ])

    static let oracles = Scenario.Oracle.allCases.map(\.rawValue)
    static let leverage = FieldTable("leverage", [
        FieldSpec("ratio", .number, required: true, "initial stake over equity, in [1, 1/(1 - ltv)]"),
        FieldSpec("ltv", .number, required: true, "loan-to-value limit, in [0, 1)"),
        FieldSpec("liquidation_threshold", .number, required: true, "in [ltv, 1]"),
        FieldSpec("bonus", .number, "liquidation bonus (default 0)"),
        FieldSpec("borrow_apr", .number, required: true, "annual borrow rate"),
        FieldSpec("close_factor", .number, "fraction of debt one liquidation repays (default 0.5)"),
        FieldSpec("oracle", .word(oracles), "which price liquidations see (default market)"),
    ])

    static let exitPolicies = Scenario.ExitPolicy.allCases.map(\.rawValue)
    static let exit = FieldTable("exit", [
        FieldSpec("on_incident", .word(exitPolicies), "what to do after the first incident or fault (default hold)"),
        FieldSpec("withdrawal_delay_days", .number, "withdrawal delay in days (default 14)"),
        FieldSpec("allow_delay_beyond_horizon", .boolean,
                  "accept a withdrawal delay longer than the horizon (default false)"),
    ])

    static let strategy = FieldTable("strategy", [
        FieldSpec("name", .string, required: true, "unique among strategies"),
        FieldSpec("asset", .string, required: true, "the staked asset"),
        FieldSpec("token", .string, "the liquid (re)staking token held (none: native staking)"),
        FieldSpec("base_apr", .number, required: true, "base staking yield"),
        FieldSpec("defi_apr", .number, "extra DeFi yield on the stake (default 0)"),
        FieldSpec("base_slashing", .table(baseSlashing), "base-layer slashing"),
        FieldSpec("fees", .table(fees), "fees (default 0)"),
        FieldSpec("restake", .table(restake), "restaking to AVSs"),
        FieldSpec("insurance", .table(insurance), "slashing insurance"),
        FieldSpec("leverage", .table(leverage), "a looped lending position"),
        FieldSpec("exit", .table(exit), "exit policy"),
        FieldSpec("compound_every_steps", .integer, "steps between compounding (0: never)"),
    ])

    static let numeraires = Scenario.Numeraire.allCases.map(\.rawValue)
    static let top = FieldTable("scenario", [
        FieldSpec("name", .string, required: true, "the scenario's name"),
        FieldSpec("horizon_years", .number, required: true, "the horizon H in years"),
        FieldSpec("steps_per_year", .integer, "steps per year (default 365, at most 1e6)"),
        FieldSpec("numeraire", .word(numeraires), "asset or usd (default asset)"),
        FieldSpec("report_every_steps", .integer, "fan and timeline granularity (default weekly)"),
        FieldSpec("compound_every_steps", .integer, "default steps between compounding (default 1)"),
        FieldSpec("assets", .list(.table(asset)), required: true, "price factors"),
        FieldSpec("avs", .list(.table(avs)), "incident factors"),
        FieldSpec("tokens", .list(.table(token)), "depeg factors"),
        FieldSpec("operators", .list(.table(`operator`)), "fault factors"),
        FieldSpec("correlation", .table(correlation), "how the factors are coupled (default independent)"),
        FieldSpec("copula", .anyOf([.word(["gaussian"]), .table(copula)]), "gaussian (default) or {type: student-t, dof}"),
        FieldSpec("stress", .list(.table(stressEvent)), "deterministic shocks on every path"),
        FieldSpec("strategies", .list(.table(strategy)), required: true, "ways of holding the staked asset"),
    ])

    /// Every table, each once, for the schema's definitions and for tests.
    static let all: [FieldTable] = [
        top, asset, jumps, severity, avs, token, depeg, `operator`, correlation, copula, stressEvent,
        strategy, baseSlashing, fees, restake, insurance, leverage, exit,
    ]
}
