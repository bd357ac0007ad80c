/// Where the fan keeps each strategy's accumulator at each reporting time: the one place that
/// spells the flat layout.
public struct FanLayout: Sendable, Equatable {
    public let strategyCount: Int
    /// Reporting times, t = 0 and t = T included.
    public let timeCount: Int

    public init(strategyCount: Int, timeCount: Int) {
        precondition(strategyCount >= 0 && timeCount >= 2, "a fan needs t = 0 and t = T")
        self.strategyCount = strategyCount; self.timeCount = timeCount
    }

    /// Number of accumulators.
    public var count: Int { strategyCount * timeCount }

    /// The flat index of one strategy's accumulator at one reporting time.
    @inline(__always)
    public func index(strategy: Int, time: Int) -> Int {
        assert(strategy >= 0 && strategy < strategyCount && time >= 0 && time < timeCount)
        return strategy &* timeCount &+ time
    }

    /// The reporting time of a flat index.
    public func time(of index: Int) -> Int { index % timeCount }

    /// Whether a reporting time is recorded by histograms: t = 0 and t = T are exact (every path
    /// starts at `W0 = 1`; the terminal column is kept whole), so they hold none.
    public func isRecorded(time: Int) -> Bool { time > 0 && time < timeCount - 1 }
}
