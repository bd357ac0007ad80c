import Testing
@testable import RestakeRisk

/// Keyed event draws: fixed answers, block fill = scalar stream, independence, uniformity, Beta moments.
@Suite struct KeyedStreamTests {
    /// Expected words computed by an independent Python implementation of the documented key
    /// derivation and counter layout (its Philox reproduces Random123's known-answer vectors).
    @Test(arguments: [
        (UInt64(42), EventPurpose.incidentSeverity, "bridge", 0, 0,
         [UInt64(0xac44_048d_51a8_a5e2), 0x1977_4081_7170_37f0, 0xff4b_756e_fc73_7ca1]),
        (UInt64(42), EventPurpose.incidentSeverity, "bridge", 123_456_789_012, 364,
         [UInt64(0x6f9a_f731_ea7f_b9d2), 0xf641_636f_4c42_be1a, 0xd6e7_330a_5850_4b32]),
        (UInt64(7), EventPurpose.jumpOccurrence, "ETH", 5, 1,
         [UInt64(0x974b_09bb_2a36_474a), 0x397d_ffe8_5db4_99b9, 0x8c49_cfb5_48a0_1903]),
        (UInt64(0), EventPurpose.stress, "", 0, 0,
         [UInt64(0x0d81_3344_909b_0e1e), 0x794e_751a_d800_8830, 0x92fe_01ee_22d7_2424]),
    ])
    func knownAnswers(seed: UInt64, purpose: EventPurpose, entity: String, path: Int, step: Int, words: [UInt64]) {
        var s = KeyedStream(EventKey(seed: seed, purpose: purpose, entity: entity), path: path, step: step)
        #expect((0..<3).map { _ in s.nextUInt64() } == words)
        var u = KeyedStream(EventKey(seed: seed, purpose: purpose, entity: entity), path: path, step: step)
        #expect(u.nextUniform() == UniformBits.open01(words[0]))
    }

    @Test func fnvAndPurposeValuesAreFixed() {
        #expect(EventKey.fnv1a64("") == 0xcbf2_9ce4_8422_2325)
        #expect(EventKey.fnv1a64("bridge") == 0x9cdc_3637_e7ce_0390)
        let raw = EventPurpose.allCases.map(\.rawValue)
        #expect(raw == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    }

    @Test(arguments: [(0, 1003, 17), (1_000_000, 8, 0), (5, 3, 4_000_000_000)])
    func blockFillEqualsScalarStream(firstPath: Int, count: Int, step: Int) {
        let key = EventKey(seed: 99, purpose: .baseSlashingEvent, entity: "native-staking")
        let out = UnsafeMutablePointer<Double>.allocate(capacity: count)
        defer { out.deallocate() }
        KeyedStream.fillUniforms(key, firstPath: firstPath, count: count, step: step, into: out)
        for i in 0..<count {
            var s = KeyedStream(key, path: firstPath + i, step: step)
            #expect(out[i] == s.nextUniform(), "path \(firstPath + i)")
        }
    }

    /// Sample correlation of uniforms of two keys (or two steps) over n paths: SE = 1/sqrt(n).
    static func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let n = Double(a.count)
        let ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for i in 0..<a.count {
            sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) * (a[i] - ma); sbb += (b[i] - mb) * (b[i] - mb)
        }
        return sab / (saa * sbb).squareRoot()
    }

    static func fill(_ key: EventKey, step: Int, n: Int) -> [Double] {
        var x = [Double](repeating: 0, count: n)
        x.withUnsafeMutableBufferPointer { KeyedStream.fillUniforms(key, firstPath: 0, count: n, step: step, into: $0.baseAddress!) }
        return x
    }

    @Test func differentEntitiesPurposesAndStepsAreUncorrelated() {
        let n = 1_000_000
        let se = 1 / Double(n).squareRoot()
        let a = Self.fill(EventKey(seed: 5, purpose: .incidentSeverity, entity: "bridge"), step: 3, n: n)
        let others = [
            Self.fill(EventKey(seed: 5, purpose: .incidentSeverity, entity: "bridgf"), step: 3, n: n),
            Self.fill(EventKey(seed: 5, purpose: .vetoDraw, entity: "bridge"), step: 3, n: n),
            Self.fill(EventKey(seed: 6, purpose: .incidentSeverity, entity: "bridge"), step: 3, n: n),
            Self.fill(EventKey(seed: 5, purpose: .incidentSeverity, entity: "bridge"), step: 4, n: n),
        ]
        for (j, b) in others.enumerated() {
            let r = Self.correlation(a, b)
            #expect(abs(r) < 4 * se, "pair \(j): correlation \(r)")
        }
        // Within one stream, the first and second draw of each path.
        let key = EventKey(seed: 5, purpose: .depegSize, entity: "LRT")
        var first = [Double](), second = [Double]()
        for p in 0..<n {
            var s = KeyedStream(key, path: p, step: 9)
            first.append(s.nextUniform()); second.append(s.nextUniform())
        }
        #expect(abs(Self.correlation(first, second)) < 4 * se)
    }

    @Test func uniformsPassKolmogorovSmirnov() {
        let n = 1_000_000
        var x = Self.fill(EventKey(seed: 11, purpose: .jumpOccurrence, entity: "ETH"), step: 100, n: n)
        #expect(x.allSatisfy { $0 > 0 && $0 < 1 })
        x.sort()
        var d = 0.0
        for i in 0..<n {
            d = max(d, Double(i + 1) / Double(n) - x[i], x[i] - Double(i) / Double(n))
        }
        // sqrt(n) D < 1.95 has probability 0.999 under uniformity.
        #expect(d * Double(n).squareRoot() < 1.95, "KS statistic \(d)")
    }

    @Test(arguments: [(2.0, 38.0), (1.5, 6.0), (0.5, 0.7), (0.05, 3.0)])
    func betaMoments(a: Double, b: Double) {
        let n = 400_000
        let key = EventKey(seed: 3, purpose: .incidentSeverity, entity: "beta \(a) \(b)")
        var x = [Double]()
        x.reserveCapacity(n)
        for p in 0..<n {
            var s = KeyedStream(key, path: p, step: 1)
            x.append(s.nextBeta(a, b))
        }
        #expect(x.allSatisfy { $0 >= 0 && $0 <= 1 })
        let mean = a / (a + b)
        let variance = a * b / ((a + b) * (a + b) * (a + b + 1))
        GammaBetaSamplingTests.checkMoments(x, mean: mean, variance: variance, "keyed Beta(\(a), \(b))")
    }

    @Test func normalsHaveUnitMomentsAndSymmetricTails() {
        let n = 1_000_000
        let key = EventKey(seed: 8, purpose: .jumpSize, entity: "ETH")
        var x = [Double]()
        x.reserveCapacity(n)
        for p in 0..<(n / 4) {
            var s = KeyedStream(key, path: p, step: 2)
            for _ in 0..<4 { x.append(s.nextNormal()) }
        }
        GammaBetaSamplingTests.checkMoments(x, mean: 0, variance: 1, "keyed normal")
        // P(Z < -2) = 0.02275: its count within 4 binomial SE.
        let p = 0.022750131948179209
        let below = Double(x.filter { $0 < -2 }.count), above = Double(x.filter { $0 > 2 }.count)
        let se = (Double(n) * p * (1 - p)).squareRoot()
        #expect(abs(below - Double(n) * p) < 4 * se && abs(above - Double(n) * p) < 4 * se)
    }
}
