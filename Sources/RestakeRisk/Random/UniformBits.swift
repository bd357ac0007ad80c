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
        (SIMD8<Double>(bits &>> 12) + 0.5) * 0x1p-52
    }

    /// A uniform in [0, 1) with 53 bits, used where 0 is harmless (ziggurat abscissae).
    @inlinable @inline(__always)
    static func closedOpen01(_ bits: UInt64) -> Double {
        Double(bits &>> 11) * 0x1p-53
    }
}
