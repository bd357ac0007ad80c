/// A restaking scenario as read from its file, with every default applied.
///
/// Field names are the YAML names in camelCase (`incident_rate` -> `incidentRate`,
/// `base_apr` -> `baseApr`). Loading validates everything MODEL.md asks before any simulation;
/// only the symmetry and positive semidefiniteness of the correlation matrix are left to the
/// linear-algebra stage, which gets the matrix from `correlationMatrix()`.
///
/// Decisions where MODEL.md is silent (copy into the user docs):
/// - `name` (scenario) is required; so are `horizon_years`, at least one asset and at least one
///   strategy. `avs`, `tokens` and `correlation` may be omitted (no AVS, no token, independent
///   factors).
/// - The number of steps is `horizon_years * steps_per_year` rounded to the nearest whole step;
///   it must be at least 1 and at most 10^8 (`maxTotalSteps`).
/// - `report_every_steps` defaults to `max(1, steps_per_year / 52)` (weekly, integer division).
/// - `compound_every_steps` is accepted at scenario level (the default for every strategy,
///   itself defaulting to 1) and per strategy (an override); 0 means never compound.
/// - Assets: `price` > 0 and `volatility` >= 0 are required; `drift` defaults to 0; `jumps` is
///   optional (`rate` >= 0, `sd` >= 0, `mean` free).
/// - AVS: `incident_rate` and `severity` are required; `reward_apr` defaults to 0;
///   `reward_asset` defaults (per strategy) to the strategy's staked asset.
/// - Severity is exactly one of `{fixed: s}` (s in [0,1]) or `{beta: [a, b]}` (a, b > 0).
/// - Tokens: `underlying` is required and must equal the asset of every strategy holding the
///   token; `depeg` is optional (no depeg block: the token never depegs). In `depeg`, `rate`,
///   `severity` and `half_life_days` (> 0) are required, `incident_jump` defaults to 0 and `max`
///   to 1, both in [0,1]. `exposed_to` defaults to all AVSs, in declaration order.
/// - `copula` may be the bare word `gaussian` (or `{type: gaussian}`); `student-t` needs `dof`,
///   with `0 < dof <= 1e6` (v2; above 1e6 it is the Gaussian copula); `dof` given with `gaussian`
///   is an error.
/// - Operators (v2): `fault_rate` and `fault_severity` are required; `serves` defaults to every
///   AVS in declaration order and names each AVS at most once. `veto_probability` (AVS) is in
///   [0, 1], default 0. Names are unique across assets, AVSs, tokens and operators.
/// - `restake.operators` (v2): a map operator -> fraction, each in (0, 1], summing to 1 within
///   1e-9, under either security; absent: one implicit operator that never faults.
/// - `correlation.latent` (v2): at least one latent factor, in file order; its name must not be
///   a factor's; it loads declared factors only, each at most once, loadings in [-1, 1]; each
///   declared factor's `sum_f b^2 <= 1 + 1e-12` (the error names the factor, the sum and the
///   loadings). `latent` excludes `systemic` and `factors`/`matrix`.
/// - Stress events (v2): `at_days` in (0, horizon_years * 365]; at least one shock per event;
///   names refer to declared assets (`asset_return`, a log return within +-10), tokens
///   (`depeg`, in [0, 1]), AVSs (`incident`, a severity in [0, 1]) and operators
///   (`operator_fault`, in [0, 1]); `borrow_apr` is an APR as below. Errors name the event by
///   index (`stress[0].depeg.LRT`).
/// - Plausibility bounds (beyond them a value is a unit slip, not a belief): `volatility` <= 10
///   (1000%/year), `|drift|` <= 10, every APR (`base_apr`, `defi_apr`, `reward_apr`,
///   `borrow_apr`) <= 10, `premium_apr` <= 1 (100%/year), jump `rate` at most one per step and
///   `|mean|`, `sd` <= 10. `steps_per_year` <= 1,000,000. `withdrawal_delay_days` must not exceed
///   the horizon unless `exit.allow_delay_beyond_horizon: true`, and never 36,500 days.
/// - Every whole number is range-checked before it becomes an Int (`steps_per_year`,
///   `report_every_steps`, `compound_every_steps`), so no later conversion can trap.
/// - Names (scenario, factors, strategies) must be non-empty and free of control and format
///   characters (escape sequences, bidirectional overrides), which would act on a terminal.
/// - The file: at most `LoadLimits.maxFileBytes` (16 MiB) read, and never more than that plus
///   one byte from a device or pipe; UTF-8 only (a byte-order mark is dropped; invalid UTF-8, a
///   NUL byte or UTF-16 is an error with its byte offset); the YAML expands to at most
///   `maxNodes` (2,000,000) nodes, aliases and merge keys counting what they repeat, nested at
///   most `maxDepth` (64) deep, both checked on the event stream before the tree is built.
/// - YAML 1.2 core schema: decimal numbers (and `0x`/`0o` integers) only; `1:00` (base 60) is an
///   error that says so, `010` is ten, `yes`/`on` are words, dates are strings. An explicitly
///   tagged quoted number (`!!float '3000'`) is that number.
/// - Overrides (`ScenarioOverride`) edit the document before decoding: a name in brackets
///   selects the list element with that `name`, digits an index; absent maps on the way are
///   created; an empty value removes the field; a deep edit of a merged block copies the merged
///   value into an explicit key (the anchored block is unchanged).
/// - `correlation` is one of `{factors, matrix}`, `{systemic}` or `{latent}`; `repair: nearest`
///   is optional in both forms (the only accepted value). A full matrix must list every declared
///   factor exactly once. Without `correlation`, factors are independent (identity).
/// - Strategies: `asset` and `base_apr` are required (a missing base yield is more likely an
///   omission than a deliberate 0); `token`, `base_slashing`, `restake`, `insurance`, `leverage`
///   are optional; `defi_apr` defaults to 0; fees (`lst`, `operator`, `platform`) default to 0.
/// - `restake.security` is required; `shared` takes a list of AVS names (a map of fractions is
///   rejected, not ignored), `isolated` a map name -> fraction in [0,1] with sum <= 1. The list
///   or map must name at least one AVS, each at most once.
/// - `insurance.coverage` is required, `premium_apr` defaults to 0.
/// - Leverage: `ratio`, `ltv`, `liquidation_threshold` and `borrow_apr` are required; `bonus`
///   defaults to 0 (in [0,1]), `close_factor` to 0.5 (in (0,1]), `oracle` to `market`.
///   `ltv` must be below 1 (else the loop limit 1/(1-ltv) is infinite), `ratio` in
///   [1, 1/(1-ltv)], `liquidation_threshold` in [ltv, 1].
/// - `exit.on_incident` defaults to `hold`, `exit.withdrawal_delay_days` to 14 (EigenLayer's
///   current withdrawal delay), >= 0; `exit.allow_delay_beyond_horizon` to false.
/// - Numbers must be finite and unquoted (a quoted "0.5" is a string, as in JSON); an explicit
///   null (`jumps: ~`) means the field is absent. Duplicate keys are errors.
/// - YAML anchors, aliases and merge keys (`<<: *base`) are resolved before the fields are
///   checked, so a typo inside a shared block is still reported (at the anchored block's path).
/// - Unknown fields suggest the nearest known name (edit distance, swaps counted once); unknown
///   references list the declared names.
/// - Reading (types, unknown fields) stops at the first error; validation then reports up to
///   `ScenarioError.maxReported` (20) problems at once, one per independent entity (each asset,
///   AVS, token, operator, stress event, strategy, the correlation, the copula), in file order,
///   as `ScenarioError.others`; top-level and naming problems stop it early. Every error from a
///   file carries the line and column of its node (or of the nearest enclosing one).
public struct Scenario: Sendable, Equatable {
    public var name: String
    public var horizonYears: Double
    public var stepsPerYear: Int
    public var numeraire: Numeraire
    public var reportEverySteps: Int
    /// The scenario-wide default; each strategy's `compoundEverySteps` is already resolved.
    public var compoundEverySteps: Int
    public var assets: [Asset]
    public var avs: [AVS]
    public var tokens: [Token]
    /// Fault factors (v2): operators whose leaked keys slash every AVS they serve.
    public var operators: [Operator]
    /// Deterministic shocks on every path (v2), in file order.
    public var stress: [StressEvent]
    /// Nil means independent factors.
    public var correlation: Correlation?
    public var copula: Copula
    public var strategies: [Strategy]

    public init(
        name: String, horizonYears: Double, stepsPerYear: Int = 365, numeraire: Numeraire = .asset,
        reportEverySteps: Int? = nil, compoundEverySteps: Int = 1, assets: [Asset], avs: [AVS] = [],
        tokens: [Token] = [], operators: [Operator] = [], correlation: Correlation? = nil,
        copula: Copula = .gaussian, stress: [StressEvent] = [], strategies: [Strategy]
    ) {
        self.name = name
        self.horizonYears = horizonYears
        self.stepsPerYear = stepsPerYear
        self.numeraire = numeraire
        self.reportEverySteps = reportEverySteps ?? Scenario.defaultReportEverySteps(stepsPerYear: stepsPerYear)
        self.compoundEverySteps = compoundEverySteps
        self.assets = assets
        self.avs = avs
        self.tokens = tokens
        self.operators = operators
        self.stress = stress
        self.correlation = correlation
        self.copula = copula
        self.strategies = strategies
    }

    /// Weekly reporting when the file does not say.
    static func defaultReportEverySteps(stepsPerYear: Int) -> Int { max(1, stepsPerYear / 52) }

    /// Total number of steps `T`: the horizon rounded to whole steps.
    public var totalSteps: Int { Int((horizonYears * Double(stepsPerYear)).rounded()) }

    /// Step length in years.
    public var dt: Double { 1.0 / Double(stepsPerYear) }

    public enum Numeraire: String, Sendable, Equatable, CaseIterable {
        case asset, usd
    }

    /// A price factor.
    public struct Asset: Sendable, Equatable {
        public var name: String
        public var price: Double
        public var drift: Double
        public var volatility: Double
        public var jumps: Jumps?
        public init(name: String, price: Double, drift: Double = 0, volatility: Double, jumps: Jumps? = nil) {
            self.name = name; self.price = price; self.drift = drift; self.volatility = volatility; self.jumps = jumps
        }
    }

    /// Compound-Poisson jumps in the log price: at most one per step.
    public struct Jumps: Sendable, Equatable {
        public var rate: Double
        public var mean: Double
        public var sd: Double
        public init(rate: Double, mean: Double, sd: Double) { self.rate = rate; self.mean = mean; self.sd = sd }
    }

    /// A loss fraction per event.
    public enum Severity: Sendable, Equatable {
        case fixed(Double)
        case beta(a: Double, b: Double)

        /// The mean loss fraction, for reports and sanity checks.
        public var mean: Double {
            switch self {
            case .fixed(let s): return s
            case .beta(let a, let b): return a / (a + b)
            }
        }
    }

    /// An incident factor: a service whose failures slash the stake allocated to it.
    public struct AVS: Sendable, Equatable {
        public var name: String
        public var incidentRate: Double
        public var severity: Severity
        public var rewardApr: Double
        /// Nil: rewards are paid in the staked asset of each strategy.
        public var rewardAsset: String?
        /// `veto_probability` v (v2): each incident is vetoed, independently, with probability v.
        public var vetoProbability: Double
        public init(name: String, incidentRate: Double, severity: Severity, rewardApr: Double = 0,
                    rewardAsset: String? = nil, vetoProbability: Double = 0) {
            self.name = name; self.incidentRate = incidentRate; self.severity = severity
            self.rewardApr = rewardApr; self.rewardAsset = rewardAsset; self.vetoProbability = vetoProbability
        }

        /// The asset this AVS pays in for a strategy staking `stakedAsset`.
        public func rewardAsset(stakedAsset: String) -> String { rewardAsset ?? stakedAsset }
    }

    /// A liquid (re)staking token: a depeg factor.
    public struct Token: Sendable, Equatable {
        public var name: String
        public var underlying: String
        /// Nil: the token never depegs on its own (R stays 1).
        public var depeg: Depeg?
        /// AVSs whose incidents jump the discount; defaults to all AVSs.
        public var exposedTo: [String]
        public init(name: String, underlying: String, depeg: Depeg? = nil, exposedTo: [String]) {
            self.name = name; self.underlying = underlying; self.depeg = depeg; self.exposedTo = exposedTo
        }
    }

    /// The discount process `D` of a token.
    public struct Depeg: Sendable, Equatable {
        public var rate: Double
        public var severity: Severity
        public var halfLifeDays: Double
        public var incidentJump: Double
        public var max: Double
        public init(rate: Double, severity: Severity, halfLifeDays: Double, incidentJump: Double = 0, max: Double = 1) {
            self.rate = rate; self.severity = severity; self.halfLifeDays = halfLifeDays
            self.incidentJump = incidentJump; self.max = max
        }
    }

    /// An operator (v2 fault factor): a fault slashes the stake it runs on every AVS it serves.
    public struct Operator: Sendable, Equatable {
        public var name: String
        /// Annual probability of at least one fault.
        public var faultRate: Double
        public var faultSeverity: Severity
        /// The AVSs the operator runs, in file order; defaults to every AVS.
        public var serves: [String]
        public init(name: String, faultRate: Double, faultSeverity: Severity, serves: [String]) {
            self.name = name; self.faultRate = faultRate; self.faultSeverity = faultSeverity; self.serves = serves
        }
    }

    /// One latent factor of `correlation.latent`: its loadings on declared factors.
    public struct LatentFactor: Sendable, Equatable {
        public var name: String
        /// Loadings by declared factor name, in file order.
        public var loadings: [(factor: String, loading: Double)]
        public init(name: String, loadings: [(factor: String, loading: Double)]) {
            self.name = name; self.loadings = loadings
        }
        public static func == (a: LatentFactor, b: LatentFactor) -> Bool {
            a.name == b.name && a.loadings.map(\.factor) == b.loadings.map(\.factor)
                && a.loadings.map(\.loading) == b.loadings.map(\.loading)
        }
    }

    /// A deterministic shock applied on every path in the step containing `atDays` (v2).
    public struct StressEvent: Sendable, Equatable {
        public var atDays: Double
        /// Log returns added to assets, by asset name, in file order.
        public var assetReturns: [Pair]
        /// Discounts the tokens are set to at least, by token name.
        public var depegs: [Pair]
        /// Forced incidents (never vetoed) with their severities, by AVS name.
        public var incidents: [Pair]
        /// Forced operator faults with their severities, by operator name.
        public var operatorFaults: [Pair]
        /// From this step on, every leveraged strategy's borrow rate.
        public var borrowApr: Double?
        public struct Pair: Sendable, Equatable {
            public var name: String
            public var value: Double
            public init(name: String, value: Double) { self.name = name; self.value = value }
        }
        public init(atDays: Double, assetReturns: [Pair] = [], depegs: [Pair] = [], incidents: [Pair] = [],
                    operatorFaults: [Pair] = [], borrowApr: Double? = nil) {
            self.atDays = atDays; self.assetReturns = assetReturns; self.depegs = depegs
            self.incidents = incidents; self.operatorFaults = operatorFaults; self.borrowApr = borrowApr
        }
    }

    /// How the factors are coupled.
    public struct Correlation: Sendable, Equatable {
        public enum Form: Sendable, Equatable {
            /// A full matrix over `factors`, in that order.
            case matrix(factors: [String], matrix: [[Double]])
            /// One-factor model: loadings by factor name; unlisted factors load 0.
            case systemic([String: Double])
            /// Multi-factor loadings (v2), `C_ij = sum_f b_if b_jf` off the diagonal.
            case latent([LatentFactor])
        }
        public var form: Form
        /// `repair: nearest`: replace an invalid matrix by the nearest correlation matrix.
        public var repair: Bool
        public init(form: Form, repair: Bool = false) { self.form = form; self.repair = repair }
    }

    public enum Copula: Sendable, Equatable {
        case gaussian
        /// Student-t with `0 < dof <= 1e6` degrees of freedom.
        case studentT(dof: Double)
    }

    /// One way of holding the staked asset, simulated on the common draws.
    public struct Strategy: Sendable, Equatable {
        public var name: String
        public var asset: String
        /// Nil: native staking (R = 1).
        public var token: String?
        public var baseApr: Double
        public var defiApr: Double
        public var baseSlashing: BaseSlashing?
        public var fees: Fees
        public var restake: Restake?
        public var insurance: Insurance?
        public var leverage: Leverage?
        public var exit: Exit
        /// Resolved: the strategy's own value or the scenario default.
        public var compoundEverySteps: Int

        public init(
            name: String, asset: String, token: String? = nil, baseApr: Double, defiApr: Double = 0,
            baseSlashing: BaseSlashing? = nil, fees: Fees = Fees(), restake: Restake? = nil,
            insurance: Insurance? = nil, leverage: Leverage? = nil, exit: Exit = Exit(), compoundEverySteps: Int = 1
        ) {
            self.name = name; self.asset = asset; self.token = token; self.baseApr = baseApr
            self.defiApr = defiApr; self.baseSlashing = baseSlashing; self.fees = fees
            self.restake = restake; self.insurance = insurance; self.leverage = leverage
            self.exit = exit; self.compoundEverySteps = compoundEverySteps
        }

        /// The allocation m_j of an AVS in this strategy (0 when it is not restaked to it).
        public func allocation(to avs: String) -> Double {
            restake?.allocations.first(where: { $0.avs == avs })?.fraction ?? 0
        }
    }

    /// Base-layer (consensus) slashing, independent of the factors.
    public struct BaseSlashing: Sendable, Equatable {
        public var rate: Double
        public var severity: Severity
        public init(rate: Double, severity: Severity) { self.rate = rate; self.severity = severity }
    }

    public struct Fees: Sendable, Equatable {
        public var lst: Double
        public var `operator`: Double
        public var platform: Double
        public init(lst: Double = 0, operator: Double = 0, platform: Double = 0) {
            self.lst = lst; self.operator = `operator`; self.platform = platform
        }
    }

    public enum Security: String, Sendable, Equatable, CaseIterable {
        /// Every listed AVS can slash the whole stake.
        case shared
        /// Unique stake: each AVS can slash only its allocated fraction.
        case isolated
    }

    public struct Restake: Sendable, Equatable {
        public struct Allocation: Sendable, Equatable {
            public var avs: String
            /// m_j: 1 under shared security, the allocated fraction under isolated.
            public var fraction: Double
            public init(avs: String, fraction: Double) { self.avs = avs; self.fraction = fraction }
        }
        public struct OperatorShare: Sendable, Equatable {
            public var `operator`: String
            public var fraction: Double
            public init(operator: String, fraction: Double) { self.operator = `operator`; self.fraction = fraction }
        }
        public var security: Security
        /// In file order.
        public var allocations: [Allocation]
        /// `restake.operators` (v2), fractions summing to 1; empty: one implicit operator that never faults.
        public var operators: [OperatorShare]
        public init(security: Security, allocations: [Allocation], operators: [OperatorShare] = []) {
            self.security = security; self.allocations = allocations; self.operators = operators
        }
    }

    public struct Insurance: Sendable, Equatable {
        public var coverage: Double
        public var premiumApr: Double
        public init(coverage: Double, premiumApr: Double = 0) { self.coverage = coverage; self.premiumApr = premiumApr }
    }

    /// Which token/underlying ratio the lending market's liquidations see.
    public enum Oracle: String, Sendable, Equatable, CaseIterable {
        /// The traded ratio (DEX-priced markets, as in the April 2024 ezETH depeg).
        case market
        /// R = 1 for liquidations (as Aave prices wstETH at Lido's exchange rate).
        case exchangeRate = "exchange_rate"
    }

    public struct Leverage: Sendable, Equatable {
        public var ratio: Double
        public var ltv: Double
        public var liquidationThreshold: Double
        public var bonus: Double
        public var borrowApr: Double
        public var closeFactor: Double
        public var oracle: Oracle
        public init(
            ratio: Double, ltv: Double, liquidationThreshold: Double, bonus: Double = 0, borrowApr: Double,
            closeFactor: Double = 0.5, oracle: Oracle = .market
        ) {
            self.ratio = ratio; self.ltv = ltv; self.liquidationThreshold = liquidationThreshold
            self.bonus = bonus; self.borrowApr = borrowApr; self.closeFactor = closeFactor; self.oracle = oracle
        }

        /// The most a loop can reach by re-depositing borrowed funds: 1/(1 - ltv).
        public var maxRatio: Double { 1 / (1 - ltv) }
    }

    public enum ExitPolicy: String, Sendable, Equatable, CaseIterable {
        case hold, withdraw, sell
    }

    public struct Exit: Sendable, Equatable {
        public var onIncident: ExitPolicy
        public var withdrawalDelayDays: Double
        /// `allow_delay_beyond_horizon`: a delay longer than the horizon is a likely typo unless said.
        public var allowDelayBeyondHorizon: Bool
        public init(onIncident: ExitPolicy = .hold, withdrawalDelayDays: Double = 14, allowDelayBeyondHorizon: Bool = false) {
            self.onIncident = onIncident; self.withdrawalDelayDays = withdrawalDelayDays
            self.allowDelayBeyondHorizon = allowDelayBeyondHorizon
        }
    }
}
