extension VectorMath {
    /// Writes `y[i] = e^x[i]` for `i < count`; `y` may be `x` (in place).
    ///
    /// Error bound, held by `VectorMathTests` over 10^6 points of [-745.2, 709.8] and the
    /// edges: at most 1 ulp of the correctly rounded value for normal results (subnormal
    /// results: 1 ulp of the subnormal grid). Overflow gives +inf, underflow 0, NaN stays NaN,
    /// -inf gives 0. Method: `x = k ln2 + r`, `|r| <= ln2/2`, with k rounded by the 1.5 * 2^52
    /// add (its low bits are k as an integer), r by a two-constant Cody-Waite reduction whose
    /// first product is exact, e^r by its degree-13 Taylor polynomial in FMA Horner form
    /// (truncation below 4e-18), and 2^k built in the exponent bits in two halves so that
    /// results near overflow and in the subnormal range round once, at the last product.
    public static func exp(_ x: UnsafePointer<Double>, into y: UnsafeMutablePointer<Double>, count: Int) {
        precondition(count >= 0, "VectorMath.exp: count must be non-negative")
        var i = 0
        while count &- i >= 8 {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Double>.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: exp8(v), as: SIMD8<Double>.self)
            i &+= 8
        }
        if i < count {
            var v = SIMD8<Double>(repeating: 0)
            for j in 0..<(count &- i) { v[j] = x[i &+ j] }
            let r = exp8(v)
            for j in 0..<(count &- i) { y[i &+ j] = r[j] }
        }
    }

    /// e^x lane by lane; the body of `exp(_:into:count:)`.
    @inlinable @inline(__always)
    public static func exp8(_ x: SIMD8<Double>) -> SIMD8<Double> {
        let log2e: Double = 1.4426950408889634074
        let ln2hi: Double = 6.93147180369123816490e-01  // 32 significant bits: k * ln2hi is exact
        let ln2lo: Double = 1.90821492927058770002e-10
        let magic: Double = 6755399441055744.0  // 1.5 * 2^52
        // Beyond these the result is 0 or +inf anyway; clamping keeps k within 2 * 2^10.
        let lo = SIMD8<Double>(repeating: -746.0)
        let hi = SIMD8<Double>(repeating: 710.0)
        let xc: SIMD8<Double> = VectorMath.clamp8(x, lo, hi)
        let shifted: SIMD8<Double> = (xc * log2e) + magic
        let kd: SIMD8<Double> = shifted - magic
        let r1: SIMD8<Double> = xc.addingProduct(-kd, SIMD8<Double>(repeating: ln2hi))
        let r: SIMD8<Double> = r1.addingProduct(-kd, SIMD8<Double>(repeating: ln2lo))
        var p = SIMD8<Double>(repeating: 1.605904383682161459939238e-10)
        p = SIMD8<Double>(repeating: 2.087675698786809897921009e-9).addingProduct(p, r)
        p = SIMD8<Double>(repeating: 2.505210838544171877505211e-8).addingProduct(p, r)
        p = SIMD8<Double>(repeating: 2.755731922398589065255732e-7).addingProduct(p, r)
        p = SIMD8<Double>(repeating: 2.755731922398589065255732e-6).addingProduct(p, r)
        p = SIMD8<Double>(repeating: 2.480158730158730158730159e-5).addingProduct(p, r)
        p = SIMD8<Double>(repeating: 1.984126984126984126984127e-4).addingProduct(p, r)
        p = SIMD8<Double>(repeating: 1.388888888888888888888889e-3).addingProduct(p, r)
        p = SIMD8<Double>(repeating: 8.333333333333333333333333e-3).addingProduct(p, r)
        p = SIMD8<Double>(repeating: 4.166666666666666666666667e-2).addingProduct(p, r)
        p = SIMD8<Double>(repeating: 0.1666666666666666666666667).addingProduct(p, r)
        p = SIMD8<Double>(repeating: 0.5).addingProduct(p, r)
        p = SIMD8<Double>(repeating: 1.0).addingProduct(p, r)
        p = SIMD8<Double>(repeating: 1.0).addingProduct(p, r)
        // k as an integer from the low bits of `shifted`; then 2^k = 2^k1 * 2^k2, both normal.
        let bits: SIMD8<Int64> = unsafeBitCast(shifted, to: SIMD8<Int64>.self)
        let k: SIMD8<Int64> = bits &- 0x4338_0000_0000_0000
        let k1: SIMD8<Int64> = k &>> 1
        let k2: SIMD8<Int64> = k &- k1
        let s1: SIMD8<Double> = unsafeBitCast((k1 &+ 1023) &<< 52, to: SIMD8<Double>.self)
        let s2: SIMD8<Double> = unsafeBitCast((k2 &+ 1023) &<< 52, to: SIMD8<Double>.self)
        let result: SIMD8<Double> = (p * s1) * s2
        // NaN in, NaN out (the clamp may have replaced it).
        return result.replacing(with: x, where: x .!= x)
    }
}
