import Glibc
import Testing
@testable import RestakeRisk

/// Error bounds of the vectorised exp (1 ulp) and log (2 ulp) against glibc (itself within 1 ulp, mostly correctly rounded).
@Suite struct VectorMathTests {
    /// |y - ref| in units of ref's last place (subnormal spacing below the normal range).
    static func ulps(_ y: Double, _ ref: Double) -> Double {
        if y == ref { return 0 }
        let spacing = max(ref.ulp, Double.leastNonzeroMagnitude)
        return abs(y - ref) / spacing
    }

    static func run(_ f: (UnsafePointer<Double>, UnsafeMutablePointer<Double>, Int) -> Void, _ x: [Double]) -> [Double] {
        var y = [Double](repeating: .nan, count: x.count)
        x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { f(xp.baseAddress!, $0.baseAddress!, x.count) } }
        return y
    }

    @Test func expIsWithinOneUlpOverTheEngineRange() {
        var rng = TestRandom(state: 17)
        var x = (0..<1_000_000).map { _ in -745.2 + (709.8 + 745.2) * (rng.symmetricUnit() * 0.5 + 0.5) }
        // Dense near 0 and around the k boundaries, where the reduction changes k.
        x += (0..<100_000).map { _ in rng.symmetricUnit() * 2 }
        for k in -1100...1030 {
            let edge: Double = Double(k) * M_LN2 * 0.5
            x.append(edge)
            x.append(edge + 1e-13)
        }
        let y = Self.run(VectorMath.exp, x)
        var worst = 0.0, at = 0.0
        for i in 0..<x.count {
            let e = Self.ulps(y[i], Glibc.exp(x[i]))
            if e > worst { worst = e; at = x[i] }
        }
        #expect(worst <= 1, "worst error \(worst) ulp at x = \(at)")
    }

    @Test func expEdges() {
        let x: [Double] = [0, -0.0, 709.782712893384, 709.7828, 710, 1e300, .infinity, -745.13321910194110, -745.2,
                           -746, -1e300, -.infinity, .nan, 1e-300, -1e-17, 1]
        let y = Self.run(VectorMath.exp, x)
        #expect(y[0] == 1 && y[1] == 1)
        #expect(y[2] == Glibc.exp(709.782712893384) && y[2].isFinite)
        #expect(y[3] == .infinity && y[4] == .infinity && y[5] == .infinity && y[6] == .infinity)
        #expect(y[7] == Glibc.exp(x[7]) && y[7] > 0)
        #expect(y[8] == 0 && y[9] == 0 && y[10] == 0 && y[11] == 0)
        #expect(y[12].isNaN)
        #expect(y[13] == 1 && y[14] == 1 && y[15] == Glibc.exp(1.0))
    }

    @Test func expInPlaceAndTailsMatchFullVectors() {
        let n = 1003
        let x = (0..<n).map { Double($0) * 0.01 - 5 }
        let y = Self.run(VectorMath.exp, x)
        var z = x
        z.withUnsafeMutableBufferPointer { VectorMath.exp($0.baseAddress!, into: $0.baseAddress!, count: n) }
        #expect(z == y)
        // An element's value does not depend on its position (tail lanes go through the same code).
        for i in 0..<n { #expect(y[i] == VectorMath.exp8(SIMD8(repeating: x[i]))[0]) }
    }

    @Test func logIsWithinTwoUlpOnNormalInputs() {
        var rng = TestRandom(state: 23)
        var x = (0..<1_000_000).map { _ in Glibc.exp(rng.symmetricUnit() * 708) }
        x += (0..<100_000).map { _ in 1 + rng.symmetricUnit() * 0.5 }
        x += [Double.leastNormalMagnitude, Double.greatestFiniteMagnitude, 2.0.squareRoot(), 0.5.squareRoot(), 1, 2, 0.5]
        let y = Self.run(VectorMath.log, x)
        var worst = 0.0, at = 0.0
        for i in 0..<x.count {
            let e = Self.ulps(y[i], Glibc.log(x[i]))
            if e > worst { worst = e; at = x[i] }
        }
        #expect(worst <= 2, "worst error \(worst) ulp at x = \(at)")
    }

    @Test func logEdgesGoThroughTheScalarPath() {
        let x: [Double] = [0, -1, .infinity, .nan, 4.9e-324, 1e-310, 1, 3, 5, 7, 11, 13, 17, 19]
        let y = Self.run(VectorMath.log, x)
        #expect(y[0] == -.infinity && y[1].isNaN && y[2] == .infinity && y[3].isNaN)
        #expect(y[4] == Glibc.log(4.9e-324) && y[5] == Glibc.log(1e-310))
        #expect(y[6] == 0)
    }
}
