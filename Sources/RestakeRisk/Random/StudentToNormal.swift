import RealModule

/// The Student-t copula's map from t draws to Gaussian ones: `x = g(t) = Phi^-1(F_nu(t))`.
///
/// Under `copula: student-t` asset log returns keep a Gaussian marginal (MODEL.md v2,
/// Factors), so every asset's t draw passes through g on the hot path. g is odd, so it is
/// computed from `-|t|` (the lower tail, where F keeps full relative precision) and the sign
/// restored: no `1 - u` cancellation in either tail.
///
/// Fast path: g tabulated on the doubles' own grid. Each binade `[2^e, 2^(e+1))` from
/// `2^-26` up is cut into 64 equal intervals, so a value's interval is its exponent and top six
/// mantissa bits, and its place in the interval the remaining 46 bits: no logarithm, only
/// shifts and masks. Each interval holds one quintic Hermite piece built from exact values and
/// derivatives (`g' = f_nu / phi(g)`, `g'' = g' (-(nu + 1) t / (nu + t^2)) + g g'^2`),
/// evaluated by Estrin's scheme (a chain of three products, not five). An interval spans at
/// most 1/64 of its values' size, where g is smooth at every scale (g ~ sqrt(2 nu log|t|) in
/// the tails). Below `2^-26`, g is its tangent `g'(0) t` (the cubic term is below 1e-15 of
/// it). The table serves `|t|` below `tLimit`, the last grid point under 1e15 (or under where
/// F_nu falls to 1e-300); beyond it, and for non-finite inputs, the exact path `exact(_:)` runs.
/// Error bound (held by `StudentToNormalTests` against mpmath and against `exact` on dense
/// grids): `|x - g(t)| <= 5e-11 * max(1, |g(t)|)` for `0 < nu <= 1e6`. The measured error is
/// that of the exact path the nodes come from (the Student-t CDF, good to ~1e-11 relative at
/// dof 0.5 deep in the tail and at dof 1e6), not that of the interpolation.
public struct StudentToNormal: Sendable {
    /// Degrees of freedom nu.
    public let dof: Double
    /// The table serves `|t| < tLimit`.
    public let tLimit: Double
    @usableFromInline let distribution: StudentT
    /// g'(0), the slope of g below the table.
    @usableFromInline let slope: Double
    /// Six monomial coefficients per interval, in the interval's local variable s in [0, 1).
    @usableFromInline let coefficients: [Double]

    /// Mantissa bits below the interval index: 52 - 6, for 2^6 = 64 intervals a binade (the
    /// accuracy knob: the error goes as (1/64)^6 of g's scale).
    static let fractionBits: UInt64 = 46
    /// The table's first point, 2^-26.
    public static let smallest = 0x1p-26
    /// `bits(smallest) >> fractionBits`: interval 0's index on the doubles' grid.
    static let firstIndex: UInt64 = smallest.bitPattern >> fractionBits

    /// The grid point that starts interval `k`.
    static func node(_ k: Int) -> Double {
        Double(bitPattern: (firstIndex + UInt64(k)) << fractionBits)
    }

    /// Builds the table for `dof` (0 < dof <= 1e6); a few milliseconds, once per scenario.
    public init(dof: Double) {
        precondition(dof > 0 && dof <= 1e6, "StudentToNormal: dof must be in (0, 1e6], got \(dof)")
        self.dof = dof
        let dist = StudentT(dof: dof)
        distribution = dist
        var limit = 1e15
        if dist.lowerTail(-limit) < 1e-300 {
            limit = -dist.quantile(1e-300)
        }
        // The last grid point at or below the limit: every node's F is then above 1e-300.
        let n = Int((limit.bitPattern >> Self.fractionBits) - Self.firstIndex)
        tLimit = Self.node(n)
        // g'(0) = f_nu(0) / phi(0).
        slope = Double.exp(dist.logNormaliser) * 2.50662827463100050242
        // Values and derivatives in t at every node: g, g', g''.
        var g0 = [Double](repeating: 0, count: n + 1)
        var g1 = [Double](repeating: 0, count: n + 1)
        var g2 = [Double](repeating: 0, count: n + 1)
        for i in 0...n {
            let t = Self.node(i)
            let x = Self.exactMagnitude(dist, t)
            let d1 = Double.exp(dist.logPDF(t) + 0.5 * x * x + 0.91893853320467274178)
            g0[i] = x
            g1[i] = d1
            g2[i] = d1 * (-(dof + 1) * t / (dof + t * t)) + x * d1 * d1
        }
        var c = [Double](repeating: 0, count: 6 * n)
        for i in 0..<n {
            // In s = (t - t_i) / h the derivatives scale by h and h^2.
            let h = Self.node(i + 1) - Self.node(i)
            let y0 = g0[i], y1 = g0[i + 1], d0 = h * g1[i], d1 = h * g1[i + 1]
            let e0 = h * h * g2[i], e1 = h * h * g2[i + 1]
            let delta = y1 - y0 - d0 - 0.5 * e0
            let deltaD = d1 - d0 - e0
            let deltaE = e1 - e0
            c[6 * i] = y0
            c[6 * i + 1] = d0
            c[6 * i + 2] = 0.5 * e0
            c[6 * i + 3] = 10 * delta - 4 * deltaD + 0.5 * deltaE
            c[6 * i + 4] = -15 * delta + 7 * deltaD - deltaE
            c[6 * i + 5] = 6 * delta - 3 * deltaD + 0.5 * deltaE
        }
        coefficients = c
    }

    /// `Phi^-1(F_nu(-|t|))` negated: g(|t|) >= 0, from the lower tail.
    @usableFromInline
    static func exactMagnitude(_ dist: StudentT, _ a: Double) -> Double {
        if a == 0 { return 0 }
        let u = dist.lowerTail(-a)
        // Below the smallest double, F has underflowed: Phi^-1 of it is about -38.47.
        if u == 0 { return -StandardNormal.quantile(Double.leastNonzeroMagnitude) }
        return -StandardNormal.quantile(u)
    }

    /// g(t) by the slow, exact path: the Student-t CDF and the normal quantile (~microseconds).
    public func exact(_ t: Double) -> Double {
        if t.isNaN || t.isInfinite { return t }
        let x = Self.exactMagnitude(distribution, abs(t))
        return t < 0 ? -x : x
    }

    /// g(t) for one value, through the same arithmetic as `apply` (for tests and rare use).
    public func callAsFunction(_ t: Double) -> Double {
        var x = 0.0
        withUnsafePointer(to: t) { apply($0, into: &x, count: 1) }
        return x
    }

    /// Writes `x[i] = g(t[i])` for `i < count`; `x` may be `t` (in place).
    public func apply(_ t: UnsafePointer<Double>, into x: UnsafeMutablePointer<Double>, count: Int) {
        precondition(count >= 0, "StudentToNormal.apply: count must be non-negative")
        coefficients.withUnsafeBufferPointer { table in
            let c = table.baseAddress!
            var i = 0
            while count &- i >= 8 {
                let v = UnsafeRawPointer(t + i).loadUnaligned(as: SIMD8<Double>.self)
                UnsafeMutableRawPointer(x + i).storeBytes(of: map8(v, table: c), as: SIMD8<Double>.self)
                i &+= 8
            }
            if i < count {
                var v = SIMD8<Double>(repeating: 0)
                for j in 0..<(count &- i) { v[j] = t[i &+ j] }
                let r = map8(v, table: c)
                for j in 0..<(count &- i) { x[i &+ j] = r[j] }
            }
        }
    }

    /// g over eight lanes: table lookups where |t| < tLimit, the exact path elsewhere.
    @inline(__always)
    func map8(_ t: SIMD8<Double>, table c: UnsafePointer<Double>) -> SIMD8<Double> {
        let magnitudeBits: SIMD8<UInt64> = unsafeBitCast(t, to: SIMD8<UInt64>.self) & 0x7FFF_FFFF_FFFF_FFFF
        let a: SIMD8<Double> = unsafeBitCast(magnitudeBits, to: SIMD8<Double>.self)
        let inTable: SIMDMask<SIMD8<Int64>> = a .< SIMD8<Double>(repeating: tLimit)
        let small: SIMDMask<SIMD8<Int64>> = a .< SIMD8<Double>(repeating: Self.smallest)
        // Lanes below or beyond the table (NaN included) read interval 0; their result is
        // replaced below.
        let useFirst: SIMDMask<SIMD8<Int64>> = .!inTable .| small
        let gridBits: SIMD8<UInt64> = magnitudeBits.replacing(with: Self.smallest.bitPattern, where: useFirst)
        let k: SIMD8<UInt64> = (gridBits &>> Self.fractionBits) &- Self.firstIndex
        // The 46 bits below the index, under 1.0's exponent: 1 + s exactly.
        let fraction: SIMD8<UInt64> = ((gridBits & ((1 << Self.fractionBits) - 1)) &<< (52 - Self.fractionBits))
            | (1.0 as Double).bitPattern
        let s: SIMD8<Double> = unsafeBitCast(fraction, to: SIMD8<Double>.self) - 1
        var a0 = SIMD8<Double>(), a1 = SIMD8<Double>(), a2 = SIMD8<Double>()
        var a3 = SIMD8<Double>(), a4 = SIMD8<Double>(), a5 = SIMD8<Double>()
        for j in 0..<8 {
            let row = c + 6 &* Int(truncatingIfNeeded: k[j])
            a0[j] = row[0]; a1[j] = row[1]; a2[j] = row[2]
            a3[j] = row[3]; a4[j] = row[4]; a5[j] = row[5]
        }
        // Estrin: (a0 + a1 s) + s^2 ((a2 + a3 s) + s^2 (a4 + a5 s)).
        let s2: SIMD8<Double> = s * s
        let p01: SIMD8<Double> = a0.addingProduct(a1, s)
        let p23: SIMD8<Double> = a2.addingProduct(a3, s)
        let p45: SIMD8<Double> = a4.addingProduct(a5, s)
        var y: SIMD8<Double> = p01.addingProduct(s2, p23.addingProduct(s2, p45))
        y = y.replacing(with: a * slope, where: small)
        var result: SIMD8<Double> = y.replacing(with: -y, where: t .< 0)
        if !all(inTable) {
            for j in 0..<8 where !inTable[j] { result[j] = exact(t[j]) }
        }
        return result
    }
}
