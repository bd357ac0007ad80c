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
        var k = 0
        while k < count {
            let paths: SIMD8<UInt64> = SIMD8<UInt64>(repeating: UInt64(firstPath &+ k)) &+ lanes
            var c0 = SIMD8<UInt64>(repeating: 0)
            var c1 = stepLanes
            var c2: SIMD8<UInt64> = paths & low
            var c3: SIMD8<UInt64> = paths &>> 32
            var k0 = k0Start, k1 = k1Start
            for round in 0..<10 {
                if round > 0 {
                    k0 = (k0 &+ w0) & 0xFFFF_FFFF
                    k1 = (k1 &+ w1) & 0xFFFF_FFFF
                }
                let p0: SIMD8<UInt64> = c0 &* m0
                let p1: SIMD8<UInt64> = c2 &* m1
                let h0: SIMD8<UInt64> = p0 &>> 32
                let h1: SIMD8<UInt64> = p1 &>> 32
                let n0: SIMD8<UInt64> = h1 ^ c1 ^ SIMD8(repeating: k0)
                let n2: SIMD8<UInt64> = h0 ^ c3 ^ SIMD8(repeating: k1)
                c1 = p1 & low
                c3 = p0 & low
                c0 = n0
                c2 = n2
            }
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
