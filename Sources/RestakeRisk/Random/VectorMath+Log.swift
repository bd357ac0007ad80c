import RealModule

extension VectorMath {
    /// Writes `y[i] = log(x[i])` for `i < count`; `y` may be `x` (in place).
    ///
    /// For positive normal finite inputs (the chi-squared draws' products of uniforms); any
    /// other lane (0, subnormal, negative, inf, NaN) is sent to the scalar `log`, so results
    /// are right everywhere. Error bound, held by `VectorMathTests`: at most 2 ulp over
    /// 10^6 points spread over the normal range. Method: `x = m 2^e` with `m` in
    /// [sqrt(1/2), sqrt(2)), `log m = 2 atanh(s)`, `s = (m - 1)/(m + 1)`, odd series to s^23.
    public static func log(_ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, count: Int) {
        precondition(count >= 0, "VectorMath.log: count must be non-negative")
        var i = 0
        while count &- i >= 8 {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Double>.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: log8(v), as: SIMD8<Double>.self)
            i &+= 8
        }
        if i < count {
            var v = SIMD8<Double>(repeating: 1)
            for j in 0..<(count &- i) { v[j] = x[i &+ j] }
            let r = log8(v)
            for j in 0..<(count &- i) { y[i &+ j] = r[j] }
        }
    }

    /// log x lane by lane; the body of `log(_:into:count:)`.
    @inlinable @inline(__always)
    public static func log8(_ x: SIMD8<Double>) -> SIMD8<Double> {
        let inRange: SIMDMask<SIMD8<Int64>> = (x .>= Double.leastNormalMagnitude) .& (x .<= Double.greatestFiniteMagnitude)
        if !all(inRange) {
            var out = SIMD8<Double>()
            for j in 0..<8 { out[j] = Double.log(x[j]) }
            return out
        }
        return log8Normal(x)
    }

    @inlinable @inline(__always)
    static func log8Normal(_ x: SIMD8<Double>) -> SIMD8<Double> {
        let bits: SIMD8<Int64> = unsafeBitCast(x, to: SIMD8<Int64>.self)
        // Shifting the bits by sqrt(2)'s mantissa offset puts m in [sqrt(1/2), sqrt(2)).
        let offset: Int64 = 0x3FF0_0000_0000_0000 &- 0x3FE6_A09E_667F_3BCD
        let shiftedBits: SIMD8<Int64> = bits &+ offset
        let e: SIMD8<Int64> = (shiftedBits &>> 52) &- 1023
        let mantissaBits: SIMD8<Int64> = (shiftedBits & 0x000F_FFFF_FFFF_FFFF) &+ 0x3FE6_A09E_667F_3BCD
        let m: SIMD8<Double> = unsafeBitCast(mantissaBits, to: SIMD8<Double>.self)
        let f: SIMD8<Double> = m - 1
        let s: SIMD8<Double> = f / (m + 1)
        let s2: SIMD8<Double> = s * s
        var p = SIMD8<Double>(repeating: 1.0 / 23)
        p = SIMD8<Double>(repeating: 1.0 / 21).addingProduct(p, s2)
        p = SIMD8<Double>(repeating: 1.0 / 19).addingProduct(p, s2)
        p = SIMD8<Double>(repeating: 1.0 / 17).addingProduct(p, s2)
        p = SIMD8<Double>(repeating: 1.0 / 15).addingProduct(p, s2)
        p = SIMD8<Double>(repeating: 1.0 / 13).addingProduct(p, s2)
        p = SIMD8<Double>(repeating: 1.0 / 11).addingProduct(p, s2)
        p = SIMD8<Double>(repeating: 1.0 / 9).addingProduct(p, s2)
        p = SIMD8<Double>(repeating: 1.0 / 7).addingProduct(p, s2)
        p = SIMD8<Double>(repeating: 1.0 / 5).addingProduct(p, s2)
        p = SIMD8<Double>(repeating: 1.0 / 3).addingProduct(p, s2)
        // log m = 2s + 2s^3 p = f - (f - 2s) + ...: written as 2s + (2 s s2) p to keep 2s exact.
        let twoS: SIMD8<Double> = s + s
        let tail: SIMD8<Double> = (twoS * s2) * p
        let logM: SIMD8<Double> = twoS + tail
        // Int64 -> Double by the magic add: a lane conversion would scalarise.
        let magicBits: SIMD8<Int64> = e &+ 0x4338_0000_0000_0000
        let ed: SIMD8<Double> = unsafeBitCast(magicBits, to: SIMD8<Double>.self) - 6755399441055744.0
        let ln2hi: Double = 6.93147180369123816490e-01
        let ln2lo: Double = 1.90821492927058770002e-10
        let lowPart: SIMD8<Double> = logM.addingProduct(ed, SIMD8<Double>(repeating: ln2lo))
        return lowPart.addingProduct(ed, SIMD8<Double>(repeating: ln2hi))
    }
}
