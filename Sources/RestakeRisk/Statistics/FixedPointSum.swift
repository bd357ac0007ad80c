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

    /// The exact sum of `count` values: the same bits as adding them one by one.
    ///
    /// Chunks whose values all lie in [0, 2^31) (every equity value) are summed eight lanes at
    /// a time in Int64: whole parts and fractions in units of 2^-52, each exactly an integer
    /// below 2^52 that `x + 2^52` turns into bits without a scalar conversion. A lane gathers at
    /// most 128 terms, below 2^59 in all. Other chunks take `add(_:)` value by value.
    public init(summing values: UnsafePointer<Double>, count: Int) {
        precondition(count >= 0, "FixedPointSum: count must be non-negative")
        let chunk = 1024
        var start = 0
        while start < count {
            let end = Swift.min(count, start &+ chunk)
            var low = Double.infinity, high = -Double.infinity
            for p in start..<end {
                low = Swift.min(low, values[p])
                high = Swift.max(high, values[p])
            }
            if low >= 0 && high < 0x1p31 {
                var wholes = SIMD8<Int64>(), fractions = SIMD8<Int64>()
                let two52 = SIMD8<Double>(repeating: Self.scale)
                let bias = SIMD8<Int64>(repeating: Int64(bitPattern: Self.scale.bitPattern))
                var p = start
                while end &- p >= 8 {
                    let v = UnsafeRawPointer(values + p).loadUnaligned(as: SIMD8<Double>.self)
                    let whole = v.rounded(.towardZero)
                    let fraction = ((v - whole) * two52).rounded(.towardZero)
                    wholes &+= unsafeBitCast(whole + two52, to: SIMD8<Int64>.self) &- bias
                    fractions &+= unsafeBitCast(fraction + two52, to: SIMD8<Int64>.self) &- bias
                    p &+= 8
                }
                raw &+= Int128(wholes.wrappedSum()) << 52 &+ Int128(fractions.wrappedSum())
                while p < end {
                    add(values[p])
                    p &+= 1
                }
            } else {
                for p in start..<end { add(values[p]) }
            }
            start = end
        }
    }

    /// Adds another sum.

    public mutating func add(_ other: FixedPointSum) { raw &+= other.raw }

    /// The sum as a double (rounded once).
    public var value: Double { Double(raw) / Self.scale }
}
