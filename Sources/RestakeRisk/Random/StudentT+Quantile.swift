import RealModule

extension StudentT {
    /// Returns the t with P(T <= t) = p, for p in (0, 1), accurate in relative terms in both tails.
    ///
    /// Closed forms for dof 1 and 2; otherwise Newton on log F(t) in the variable log(-t),
    /// which is nearly linear in the tails (log F ~ -dof log|t|), safeguarded by bisection.
    /// For p > 0.5 the result is computed from 1 - p by symmetry.
    public func quantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "Student-t quantile needs p in (0, 1), got \(p)")
        if p == 0.5 { return 0 }
        if p > 0.5 { return -lowerQuantile(1 - p) }
        return lowerQuantile(p)
    }

    @usableFromInline
    func lowerQuantile(_ p: Double) -> Double {
        assert(p > 0 && p < 0.5)
        if dof == 1 {
            return -1 / Double.tan(Double.pi * p)
        }
        if dof == 2 {
            return -(1 - 2 * p) / (2 * p * (1 - p)).squareRoot()
        }
        let logP = Double.log(p)
        // Solve g(s) = log F(-e^s) - log p = 0; g decreases in s.
        var s = Double.log(-initialGuess(p))
        var lo = -Double.infinity  // g(lo) > 0
        var hi = Double.infinity   // g(hi) < 0
        for _ in 0..<200 {
            let t = -Double.exp(s)
            let value = Double.log(lowerTail(t)) - logP
            if value == 0 { return t }
            if value > 0 { lo = max(lo, s) } else { hi = min(hi, s) }
            // dg/ds = f(t) * t / F(t)
            let slope = pdf(t) * t / lowerTail(t)
            var next = s - value / slope
            if !next.isFinite || next <= lo || next >= hi {
                if lo.isFinite && hi.isFinite {
                    next = 0.5 * (lo + hi)
                } else if lo.isFinite {
                    next = lo + 1
                } else if hi.isFinite {
                    next = hi - 1
                } else {
                    next = s + (value > 0 ? 1 : -1)
                }
            }
            if abs(next - s) <= 4 * Double.ulpOfOne * max(1, abs(s)) {
                return -Double.exp(next)
            }
            s = next
        }
        return -Double.exp(s)
    }

    /// A starting point for p < 0.5: the tail asymptote or a Cornish-Fisher expansion, whichever is closer.
    @usableFromInline
    func initialGuess(_ p: Double) -> Double {
        let n = dof
        let z = StandardNormal.quantile(p)
        let z3 = z * z * z
        let cornishFisher = z + (z3 + z) / (4 * n) + (5 * z3 * z * z + 16 * z3 + 3 * z) / (96 * n * n)
        // F(t) ~ C |t|^-n / n with C = exp(logNormaliser) * n^((n+1)/2).
        let logC = logNormaliser + 0.5 * (n + 1) * Double.log(n)
        let tail = -Double.exp((logC - Double.log(n * p)) / n)
        let logP = Double.log(p)
        let candidates = [cornishFisher, tail].filter { $0 < 0 && $0.isFinite }
        var best = -1.0
        var bestErr = Double.infinity
        for c in candidates {
            let err = abs(Double.log(lowerTail(c)) - logP)
            if err < bestErr { bestErr = err; best = c }
        }
        return best
    }
}
