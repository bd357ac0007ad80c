import RealModule

extension StudentT {
    /// Returns P(T <= t).
    ///
    /// Negative `t` keeps full relative precision however deep the tail; for positive `t` the
    /// result is 1 - P(T <= -t), so use `cdf(-t)` to get an upper tail accurately.
    public func cdf(_ t: Double) -> Double {
        precondition(!t.isNaN, "Student-t cdf of NaN")
        if t == 0 { return 0.5 }
        let lower = lowerTail(-abs(t))
        return t < 0 ? lower : 1 - lower
    }

    /// P(T <= t) for t < 0, via 0.5 * I_x(n/2, 1/2) with x = n/(n + t^2).
    @usableFromInline
    func lowerTail(_ t: Double) -> Double {
        assert(t < 0)
        if t == -.infinity { return 0 }
        let t2 = t * t
        // x = n/(n + t^2) and y = 1 - x, and their logs, each without cancellation: with the
        // shape n/2 up to 5e5, `(n/2) log x` needs log x = -log1p(t^2/n) to full precision.
        let x: Double, y: Double, logX: Double, logY: Double
        if t2 < dof {
            let r = t2 / dof
            x = 1 / (1 + r)
            y = r / (1 + r)
            logX = -Double.log(onePlus: r)
            logY = Double.log(r) + logX
        } else if t2.isFinite && t2 < 1e300 {
            let s = dof / t2
            x = s / (1 + s)
            y = 1 / (1 + s)
            logY = -Double.log(onePlus: s)
            logX = Double.log(s) + logY
        } else {
            // t^2 overflows (|t| > 1e150, reached for dof <= 2 in the far tail): in logs.
            let logS = Double.log(dof) - 2 * Double.log(-t)
            let s = Double.exp(logS)
            x = s / (1 + s)
            y = 1 / (1 + s)
            logY = -Double.log(onePlus: s)
            logX = logS + logY
        }
        return 0.5 * IncompleteBeta.regularized(a: 0.5 * dof, b: 0.5, x: x, y: y, logX: logX, logY: logY)
    }
}
