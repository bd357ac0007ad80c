/// Conversions from random bits to doubles, shared by every generator.
///
/// Open uniforms use the top 52 bits plus one half: `(k + 0.5) * 2^-52`. The 53-bit variant
/// `(k + 0.5) * 2^-53` looks finer but rounds `k = 2^53 - 1` up to exactly 1.0, so it cannot
/// promise the open interval that `log(u)` and quantile transforms rely on.
@usableFromInline
enum UniformBits {
    /// A uniform strictly inside (0, 1): smallest 2^-53, largest 1 - 2^-53.
    @inlinable @inline(__always)
    static func open01(_ bits: UInt64) -> Double {
        (Double(bits &>> 12) + 0.5) * 0x1p-52
    }

    @inlinable @inline(__always)
    static func open01(_ bits: SIMD8<UInt64>) -> SIMD8<Double> {
        (exact(bits &>> 12) + 0.5) * 0x1p-52
    }

    /// `bits` (each below 2^53) as doubles, exactly.
    ///
    /// By the 2^52 exponent trick on the two halves `bits / 2` and `bits % 2`: plain lane
    /// operations. The stdlib's integer-vector conversion is a generic call that the compiler
    /// does not inline here (measured at 1% of a run on its own).
    @inlinable @inline(__always)
    static func exact(_ bits: SIMD8<UInt64>) -> SIMD8<Double> {
        let exponent = SIMD8<UInt64>(repeating: 0x4330_0000_0000_0000)  // the bits of 2^52
        let two52 = SIMD8<Double>(repeating: 0x1p52)
        let half: SIMD8<Double> = unsafeBitCast((bits &>> 1) | exponent, to: SIMD8<Double>.self) - two52
        let odd: SIMD8<Double> = unsafeBitCast((bits & 1) | exponent, to: SIMD8<Double>.self) - two52
        return half * 2 + odd
    }
}
