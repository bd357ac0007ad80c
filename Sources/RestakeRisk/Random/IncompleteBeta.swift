import RealModule

/// The regularized incomplete beta function I_x(a, b).
@usableFromInline
enum IncompleteBeta {
    /// Returns I_x(a, b), taking both `x` and `y = 1 - x` so callers can pass a `y` free of cancellation.
    ///
    /// Continued fraction (DLMF 8.17.22) by the modified Lentz method, on the side of
    /// `(a + 1)/(a + b + 2)` where it converges fast; the other side uses I_x(a,b) = 1 - I_y(b,a).
    @usableFromInline
    static func regularized(a: Double, b: Double, x: Double, y: Double) -> Double {
        regularized(a: a, b: b, x: x, y: y, logX: Double.log(x), logY: Double.log(y))
    }

    /// I_x(a, b) with `log x` and `log y` given: with a large shape, `a log x` needs `log x` to
    /// full relative precision (e.g. `-log1p(t^2/n)`), which `log` of a rounded x near 1 lacks.
    @usableFromInline
    static func regularized(a: Double, b: Double, x: Double, y: Double, logX: Double, logY: Double) -> Double {
        assert(a > 0 && b > 0 && x >= 0 && y >= 0)
        // x may underflow to 0 while log x is finite: the logs decide.
        if logX == -.infinity { return 0 }
        if logY == -.infinity { return 1 }
        if x < (a + 1) / (a + b + 2) {
            return front(a: a, b: b, logX: logX, logY: logY) * continuedFraction(a: a, b: b, x: x) / a
        }
        return 1 - front(a: b, b: a, logX: logY, logY: logX) * continuedFraction(a: b, b: a, x: y) / b
    }

    /// Returns the prefactor x^a y^b / B(a, b), in logs so deep-tail values do not underflow early.
    @usableFromInline
    static func front(a: Double, b: Double, logX: Double, logY: Double) -> Double {
        Double.exp(a * logX + b * logY - logBeta(a, b))
    }

    @usableFromInline
    static func logBeta(_ a: Double, _ b: Double) -> Double {
        LogGammaRatio.logBeta(a, b)
    }

    @usableFromInline
    static func continuedFraction(a: Double, b: Double, x: Double) -> Double {
        let tiny = 1e-300
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
            let m = Double(m), m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { return h }
        }
        assertionFailure("incomplete beta continued fraction did not converge (a=\(a), b=\(b), x=\(x))")
        return h
    }
}
