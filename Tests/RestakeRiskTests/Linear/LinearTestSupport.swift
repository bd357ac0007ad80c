@testable import RestakeRisk

/// SplitMix64: a fixed, dependency-free source of test inputs, so failures reproduce.
struct TestRandom {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform on [-1, 1).
    mutating func symmetricUnit() -> Double {
        Double(next() >> 11) * 0x1p-53 * 2 - 1
    }
}

/// A random correlation matrix of rank min(k, rank): normalised Gram matrix of random vectors.
func randomCorrelation(dimension k: Int, rank m: Int, seed: UInt64) -> CorrelationMatrix {
    var rng = TestRandom(state: seed)
    let g = (0..<k).map { _ in (0..<m).map { _ in rng.symmetricUnit() } }
    var c = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
    for i in 0..<k {
        for j in 0..<k {
            var s = 0.0
            for t in 0..<m { s += g[i][t] * g[j][t] }
            c[i][j] = s
        }
    }
    let d = (0..<k).map { c[$0][$0].squareRoot() }
    for i in 0..<k {
        for j in 0..<k { c[i][j] = i == j ? 1 : c[i][j] / (d[i] * d[j]) }
    }
    // Exact symmetry: the loop above already computes c[i][j] and c[j][i] identically.
    return CorrelationMatrix(matrix: c, names: (0..<k).map { "f\($0)" })
}

func maxAbsDifference(_ a: CorrelationMatrix, _ b: CorrelationMatrix) -> Double {
    precondition(a.dimension == b.dimension)
    var m = 0.0
    for i in 0..<a.dimension {
        for j in 0..<a.dimension { m = max(m, abs(a[i, j] - b[i, j])) }
    }
    return m
}
