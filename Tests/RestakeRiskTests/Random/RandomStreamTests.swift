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
        #expect(z == Self.referenceNormals(&b, count: 1000))
        #expect(a.nextUInt64() == b.nextUInt64(), "the stream after the fill")
    }

    /// `fillNormals` spelled out one value at a time: a candidate per slot from the stream's
    /// `count` next values, then each rejected slot's wedge or tail test, in slot order, with
    /// the values that follow.
    static func referenceNormals(_ s: inout RandomStream, count: Int) -> [Double] {
        let bits = (0..<count).map { _ in s.nextUInt64() }
        var out = [Double](repeating: .nan, count: count)
        var rejected: [Int] = []
        // Sign bit 0, layer bits 1-10, abscissa bits 12-63.
        func layer(_ b: UInt64) -> Int { Int((b >> 1) & 0x3FF) }
        func candidate(_ b: UInt64) -> Double { Double(b >> 12) * 0x1p-52 * Ziggurat.table[layer(b)] }
        for (slot, b) in bits.enumerated() {
            let z = candidate(b)
            if z < Ziggurat.table[layer(b) + 1] {
                out[slot] = b & 1 != 0 ? -z : z
            } else {
                rejected.append(slot)
            }
        }
        for slot in rejected {
            let b = bits[slot]
            out[slot] = s.zigguratSlowPath(bits: b, layer: layer(b), candidate: candidate(b))
        }
        return out
    }

    /// The C kernel's scalar and AVX2 paths against the scalar replica, value for value.
    ///
    /// Fills of 1 to 100,000 values from shifting starts within the stream's SIMD block, so
    /// rejections fall inside octets, in the last values and, at 100,000 values (~430
    /// rejections), past a full list of 256. Draws beyond r (the tail's own method) are counted
    /// to show it ran.
    @Test(arguments: [false, true])
    func kernelFillsMatchTheReferenceSequence(vector: Bool) {
        guard !vector || Ziggurat.vectorFill else { return }
        var a = RandomStream(seed: 77, stream: 3)
        var b = a
        let capacity = 100_000
        let z = UnsafeMutablePointer<Double>.allocate(capacity: capacity)
        defer { z.deallocate() }
        var tails = 0, compared = 0
        let counts = [1, 2, 3, 4, 5, 7, 8, 9, 13, 64, 255, 1000, 4099, 100_000]
        for round in 0..<600 {
            let count = counts[round % counts.count]
            for _ in 0..<(round % 8) { _ = a.nextUInt64(); _ = b.nextUInt64() }
            a.fillNormals(z, count: count, vector: vector)
            let reference = Self.referenceNormals(&b, count: count)
            for w in 0..<count {
                let expected = reference[w]
                if z[w].bitPattern != expected.bitPattern {
                    Issue.record("round \(round), value \(w) of \(count): \(z[w]) != \(expected)")
                    return
                }
                if abs(expected) > Ziggurat.r { tails += 1 }
                compared += 1
            }
            #expect(a.nextUInt64() == b.nextUInt64(), "the stream after the fill")
        }
        #expect(compared > 200_000)
        #expect(tails > 10)
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
