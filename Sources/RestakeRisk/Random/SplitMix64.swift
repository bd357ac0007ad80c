/// Vigna's SplitMix64: a 64-bit counter passed through a bijective mixer.
///
/// Used only to expand seeds into generator states; its outputs are well spread even for
/// neighbouring seeds such as 0, 1, 2, which is exactly what seeding needs.
public struct SplitMix64: Sendable {
    @usableFromInline var state: UInt64

    /// Creates a generator whose first output is `mix(seed + golden gamma)`.
    public init(seed: UInt64) {
        state = seed
    }

    /// Returns the next 64-bit output.
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SplitMix64.mix(state)
    }

    /// The SplitMix64 finaliser, a bijection on `UInt64`.
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z &>> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z &>> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z &>> 31)
    }
}
