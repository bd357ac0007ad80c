extension KeyedStream {
    /// Fills `out[0..<count]` with the first uniform of the streams of paths `firstPath ..<
    /// firstPath + count` at `step`: for every path, exactly `KeyedStream(key, path:, step:).nextUniform()`.
    ///
    /// For the draws every path needs at every step (jump and base-slashing occurrence). Eight
    /// paths run at once in SIMD lanes; only each block's first word is used, so a path's
    /// later draws (a severity, say) continue its own stream.
    public static func fillUniforms(_ key: EventKey, firstPath: Int, count: Int, step: Int,
                                    into out: UnsafeMutablePointer<Double>) {
        precondition(firstPath >= 0 && count >= 0 && step >= 0 && step <= Int(UInt32.max),
                     "KeyedStream.fillUniforms: argument out of range")
        // Every 32-bit Philox word lives in a 64-bit lane, so the 32 x 32 -> 64 multiplies and
        // the hi/lo splits are plain lane operations (no lane-width conversions, which Swift
        // does not vectorise); the bits are those of the scalar stream.
        let k0Start = UInt64(key.philoxKey[0]), k1Start = UInt64(key.philoxKey[1])
        let low: SIMD8<UInt64> = SIMD8(repeating: 0xFFFF_FFFF)
        let m0 = UInt64(Philox4x32.m0), m1 = UInt64(Philox4x32.m1)
        let w0 = UInt64(Philox4x32.w0), w1 = UInt64(Philox4x32.w1)
        let lanes = SIMD8<UInt64>(0, 1, 2, 3, 4, 5, 6, 7)
        let stepLanes = SIMD8<UInt64>(repeating: UInt64(UInt32(truncatingIfNeeded: step)))
        // Round r's key is the start key plus r Weyl increments, mod 2^32 (the loop is unrolled below).
        func roundKey(_ r: UInt64) -> (UInt64, UInt64) {
            ((k0Start &+ r &* w0) & 0xFFFF_FFFF, (k1Start &+ r &* w1) & 0xFFFF_FFFF)
        }
        /// One Philox round. Masking both factors to 32 bits lets the compiler use the 32 x 32
        /// -> 64 lane multiply (vpmuludq) instead of a full 64-bit one.
        @inline(__always)
        func round(_ c: inout (SIMD8<UInt64>, SIMD8<UInt64>, SIMD8<UInt64>, SIMD8<UInt64>), _ key: (UInt64, UInt64)) {
            let p0: SIMD8<UInt64> = (c.0 & low) &* (SIMD8(repeating: m0) & low)
            let p1: SIMD8<UInt64> = (c.2 & low) &* (SIMD8(repeating: m1) & low)
            let n0: SIMD8<UInt64> = (p1 &>> 32) ^ c.1 ^ SIMD8(repeating: key.0)
            let n2: SIMD8<UInt64> = (p0 &>> 32) ^ c.3 ^ SIMD8(repeating: key.1)
            c = (n0, p1 & low, n2, p0 & low)
        }
        let r0 = roundKey(0), r1 = roundKey(1), r2 = roundKey(2), r3 = roundKey(3), r4 = roundKey(4)
        let r5 = roundKey(5), r6 = roundKey(6), r7 = roundKey(7), r8 = roundKey(8), r9 = roundKey(9)
        var k = 0
        while k < count {
            let paths: SIMD8<UInt64> = SIMD8<UInt64>(repeating: UInt64(firstPath &+ k)) &+ lanes
            var c = (SIMD8<UInt64>(repeating: 0), stepLanes, paths & low, paths &>> 32)
            round(&c, r0); round(&c, r1); round(&c, r2); round(&c, r3); round(&c, r4)
            round(&c, r5); round(&c, r6); round(&c, r7); round(&c, r8); round(&c, r9)
            let (c0, c1) = (c.0, c.1)
            let word: SIMD8<UInt64> = c0 | (c1 &<< 32)
            let u: SIMD8<Double> = UniformBits.open01(word)
            if count &- k >= 8 {
                UnsafeMutableRawPointer(out + k).storeBytes(of: u, as: SIMD8<Double>.self)
            } else {
                for j in 0..<(count &- k) { out[k &+ j] = u[j] }
            }
            k &+= 8
        }
    }
}
