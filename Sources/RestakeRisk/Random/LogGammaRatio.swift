import RealModule

/// Differences of log-gamma values that cancel badly when computed as a difference.
@usableFromInline
enum LogGammaRatio {
    /// Returns log Gamma(a) - log Gamma(a + b) for a, b > 0.
    ///
    /// For a >= 15 from Stirling's series with the `(a - 1/2) log1p(b/a)` term kept whole:
    /// `logGamma(5e5) - logGamma(5e5 + 0.5)` as a difference loses 9 digits (each is ~6e6),
    /// which made the Student-t density and CDF wrong in the 9th digit at dof 1e6.
    @usableFromInline
    static func value(_ a: Double, _ b: Double) -> Double {
        assert(a > 0 && b > 0)
        if a < 15 { return Double.logGamma(a) - Double.logGamma(a + b) }
        let ab = a + b
        return -(a - 0.5) * Double.log(onePlus: b / a) - b * Double.log(ab) + b
            + stirlingRemainder(a) - stirlingRemainder(ab)
    }

    /// log Gamma(x) - ((x - 1/2) log x - x + log(2 pi)/2) for x >= 15 (error below 1e-19).
    @usableFromInline
    static func stirlingRemainder(_ x: Double) -> Double {
        let r = 1 / x, r2 = r * r
        var s = 1.0 / 156
        s = s * r2 - 691.0 / 360_360
        s = s * r2 + 1.0 / 1188
        s = s * r2 - 1.0 / 1680
        s = s * r2 + 1.0 / 1260
        s = s * r2 - 1.0 / 360
        s = s * r2 + 1.0 / 12
        return s * r
    }

    /// log B(a, b) = log Gamma(a) + log Gamma(b) - log Gamma(a + b), with the large argument's ratio exact.
    @usableFromInline
    static func logBeta(_ a: Double, _ b: Double) -> Double {
        let small = min(a, b), large = max(a, b)
        if large < 15 { return Double.logGamma(a) + Double.logGamma(b) - Double.logGamma(a + b) }
        return Double.logGamma(small) + value(large, small)
    }
}
