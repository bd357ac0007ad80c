import RealModule
import Testing
@testable import RestakeRisk

@Suite struct StandardNormalTests {
    static let eps = Double.ulpOfOne

    /// Allowed |cdf(quantile(p)) - p| / p: a few ulps times (1 + the condition number z phi(z) / p).
    static func bound(_ z: Double, _ p: Double) -> Double {
        let condition = abs(z) * StandardNormal.pdf(z) / p
        return 8 * eps * (1 + condition)
    }

    @Test func knownValues() {
        #expect(abs(StandardNormal.quantile(0.975) - 1.959963984540054) <= 2 * 1.959963984540054 * Self.eps)
        #expect(abs(StandardNormal.quantile(0.025) + 1.959963984540054) <= 2 * 1.959963984540054 * Self.eps)
        #expect(StandardNormal.quantile(0.5) == 0)
        #expect(abs(StandardNormal.quantile(0.8413447460685429) - 1) < 4 * Self.eps)
        #expect(abs(StandardNormal.cdf(-1) - 0.15865525393145705) < 2 * 0.1587 * Self.eps)
    }

    @Test func lowerTailRoundTripFrom1e300To0_5() {
        var worst = 0.0
        var logP = Double.log(1e-300)
        let step = (Double.log(0.5) - logP) / 4000
        while logP <= Double.log(0.5) {
            let p = Double.exp(logP)
            let z = StandardNormal.quantile(p)
            let relative = abs(StandardNormal.cdf(z) - p) / p
            worst = max(worst, relative / Self.bound(z, p))
            #expect(relative <= Self.bound(z, p), "p = \(p), z = \(z)")
            logP += step
        }
        print("normal quantile lower tail: worst error / bound = \(worst)")
    }

    @Test func upperTailRoundTripFrom1Minus1e16To0_5() {
        // q = 1 - p is exact for p >= 0.5, so compare the upper tail mass directly.
        var logQ = Double.log(1e-16)
        let step = (Double.log(0.5) - logQ) / 2000
        while logQ <= Double.log(0.5) {
            let p = 1 - Double.exp(logQ)
            let q = 1 - p
            let z = StandardNormal.quantile(p)
            #expect(z >= 0)
            let relative = abs(StandardNormal.cdf(-z) - q) / q
            #expect(relative <= Self.bound(-z, q), "p = \(p), z = \(z)")
            logQ += step
        }
        #expect(abs(StandardNormal.quantile(1 - 0x1p-53) - 8.2095361516013874) < 1e-14 * 8.2)
    }

    @Test func symmetry() {
        for k in 1..<1024 {
            let p = Double(k) / 1024  // 1 - p is exact
            #expect(StandardNormal.quantile(p) == -StandardNormal.quantile(1 - p))
        }
        for x in stride(from: -8.0, through: 8, by: 0.013) {
            #expect(abs(StandardNormal.cdf(x) + StandardNormal.cdf(-x) - 1) <= 2 * Self.eps)
        }
    }

    @Test func monotoneAcrossBranchBoundaries() {
        // AS241 switches rational approximations at q = 0.425 and r = 5.
        for p0 in [0.075, 0.925, Double.exp(-25), 1 - Double.exp(-25)] {
            var p = p0
            var previous = StandardNormal.quantile(p.nextDown)
            for _ in 0..<200 {
                let z = StandardNormal.quantile(p)
                // One-ulp wobble is rounding (a 1-ulp step in p moves z by less than an ulp);
                // a mismatch between AS241's branches would show as a larger jump.
                #expect(z >= previous - 2 * previous.ulp, "p = \(p)")
                previous = z
                p = p.nextUp
            }
        }
    }
}
