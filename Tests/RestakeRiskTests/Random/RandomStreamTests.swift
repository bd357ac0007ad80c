import Testing
@testable import RestakeRisk

@Suite struct RandomStreamTests {
    @Test func sameSeedAndStreamGiveSameNumbers() {
        var a = RandomStream(seed: 2024, stream: 17)
        var b = RandomStream(seed: 2024, stream: 17)
        for _ in 0..<1000 { #expect(a.nextUInt64() == b.nextUInt64()) }
        var c = RandomStream(seed: 2024, stream: 17)
        var d = RandomStream(seed: 2024, stream: 17)
        var x = [Double](repeating: 0, count: 1001), y = x
        x.withUnsafeMutableBufferPointer { c.fillNormals($0.baseAddress!, count: $0.count) }
        y.withUnsafeMutableBufferPointer { d.fillNormals($0.baseAddress!, count: $0.count) }
        #expect(x == y)
    }

    @Test func differentStreamsAndSeedsDiffer() {
        func firstValues(_ seed: UInt64, _ stream: UInt64) -> [UInt64] {
            var s = RandomStream(seed: seed, stream: stream)
            return (0..<16).map { _ in s.nextUInt64() }
        }
        var seen = Set<UInt64>()
        var total = 0
        for seed: UInt64 in [0, 1, 2] {
            for stream: UInt64 in [0, 1, 2, 3, 1 << 32, .max] {
                let v = firstValues(seed, stream)
                seen.formUnion(v)
                total += v.count
            }
        }
        // 288 values from 18 (seed, stream) pairs: any repeat would mean shared state.
        #expect(seen.count == total)
    }

    @Test func fillsMatchRepeatedSingleDraws() {
        var a = RandomStream(seed: 5, stream: 9)
        var b = a
        _ = a.nextUInt64(); _ = b.nextUInt64()  // start mid-block
        var u = [Double](repeating: 0, count: 45)
        u.withUnsafeMutableBufferPointer { a.fillUniforms($0.baseAddress!, count: 45) }
        #expect(u == (0..<45).map { _ in b.nextUniform() })
        var z = [Double](repeating: 0, count: 1000)
        z.withUnsafeMutableBufferPointer { a.fillNormals($0.baseAddress!, count: 1000) }
        #expect(z == (0..<1000).map { _ in b.nextNormal() })
    }

    @Test func uniformExtremesStayInsideTheOpenInterval() {
        #expect(UniformBits.open01(0) == 0x1p-53)
        #expect(UniformBits.open01(.max) == 1 - 0x1p-53)
        #expect(UniformBits.open01(.max) < 1)
        #expect(UniformBits.open01(SIMD8<UInt64>(repeating: .max)) == SIMD8<Double>(repeating: 1 - 0x1p-53))
    }

    @Test func uniformMomentsWithinFourStandardErrors() {
        let n = 2_000_000
        var s = RandomStream(seed: 12345, stream: 0)
        let u = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer { u.deallocate() }
        s.fillUniforms(u, count: n)
        var sum = 0.0, sumSq = 0.0
        var inside = true
        for k in 0..<n {
            inside = inside && u[k] > 0 && u[k] < 1
            sum += u[k]
        }
        let mean = sum / Double(n)
        for k in 0..<n { sumSq += (u[k] - mean) * (u[k] - mean) }
        let variance = sumSq / Double(n - 1)
        #expect(inside)
        // U(0,1): variance 1/12; Var(sample variance) = (mu4 - sigma^4)/n = (1/80 - 1/144)/n.
        #expect(abs(mean - 0.5) < 4 * (1.0 / 12 / Double(n)).squareRoot())
        #expect(abs(variance - 1.0 / 12) < 4 * ((1.0 / 80 - 1.0 / 144) / Double(n)).squareRoot())
    }
}
