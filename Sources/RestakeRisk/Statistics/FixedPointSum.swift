/// An exact sum of non-negative doubles in 128-bit fixed point, so the order of adding never matters.
///
/// Floating-point sums depend on the order of their terms; partial sums from threads, blocks or
/// shards would then differ in their last bits. Each value is truncated to a multiple of 2^-52
/// (an absolute error below 2.3e-16 per term) and summed exactly as an integer, so any
/// partition of the paths gives the same bits.
public struct FixedPointSum: Sendable, Equatable {
    /// The sum in units of 2^-52.
    public private(set) var raw: Int128 = 0

    static let scale = 0x1p52
    /// The largest value a term may have: 2^60, leaving 2^15 of headroom below 2^127 for 2^52 terms.
    static let maximum = 0x1p60

    public init() {}
    public init(raw: Int128) { self.raw = raw }

    /// Adds a finite value; values above 2^60 are clamped (far beyond any equity multiple).

    public mutating func add(_ x: Double) {
        assert(x.isFinite)
        let v = Swift.min(Swift.max(x, -Self.maximum), Self.maximum)
        // Whole and fractional parts separately: two exact Int64 conversions are much cheaper
        // than the generic Double -> Int128 one, and give the same truncated value.
        let whole = v.rounded(.towardZero)
        let fraction = (v - whole) * Self.scale
        raw &+= Int128(Int64(whole)) << 52 &+ Int128(Int64(fraction))
    }

    /// Adds another sum.

    public mutating func add(_ other: FixedPointSum) { raw &+= other.raw }

    /// The sum as a double (rounded once).
    public var value: Double { Double(raw) / Self.scale }
}
