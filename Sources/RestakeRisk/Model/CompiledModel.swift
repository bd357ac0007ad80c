/// A validated scenario compiled into the flat numbers the block kernel reads.
///
/// Everything the kernel needs per step is precomputed here once: per-step probabilities turned
/// into copula thresholds `F^-1(q(p))`, per-step drifts and reward rates, decay factors, and the
/// correlation factor. The value is immutable and shared by every worker.
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
    /// Factor names in the order of the correlation factor's rows: assets, AVSs, tokens.
    public var factorNames: [String]
    public var correlation: CholeskyFactor
    /// The Student-t copula's degrees of freedom; nil for the Gaussian copula.
    public var studentDegreesOfFreedom: Double?
    public var assets: [Asset]
    public var services: [Service]
    public var tokens: [Token]
    public var strategies: [Strategy]

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
        /// `sigma sqrt(dt)`, times `sqrt((nu - 2) / nu)` under the Student-t copula (unit variance).
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

    /// One AVS in a strategy's restaking set.
    public struct Allocation: Sendable {
        public var service: Int
        /// `m_j`: 1 under shared security, the allocated fraction under isolated security.
        public var fraction: Double
        /// `reward_apr * dt * (1 - fees.operator)`.
        public var rewardPerStep: Double
        /// Index into `assets` of the reward's asset; nil when it is the strategy's own asset.
        public var rewardAsset: Int?
    }

    public struct Leverage: Sendable {
        public var ratio: Double
        public var liquidationThreshold: Double
        public var bonus: Double
        /// `1 + borrow_apr * dt`.
        public var debtGrowthPerStep: Double
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
        /// `base_apr * dt * (1 - fees.lst)`.
        public var baseRewardPerStep: Double
        public var allocations: [Allocation]
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
    }

    public init(steps: Int, stepsPerYear: Int, horizonYears: Double, reportingSteps: [Int],
                numeraireIsUSD: Bool, factorNames: [String], correlation: CholeskyFactor,
                studentDegreesOfFreedom: Double?, assets: [Asset], services: [Service],
                tokens: [Token], strategies: [Strategy]) {
        precondition(steps > 0 && stepsPerYear > 0, "a model needs at least one step")
        precondition(reportingSteps.first == 0 && reportingSteps.last == steps, "reporting steps must run from 0 to T")
        precondition(correlation.dimension == factorNames.count, "one correlation row per factor")
        self.steps = steps; self.stepsPerYear = stepsPerYear; self.horizonYears = horizonYears
        self.reportingSteps = reportingSteps; self.numeraireIsUSD = numeraireIsUSD
        self.factorNames = factorNames; self.correlation = correlation
        self.studentDegreesOfFreedom = studentDegreesOfFreedom
        self.assets = assets; self.services = services; self.tokens = tokens; self.strategies = strategies
    }
}

extension CompiledModel.Strategy {
    /// Per-step reward rate paid in the staked asset itself: base, DeFi, and AVS rewards whose
    /// reward asset is the staked asset (price ratio 1).
    public var ownRewardPerStep: Double {
        baseRewardPerStep + defiRewardPerStep
            + allocations.filter { $0.rewardAsset == nil }.reduce(0) { $0 + $1.fraction * $1.rewardPerStep }
    }

    /// Per-step AVS reward rates paid in other assets, summed per reward asset (ascending index).
    public var foreignRewardsPerStep: [(asset: Int, rate: Double)] {
        var rates: [Int: Double] = [:]
        for a in allocations { if let asset = a.rewardAsset { rates[asset, default: 0] += a.fraction * a.rewardPerStep } }
        return rates.keys.sorted().map { ($0, rates[$0]!) }
    }

    /// Bit j set when AVS j is in the strategy's set (all bits when there are more than 64 AVSs).
    func serviceMask(serviceCount: Int) -> UInt64 {
        serviceCount > 64 ? ~0 : allocations.reduce(0) { $0 | (1 << UInt64($1.service)) }
    }
}

extension CompiledModel {
    /// The sources of a strategy's slashing losses: its AVSs in scenario order, then `base`.
    public func attributionSources(of strategy: Int) -> [String] {
        strategies[strategy].allocations.map { services[$0.service].name } + ["base"]
    }
}
