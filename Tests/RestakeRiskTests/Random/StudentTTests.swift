import RealModule
import Testing
@testable import RestakeRisk

@Suite struct StudentTTests {
    static let eps = Double.ulpOfOne

    @Test func knownValue() {
        #expect(abs(StudentT(dof: 4).cdf(2) - 0.941941738241592) < 1e-15)
        #expect(abs(StudentT(dof: 4).cdf(-2) - (1 - 0.941941738241592)) < 1e-15)
        #expect(StudentT(dof: 7.3).cdf(0) == 0.5)
    }

    @Test func cauchyClosedForm() {
        let t1 = StudentT(dof: 1)
        for t in stride(from: -50.0, through: 50, by: 0.37) {
            #expect(abs(t1.cdf(t) - (0.5 + Double.atan(t) / Double.pi)) < 4 * Self.eps)
        }
        // Deep lower tail in relative terms: F(t) = atan(-1/t) / pi for t < 0.
        for e in stride(from: 0.0, through: 12, by: 0.5) {
            let t = -Double.pow(10, e)
            let exact = Double.atan(-1 / t) / Double.pi
            #expect(abs(t1.cdf(t) - exact) / exact < 1e-13, "t = \(t)")
        }
    }

    @Test func twoDegreesClosedForm() {
        let t2 = StudentT(dof: 2)
        for t in stride(from: -50.0, through: 50, by: 0.37) {
            #expect(abs(t2.cdf(t) - (0.5 + t / (2 * (2 + t * t).squareRoot()))) < 4 * Self.eps)
        }
        for e in stride(from: 0.0, through: 12, by: 0.5) {
            let t = -Double.pow(10, e)
            let s = (2 + t * t).squareRoot()
            let exact = 1 / (s * (s - t))  // 0.5 (1 + t/s) without cancellation
            #expect(abs(t2.cdf(t) - exact) / exact < 1e-13, "t = \(t)")
        }
    }

    @Test func threeDegreesClosedForm() {
        // F(t) = 1/2 + (1/pi) (t/(sqrt3 (1 + t^2/3)) + atan(t/sqrt3)).
        let t3 = StudentT(dof: 3)
        for t in stride(from: -20.0, through: 20, by: 0.29) {
            let u = t / 3.0.squareRoot()
            let exact = 0.5 + (u / (1 + u * u) + Double.atan(u)) / Double.pi
            #expect(abs(t3.cdf(t) - exact) < 1e-14)
        }
    }

    @Test(arguments: [1.0, 2.0, 2.5, 3.0, 4.0, 5.5, 10.0, 30.0, 200.0])
    func quantileRoundTripDeepIntoTails(dof: Double) {
        let dist = StudentT(dof: dof)
        var logP = Double.log(1e-15)
        let step = (Double.log(0.5) - logP) / 400
        while logP < Double.log(0.5) {
            let p = Double.exp(logP)
            let t = dist.quantile(p)
            // |dF/F| = (t f(t)/F) |dt/t|: allow a few ulps of t and of F.
            let condition = abs(t) * dist.pdf(t) / p
            let relative = abs(dist.cdf(t) - p) / p
            #expect(relative < 64 * Self.eps * (1 + condition), "dof \(dof), p \(p), t \(t)")
            // Upper tail: q = 1 - (1 - p) is the mass actually requested, exactly.
            let pu = 1 - p, q = 1 - pu
            let tu = dist.quantile(pu)
            let upperCondition = abs(tu) * dist.pdf(tu) / q
            #expect(tu > 0 && abs(dist.cdf(-tu) - q) / q < 64 * Self.eps * (1 + upperCondition), "dof \(dof), upper q \(q)")
            logP += step
        }
    }

    @Test(arguments: [3.0, 4.5, 8.0, 30.0])
    func cdfThenQuantileRecoversT(dof: Double) {
        let dist = StudentT(dof: dof)
        for t in [-1e4, -1000.0, -150.0, -40.0, -12.0, -5.0, -2.0, -0.7, -0.05] {
            let back = dist.quantile(dist.cdf(t))
            #expect(abs(back - t) / abs(t) < 1e-12, "dof \(dof), t \(t), back \(back)")
        }
    }

    @Test func incidentThresholdAtOneInTenMillion() {
        for dof in stride(from: 3.0, through: 30, by: 1.5) {
            let dist = StudentT(dof: dof)
            let t = dist.quantile(1e-7)
            #expect(abs(dist.cdf(t) / 1e-7 - 1) < 1e-13, "dof \(dof)")
        }
    }

    @Test func largeDofApproachesNormal() {
        let dist = StudentT(dof: 1e6)
        for p in [1e-6, 0.01, 0.3] {
            #expect(abs(dist.quantile(p) - StandardNormal.quantile(p)) < 1e-4 * abs(StandardNormal.quantile(p)))
        }
    }
}
