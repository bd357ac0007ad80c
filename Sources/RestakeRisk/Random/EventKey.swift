/// The Philox key of one (seed, purpose, entity): every event draw of that entity and purpose.
///
/// The entity is named, not numbered, so reordering, adding or removing entities in a
/// scenario leaves every other entity's draws unchanged. The 64-bit key is
/// `SplitMix64.mix(SplitMix64.mix(seed) ^ SplitMix64.mix(fnv1a64(entity) ^ purpose << 32))`,
/// fixed forever: changing it changes every keyed draw of every run.
public struct EventKey: Sendable, Hashable {
    /// The 64-bit Philox4x32 key, as its two 32-bit words.
    public let philoxKey: SIMD2<UInt32>

    /// Creates the key of `purpose` for the entity named `entity` under `seed`.
    public init(seed: UInt64, purpose: EventPurpose, entity: String) {
        let named = Self.fnv1a64(entity) ^ (UInt64(purpose.rawValue) &<< 32)
        let k = SplitMix64.mix(SplitMix64.mix(seed) ^ SplitMix64.mix(named))
        philoxKey = SIMD2(UInt32(truncatingIfNeeded: k), UInt32(truncatingIfNeeded: k &>> 32))
    }

    /// FNV-1a 64 over the UTF-8 bytes of `name`: a fixed hash, unlike `Hasher`, which is seeded per process.
    public static func fnv1a64(_ name: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }
}
