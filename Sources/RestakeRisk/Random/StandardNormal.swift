import RealModule

/// The standard normal distribution: CDF and quantile.
public enum StandardNormal {
    /// Returns Phi(x) = P(Z <= x), accurate in relative terms far into the lower tail.
    ///
    /// `erfc` of a positive argument keeps full relative precision where `1 + erf` would cancel.
    public static func cdf(_ x: Double) -> Double {
        0.5 * Double.erfc(-x * 0.70710678118654752440)
    }

    /// Returns the density phi(x).
    public static func pdf(_ x: Double) -> Double {
        0.39894228040143267794 * Double.exp(-0.5 * x * x)
    }
}
