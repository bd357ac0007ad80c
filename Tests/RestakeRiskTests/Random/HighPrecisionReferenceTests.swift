import Testing
@testable import RestakeRisk

/// Reference values computed independently with mpmath 1.3.0 at 50 significant digits
/// (Phi via erfc; Student-t via the regularized incomplete beta `betainc`, quantiles by
/// `findroot` on log F), so these checks do not lean on this library's own CDFs.
@Suite struct HighPrecisionReferenceTests {
    static let eps = Double.ulpOfOne

    @Test(arguments: [
        (1e-300, -37.047096299361199237), (1e-100, -21.273453560965324295), (1e-20, -9.2623400897984075737),
        (1e-7, -5.1993375821928169316), (0.025, -1.9599639845400542355), (0.3, -0.52440051270804078404),
    ])
    func normalQuantile(p: Double, expected: Double) {
        let z = StandardNormal.quantile(p)
        #expect(abs(z - expected) <= 4 * Self.eps * abs(expected), "p \(p): \(z) vs \(expected)")
        if p >= 1e-16 {  // 1 - p rounds to 1 below that
            let q = 1 - (1 - p)  // the upper-tail mass actually requested
            let zq = -StandardNormal.quantile(1 - p)
            #expect(abs(StandardNormal.cdf(zq) - q) / q <= 8 * Self.eps * (1 + zq * zq), "upper p \(p)")
        }
    }

    @Test(arguments: [
        (-37.0, 5.7255712225245768227e-300), (-20.0, 2.7536241186062336951e-89),
        (-8.0, 6.2209605742717841235e-16), (-1.5, 0.066807201268858066004),
    ])
    func normalCDF(z: Double, expected: Double) {
        // erfc's argument -z/sqrt2 carries a rounding error; its effect grows like z^2 ulps.
        #expect(abs(StandardNormal.cdf(z) - expected) / expected <= 4 * Self.eps * (1 + z * z))
    }

    @Test(arguments: [
        (3.0, 1e-7, -222.57159094719873115), (3.0, 1e-12, -10331.108244292486134),
        (3.5, 1e-7, -117.89280575876102533), (3.5, 1e-12, -3163.0306837980149678),
        (5.0, 1e-7, -39.341819616899587482), (5.0, 1e-12, -393.95695957760376867),
        (10.0, 1e-7, -12.492209687558762932), (10.0, 1e-12, -40.53209617866259652),
        (30.0, 1e-7, -6.7013995121870661213), (30.0, 1e-12, -11.397217523311411181),
    ])
    func studentTQuantile(dof: Double, p: Double, expected: Double) {
        let dist = StudentT(dof: dof)
        let t = dist.quantile(p)
        #expect(abs(t - expected) <= 1e-13 * abs(expected), "dof \(dof) p \(p): \(t) vs \(expected)")
        // 1 - p is rounded (by 1e-4 relative at p = 1e-12), so check against the mass requested;
        // callers wanting an exact upper tail should use -quantile(p).
        let q = 1 - (1 - p)
        let tu = dist.quantile(1 - p)
        #expect(abs(dist.cdf(-tu) - q) <= 1e-13 * q, "upper, dof \(dof) p \(p)")
    }

    @Test(arguments: [
        (3.0, -100.0, 1.1022609615924555587e-6), (4.5, -1e4, 5.2491946739287634815e-18),
        (7.3, -3.5, 0.0046715692642427786041), (30.0, -8.0, 3.1329112378503794717e-9),
        (2.5, -1e6, 7.1933971908142384634e-16),
    ])
    func studentTCDF(dof: Double, t: Double, expected: Double) {
        let f = StudentT(dof: dof).cdf(t)
        #expect(abs(f - expected) <= 1e-13 * expected, "dof \(dof) t \(t): \(f) vs \(expected)")
    }
}
