import RealModule

/// Student's t distribution with `dof` degrees of freedom (any positive real).
public struct StudentT: Sendable {
    /// Degrees of freedom.
    public let dof: Double
    /// log of the density's normalising constant, Gamma((n+1)/2) / (sqrt(n pi) Gamma(n/2)).
    @usableFromInline let logNormaliser: Double

    /// Creates the distribution; `dof` must be positive and finite.
    public init(dof: Double) {
        precondition(dof > 0 && dof.isFinite, "Student-t dof must be positive and finite, got \(dof)")
        self.dof = dof
        // The gamma ratio in one piece: as a difference it loses 9 digits at dof 1e6.
        logNormaliser = -LogGammaRatio.value(0.5 * dof, 0.5) - 0.5 * Double.log(dof * Double.pi)
    }

    /// Returns the density at `t`.
    public func pdf(_ t: Double) -> Double {
        Double.exp(logPDF(t))
    }

    /// Returns the log density at `t`, finite where the density underflows.
    public func logPDF(_ t: Double) -> Double {
        logNormaliser - 0.5 * (dof + 1) * Double.log(onePlus: t * t / dof)
    }
}
