/// One path's state after every step, per strategy: the numbers behind a replay's figure
/// (`trace.csv`).
///
/// Path i's draws depend only on (seed, i), so a trace re-simulates exactly the path the run
/// simulated: the last point's equity is that path's terminal wealth, bit for bit.
public struct PathTrace: Sendable, Equatable {
    /// Where the position stands (MODEL.md step 6).
    public enum Phase: String, Sendable {
        case active, withdrawing, exited
    }

    /// One strategy's state at the end of one step (step 0: the start of the horizon).
    public struct Point: Sendable, Equatable {
        public var step: Int
        public var tYears: Double
        /// The strategy's asset price relative to the start, `P(t) / P(0)` in USD.
        public var assetPrice: Double
        /// The strategy's token discount `D` (0 for a strategy without a token: R = 1).
        public var discount: Double
        /// `HF = V * liquidation_threshold / debt` at the lending market's oracle; nil without
        /// leverage, without debt, or after an exit.
        public var healthFactor: Double?
        /// Debt in asset units over W0 (0 without leverage).
        public var debt: Double
        /// `W_t` in the numeraire.
        public var equity: Double
        /// Cumulative slashed amount over W0, every source.
        public var slashingLoss: Double
        /// Liquidation rounds so far.
        public var liquidations: Int
        public var phase: Phase
    }

    /// The path's global index in the run.
    public var path: Int
    /// Per strategy in the model's order, steps 0 through T.
    public var strategies: [[Point]]
    /// Per strategy: the name of its asset, and of its token (nil for native staking).
    public var assetNames: [String]
    public var tokenNames: [String?]
}
