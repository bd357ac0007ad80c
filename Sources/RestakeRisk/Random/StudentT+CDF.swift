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
        // x and 1 - x each computed directly, so neither side suffers cancellation.
        let x: Double, y: Double
        if t2 < dof {
            x = dof / (dof + t2)
            y = t2 / (dof + t2)
        } else {
            let s = dof / t2
            x = s / (1 + s)
            y = 1 / (1 + s)
        }
        return 0.5 * IncompleteBeta.regularized(a: 0.5 * dof, b: 0.5, x: x, y: y)
    }
}
