import RealModule

extension RandomSource {
    /// Returns a Gamma(shape, 1) variate (Marsaglia and Tsang 2000; shape < 1 by the `U^(1/a)` boost).
    public mutating func nextGamma(shape: Double) -> Double {
        precondition(shape > 0 && shape.isFinite, "gamma shape must be positive and finite, got \(shape)")
        if shape >= 1 {
            let d = shape - 1.0 / 3.0
            return marsagliaTsang(d: d, c: 1 / (9 * d).squareRoot())
        }
        // Gamma(a) = Gamma(a + 1) * U^(1/a); in logs so tiny shapes underflow to 0, not NaN.
        return Double.exp(logGammaVariate(shape: shape))
    }

    /// Returns a chi-squared variate with `dof` degrees of freedom (2 * Gamma(dof/2)); dof may be non-integer.
    public mutating func nextChiSquared(dof: Double) -> Double {
        precondition(dof > 0 && dof.isFinite, "chi-squared dof must be positive and finite, got \(dof)")
        return 2 * nextGamma(shape: 0.5 * dof)
    }

    /// Returns a Beta(a, b) variate as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b).
    public mutating func nextBeta(_ a: Double, _ b: Double) -> Double {
        precondition(a > 0 && a.isFinite && b > 0 && b.isFinite, "beta shapes must be positive and finite, got \(a), \(b)")
        if a >= 1 && b >= 1 {
            let x = nextGamma(shape: a)
            let y = nextGamma(shape: b)
            return x / (x + y)
        }
        // Small shapes can underflow both gammas to 0 (0/0); the ratio is safe in logs.
        let lx = logGammaVariate(shape: a)
        let ly = logGammaVariate(shape: b)
        return 1 / (1 + Double.exp(ly - lx))
    }

    /// The log of a Gamma(shape, 1) variate, finite even when the variate underflows.
    @inlinable
    mutating func logGammaVariate(shape: Double) -> Double {
        assert(shape > 0)
        if shape >= 1 {
            let d = shape - 1.0 / 3.0
            return Double.log(marsagliaTsang(d: d, c: 1 / (9 * d).squareRoot()))
        }
        let d = shape + 1 - 1.0 / 3.0
        let g = marsagliaTsang(d: d, c: 1 / (9 * d).squareRoot())
        return Double.log(g) + Double.log(nextUniform()) / shape
    }

    /// Marsaglia-Tsang squeeze/rejection for Gamma(d + 1/3) with `c = 1/sqrt(9d)`.
    @inlinable
    mutating func marsagliaTsang(d: Double, c: Double) -> Double {
        assert(d >= 2.0 / 3.0 - 1e-12)
        while true {
            var x: Double, v: Double
            repeat {
                x = nextNormal()
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = nextUniform()
            let x2 = x * x
            if u < 1 - 0.0331 * x2 * x2 { return d * v }
            if Double.log(u) < 0.5 * x2 + d * (1 - v + Double.log(v)) { return d * v }
        }
    }
}
