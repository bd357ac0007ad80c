extension Sensitivity {
    /// The parameters of one strategy ranked by how far one number moves between their down and
    /// up bumps, largest first: a tornado chart's bars.
    public struct Tornado: Sendable, Equatable {
        public var strategy: String
        /// `slashing_loss.es` or `loss.es`.
        public var metric: String
        public var alpha: Double
        public var bars: [Bar]

        public struct Bar: Sendable, Equatable {
            public var parameter: String
            public var low: Double
            public var high: Double
            /// `|high - low|`, the ranking key.
            public var swing: Double { abs(high - low) }
        }

        /// The level the ranking reads: ES99.
        public static let level = 0.99
        public static let metrics = ["slashing_loss.es", "loss.es"]

        /// One ranking per strategy and metric, strategies in row order.
        static func rankings(rows: [Row]) -> [Tornado] {
            var strategies: [String] = []
            for r in rows where !strategies.contains(r.strategy) { strategies.append(r.strategy) }
            var out: [Tornado] = []
            for s in strategies {
                for m in metrics {
                    let bars = rows.filter { $0.strategy == s && $0.metric == m && $0.alpha == level }
                        .compactMap { r in r.low.flatMap { lo in r.high.map { Bar(parameter: r.parameter, low: lo, high: $0) } } }
                        // Stable for equal swings: the catalog's (file) order.
                        .enumerated().sorted { $0.element.swing != $1.element.swing ? $0.element.swing > $1.element.swing : $0.offset < $1.offset }
                        .map(\.element)
                    out.append(Tornado(strategy: s, metric: m, alpha: level, bars: bars))
                }
            }
            return out
        }
    }
}
