import RealModule

/// The Student-t copula's map from t draws to Gaussian ones: `x = g(t) = Phi^-1(F_nu(t))`.
///
/// Under `copula: student-t` asset log returns keep a Gaussian marginal (MODEL.md v2,
/// Factors), so every asset's t draw passes through g on the hot path. g is odd, so it is
/// computed from `-|t|` (the lower tail, where F keeps full relative precision) and the sign
/// restored: no `1 - u` cancellation in either tail.
///
/// Fast path: g tabulated in `w = log(1 + |t|)` on a uniform grid, one quintic Hermite
/// piece per interval built from exact values and derivatives (`g' = f_nu / phi(g)`,
/// `g'' = g' (-(nu + 1) t / (nu + t^2)) + g g'^2`). In w the tails are smooth (g ~
/// sqrt(2 nu log|t|)), so one grid serves `|t|` up to `tLimit` (1e15, or where F_nu falls to
/// 1e-300). Beyond it, and for non-finite inputs, the exact path `exact(_:)` runs.
/// Error bound (held by `StudentToNormalTests` against mpmath and against `exact` on dense
/// grids): `|x - g(t)| <= 5e-11 * max(1, |g(t)|)` for `0 < nu <= 1e6`. The interpolation
/// itself is good to ~1e-15 at 96 points per unit of w (checked in exact arithmetic); the
/// measured error is that of the exact path the nodes come from (the Student-t CDF, good to
/// ~1e-11 relative at dof 0.5 deep in the tail and at dof 1e6): a gap to close there.
public struct StudentToNormal: Sendable {
    /// Degrees of freedom nu.
    public let dof: Double
    /// The largest |t| served by the table.
    public let tLimit: Double
    @usableFromInline let distribution: StudentT
    /// Grid spacing in w and its inverse.
    @usableFromInline let step: Double
    @usableFromInline let inverseStep: Double
    @usableFromInline let intervals: Int
    /// Six monomial coefficients per interval, in the interval's local variable s in [0, 1].
    @usableFromInline let coefficients: [Double]

    /// Grid points per unit of w: the accuracy knob (error ~ step^6).
    public static let pointsPerUnit = 96

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
        tLimit = limit
        let wMax = Double.log(onePlus: limit)
        let n = max(8, Int((wMax * Double(Self.pointsPerUnit)).rounded(.up)))
        intervals = n
        step = wMax / Double(n)
        inverseStep = Double(n) / wMax
        // Values and derivatives in w at every node: G, h G', h^2 G''.
        var g0 = [Double](repeating: 0, count: n + 1)
        var g1 = [Double](repeating: 0, count: n + 1)
        var g2 = [Double](repeating: 0, count: n + 1)
        let h = step
        for i in 0...n {
            let w = Double(i) * h
            let t = i == n ? limit : Double.expMinusOne(w)
            let x = Self.exactMagnitude(dist, t)
            let d1: Double, d2: Double
            if t == 0 {
                d1 = Double.exp(dist.logNormaliser) * 2.50662827463100050242
                d2 = 0
            } else {
                d1 = Double.exp(dist.logPDF(t) + 0.5 * x * x + 0.91893853320467274178)
                d2 = d1 * (-(dof + 1) * t / (dof + t * t)) + x * d1 * d1
            }
            // dt/dw = d2t/dw2 = 1 + t.
            let tp = 1 + t
            g0[i] = x
            g1[i] = h * d1 * tp
            g2[i] = h * h * (d2 * tp * tp + d1 * tp)
        }
        var c = [Double](repeating: 0, count: 6 * n)
        for i in 0..<n {
            let y0 = g0[i], y1 = g0[i + 1], d0 = g1[i], d1 = g1[i + 1], e0 = g2[i], e1 = g2[i + 1]
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

    /// g over eight lanes: table lookups where |t| <= tLimit, the exact path elsewhere.
    @inline(__always)
    func map8(_ t: SIMD8<Double>, table c: UnsafePointer<Double>) -> SIMD8<Double> {
        let magnitudeBits: SIMD8<UInt64> = unsafeBitCast(t, to: SIMD8<UInt64>.self) & 0x7FFF_FFFF_FFFF_FFFF
        let a: SIMD8<Double> = unsafeBitCast(magnitudeBits, to: SIMD8<Double>.self)
        let inTable: SIMDMask<SIMD8<Int64>> = a .<= SIMD8<Double>(repeating: tLimit)
        let aa: SIMD8<Double> = a.replacing(with: 0, where: .!inTable)
        // log1p(a) as log(v) + (a - (v - 1)) / v, v = 1 + a rounded: keeps w's relative
        // precision for tiny |t|, where 1 + a drops a's low bits.
        let v: SIMD8<Double> = aa + 1
        let lost: SIMD8<Double> = aa - (v - 1)
        let w: SIMD8<Double> = VectorMath.log8Normal(v) + lost / v
        let pos: SIMD8<Double> = w * inverseStep
        // round(pos - 1/2) is floor(pos) but at half-integers, where it is floor(pos) - 1 and
        // s = 1: still a point of that interval's closed range.
        let magic: Double = 6755399441055744.0
        let shifted: SIMD8<Double> = (pos - 0.5) + magic
        // Clamped to the last interval (pos = n at t = tLimit) before s is taken, so s stays in [0, 1].
        let last: Double = Double(intervals &- 1)
        let id: SIMD8<Double> = VectorMath.clamp8(shifted - magic, SIMD8<Double>(repeating: 0), SIMD8<Double>(repeating: last))
        let s: SIMD8<Double> = pos - id
        let k: SIMD8<Int64> = unsafeBitCast(id + magic, to: SIMD8<Int64>.self) &- 0x4338_0000_0000_0000
        var a0 = SIMD8<Double>(), a1 = SIMD8<Double>(), a2 = SIMD8<Double>()
        var a3 = SIMD8<Double>(), a4 = SIMD8<Double>(), a5 = SIMD8<Double>()
        for j in 0..<8 {
            let row = c + 6 &* Int(truncatingIfNeeded: k[j])
            a0[j] = row[0]; a1[j] = row[1]; a2[j] = row[2]
            a3[j] = row[3]; a4[j] = row[4]; a5[j] = row[5]
        }
        var y: SIMD8<Double> = a4.addingProduct(a5, s)
        y = a3.addingProduct(y, s)
        y = a2.addingProduct(y, s)
        y = a1.addingProduct(y, s)
        y = a0.addingProduct(y, s)
        var result: SIMD8<Double> = y.replacing(with: -y, where: t .< 0)
        if !all(inTable) {
            for j in 0..<8 where !inTable[j] { result[j] = exact(t[j]) }
        }
        return result
    }
}
