/// Philox4x32-10, the counter-based generator of Salmon et al. (Random123, SC'11).
///
/// Kept beside the xoshiro engine for comparison and for code that needs random access by
/// counter; it measured ~5x slower here, so `RandomStream` does not use it.
public struct Philox4x32: Sendable {
    @usableFromInline static let m0: UInt32 = 0xD251_1F53
    @usableFromInline static let m1: UInt32 = 0xCD9E_8D57
    @usableFromInline static let w0: UInt32 = 0x9E37_79B9
    @usableFromInline static let w1: UInt32 = 0xBB67_AE85

    /// Returns the ten-round Philox4x32 bijection of `counter` under `key`.
    @inlinable
    public static func block(counter: SIMD4<UInt32>, key: SIMD2<UInt32>) -> SIMD4<UInt32> {
        var c0 = counter[0], c1 = counter[1], c2 = counter[2], c3 = counter[3]
        var k0 = key[0], k1 = key[1]
        for round in 0..<10 {
            if round > 0 {
                k0 &+= w0
                k1 &+= w1
            }
            let p0 = UInt64(m0) &* UInt64(c0)
            let p1 = UInt64(m1) &* UInt64(c2)
            let hi0 = UInt32(truncatingIfNeeded: p0 &>> 32), lo0 = UInt32(truncatingIfNeeded: p0)
            let hi1 = UInt32(truncatingIfNeeded: p1 &>> 32), lo1 = UInt32(truncatingIfNeeded: p1)
            c0 = hi1 ^ c1 ^ k0
            c1 = lo1
            c2 = hi0 ^ c3 ^ k1
            c3 = lo0
        }
        return SIMD4(c0, c1, c2, c3)
    }

    /// Fills `out` with uniforms in (0, 1) from the blocks at counters `firstBlock, firstBlock + 1, ...`.
    ///
    /// Each block gives two 64-bit words and so two uniforms; block `n` uses counter
    /// `(low32(n), high32(n), 0, 0)`. Eight blocks run at once in SIMD lanes.
    public static func fillUniforms(
        _ out: UnsafeMutablePointer<Double>, count: Int, key: SIMD2<UInt32>, firstBlock: UInt64 = 0
    ) {
        precondition(count >= 0, "count must be non-negative")
        var block = firstBlock
        var k = 0
        let lanes = SIMD8<UInt64>(0, 1, 2, 3, 4, 5, 6, 7)
        while k < count {
            let n = SIMD8<UInt64>(repeating: block) &+ lanes
            var c0 = SIMD8<UInt32>(truncatingIfNeeded: n)
            var c1 = SIMD8<UInt32>(truncatingIfNeeded: n &>> 32)
            var c2 = SIMD8<UInt32>(repeating: 0)
            var c3 = SIMD8<UInt32>(repeating: 0)
            var k0 = key[0], k1 = key[1]
            for round in 0..<10 {
                if round > 0 {
                    k0 &+= w0
                    k1 &+= w1
                }
                let p0 = SIMD8<UInt64>(truncatingIfNeeded: c0) &* UInt64(m0)
                let p1 = SIMD8<UInt64>(truncatingIfNeeded: c2) &* UInt64(m1)
                let n0 = SIMD8<UInt32>(truncatingIfNeeded: p1 &>> 32) ^ c1 ^ k0
                let n2 = SIMD8<UInt32>(truncatingIfNeeded: p0 &>> 32) ^ c3 ^ k1
                c1 = SIMD8<UInt32>(truncatingIfNeeded: p1)
                c3 = SIMD8<UInt32>(truncatingIfNeeded: p0)
                c0 = n0
                c2 = n2
            }
            // Word order (c0 | c1 << 32) then (c2 | c3 << 32), matching `block` on little endian.
            let a = SIMD8<UInt64>(truncatingIfNeeded: c0) | (SIMD8<UInt64>(truncatingIfNeeded: c1) &<< 32)
            let b = SIMD8<UInt64>(truncatingIfNeeded: c2) | (SIMD8<UInt64>(truncatingIfNeeded: c3) &<< 32)
            let ua = UniformBits.open01(a)
            let ub = UniformBits.open01(b)
            for j in 0..<8 {
                if k < count { out[k] = ua[j]; k += 1 }
                if k < count { out[k] = ub[j]; k += 1 }
            }
            block &+= 8
        }
    }
}
