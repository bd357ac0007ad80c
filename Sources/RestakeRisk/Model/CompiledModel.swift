/// A validated scenario compiled into the flat numbers the block kernel reads.
///
/// Everything true for every path of a scenario is decided here once: per-step probabilities
/// turned into copula thresholds, per-step drifts and reward rates, decay factors, each
/// strategy's sub-positions and exposures, its attribution sources, which prices are needed,
/// the stress schedule, and the correlation factor. The value is immutable and shared by every
/// worker.
public struct CompiledModel: Sendable {
    /// Steps in the horizon, `T = H * steps_per_year` (rounded to the nearest step).
    public var steps: Int
    public var stepsPerYear: Int
    public var horizonYears: Double
    /// Step length in years.
    public var dt: Double { 1 / Double(stepsPerYear) }
    /// The steps after which the fan is recorded, ascending, starting at 0 and ending at `steps`.
    public var reportingSteps: [Int]
    /// Whether equity is reported in USD (multiplied by `P_asset(t) / P_asset(0)`).
    public var numeraireIsUSD: Bool
    /// Factor names in the order of the correlation factor's rows: assets, AVSs, tokens, operators.
    public var factorNames: [String]
    /// How the factor draws are correlated (Cholesky factor, latent loadings, or none).
    public var correlation: CorrelatedSampler.Correlation
    /// The Student-t copula's degrees of freedom; nil for the Gaussian copula.
    public var studentDegreesOfFreedom: Double?
    public var assets: [Asset]
    public var services: [Service]
    public var tokens: [Token]
    public var operators: [Operator]
    public var strategies: [Strategy]
    /// Deterministic shocks, ascending by step (at most one entry per step).
    public var stress: [StressStep]
    /// Per asset: whether any output depends on its price (USD numeraire, foreign rewards).
    public var needsPrice: [Bool]

    /// How a slash or depeg shock's size is drawn.
    public enum Severity: Sendable, Equatable {
        case fixed(Double)
        case beta(Double, Double)
    }

    /// A price factor.
    public struct Asset: Sendable {
        public var name: String
        public var factorIndex: Int
        /// `(mu - sigma^2 / 2) dt`.
        public var logDriftPerStep: Double
        /// `sigma sqrt(dt)`: the log return's Gaussian shock scale under either copula.
        public var shockScale: Double
        /// `1 - exp(-rate dt)`: at most one jump per step.
        public var jumpProbability: Double
        public var jumpMean: Double
        public var jumpSD: Double
    }

    /// An AVS (incident factor).
    public struct Service: Sendable {
        public var name: String
        public var factorIndex: Int
        /// An incident happens in a step iff the factor's draw is below this.
        public var threshold: Double
        public var severity: Severity
        /// Probability that an incident is vetoed (not slashed; it still moves depegs).
        public var vetoProbability: Double
    }

    /// An operator (fault factor).
    public struct Operator: Sendable {
        public var name: String
        public var factorIndex: Int
        public var threshold: Double
        public var severity: Severity
    }

    /// A liquid (re)staking token (depeg factor).
    public struct Token: Sendable {
        public var name: String
        public var factorIndex: Int
        public var threshold: Double
        public var severity: Severity
        /// `2^(-dt * 365 / half_life_days)`.
        public var decayPerStep: Double
        public var incidentJump: Double
        public var maximum: Double
        /// Indices into `services` of the AVSs whose incidents move this token.
        public var exposedTo: [Int]
    }

    /// One AVS in a strategy's restaking set (kept for reports; the kernel reads `subPositions`).
    public struct Allocation: Sendable {
        public var service: Int
        /// `m_j`: 1 under shared security, the allocated fraction under isolated security.
        public var fraction: Double
        /// `reward_apr * dt * (1 - fees.operator)`.
        public var rewardPerStep: Double
        /// Index into `assets` of the reward's asset; nil when it is the strategy's own asset.
        public var rewardAsset: Int?
    }

    /// A sub-position's exposure to one AVS.
    public struct Exposure: Sendable {
        public var service: Int
        /// Index of the AVS among the strategy's attribution sources.
        public var source: Int
        /// `m_j` (1 under shared security).
        public var fraction: Double
        public var rewardPerStep: Double
        /// Index into `rewardAssets` of the strategy; nil when paid in the staked asset.
        public var rewardSlot: Int?
    }

    /// The part of a position run by one operator (MODEL.md v2 step 2).
    public struct SubPosition: Sendable {
        /// Index into `operators`; nil for the implicit operator that never faults.
        public var `operator`: Int?
        /// Index of the operator among the strategy's attribution sources; nil when implicit.
        public var source: Int?
        /// Share of the position at the start.
        public var fraction: Double
        /// The AVSs this sub-position is exposed to, in declaration order.
        public var exposures: [Exposure]
    }

    public struct Leverage: Sendable {
        public var ratio: Double
        public var liquidationThreshold: Double
        public var bonus: Double
        /// `borrow_apr * dt`.
        public var borrowPerStep: Double
        public var closeFactor: Double
        /// True when the market's oracle sees the traded ratio R; false for the exchange rate.
        public var oracleIsMarket: Bool
    }

    public enum Exit: Sendable, Equatable {
        case hold
        case sell
        /// Stays slashable for this many steps, earning nothing, then converts at par.
        case withdraw(delaySteps: Int)
    }

    public struct Strategy: Sendable {
        public var name: String
        public var asset: Int
        /// Index into `tokens`; nil for native staking (R = 1).
        public var token: Int?
        public var isolated: Bool
        /// `base_apr * dt * (1 - fees.lst)`.
        public var baseRewardPerStep: Double
        public var allocations: [Allocation]
        public var subPositions: [SubPosition]
        /// Assets other than the staked one that AVS rewards are paid in (indices into `assets`).
        public var rewardAssets: [Int]
        /// `defi_apr * dt`.
        public var defiRewardPerStep: Double
        /// `1 - fees.platform`.
        public var platformKeep: Double
        /// Per-step probability of base-layer slashing, and its severity; probability 0 when absent.
        public var baseSlashingProbability: Double
        public var baseSlashingSeverity: Severity
        public var insuranceCoverage: Double
        /// `premium_apr * dt`.
        public var premiumPerStep: Double
        /// Steps between compoundings; 0 never compounds.
        public var compoundEverySteps: Int
        public var leverage: Leverage?
        public var exit: Exit
        /// Attribution sources: the strategy's AVSs, its operators, then `base`.
        public var sources: [String]
        public var sourceKinds: [SourceKind]
        /// For each AVS (index into `services`), the sub-positions exposed to it and at which
        /// exposure; empty when the AVS cannot hit the strategy.
        public var exposuresByService: [[(subPosition: Int, exposure: Int)]]
    }

    /// What kind of entity an attribution source is.
    public enum SourceKind: String, Sendable {
        case avs, `operator`, base
    }

    /// The deterministic shocks of one step (MODEL.md v2 Stress events).
    public struct StressStep: Sendable {
        /// 0-based step index.
        public var step: Int
        public var assetReturns: [(asset: Int, logReturn: Double)]
        public var depegs: [(token: Int, discount: Double)]
        public var incidents: [(service: Int, severity: Double)]
        public var faults: [(operator: Int, severity: Double)]
        public var borrowApr: Double?
    }

    public init(steps: Int, stepsPerYear: Int, horizonYears: Double, reportingSteps: [Int],
                numeraireIsUSD: Bool, factorNames: [String], correlation: CorrelatedSampler.Correlation,
                studentDegreesOfFreedom: Double?, assets: [Asset], services: [Service],
                tokens: [Token], operators: [Operator] = [], strategies: [Strategy],
                stress: [StressStep] = []) {
        precondition(steps > 0 && stepsPerYear > 0, "a model needs at least one step")
        precondition(reportingSteps.first == 0 && reportingSteps.last == steps, "reporting steps must run from 0 to T")
        precondition(CorrelatedSampler(correlation: correlation).dimension == factorNames.count, "one correlation row per factor")
        self.steps = steps; self.stepsPerYear = stepsPerYear; self.horizonYears = horizonYears
        self.reportingSteps = reportingSteps; self.numeraireIsUSD = numeraireIsUSD
        self.factorNames = factorNames; self.correlation = correlation
        self.studentDegreesOfFreedom = studentDegreesOfFreedom
        self.assets = assets; self.services = services; self.tokens = tokens
        self.operators = operators; self.strategies = strategies; self.stress = stress
        needsPrice = assets.indices.map { a in
            numeraireIsUSD || strategies.contains { s in !s.rewardAssets.isEmpty && (s.asset == a || s.rewardAssets.contains(a)) }
        }
    }
}

extension CompiledModel {
    /// The sources of a strategy's slashing losses: its AVSs in scenario order, its operators,
    /// then `base`.
    public func attributionSources(of strategy: Int) -> [String] { strategies[strategy].sources }

    /// The kind (`avs`, `operator`, `base`) of each of `attributionSources(of:)`.
    public func attributionSourceKinds(of strategy: Int) -> [SourceKind] { strategies[strategy].sourceKinds }
}
