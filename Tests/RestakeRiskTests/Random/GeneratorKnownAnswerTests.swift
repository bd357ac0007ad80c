import Testing
@testable import RestakeRisk

/// Known-answer vectors for the three bit generators.
///
/// SplitMix64 and xoshiro256++ expectations were produced by compiling Vigna's reference C
/// (splitmix64.c and xoshiro256plusplus.c from prng.di.unimi.it) with gcc on this machine.
/// Philox4x32-10 expectations are Random123's `kat_vectors` (philox4x32 10 lines).
@Suite struct GeneratorKnownAnswerTests {
    @Test func splitMix64MatchesReferenceC() {
        var a = SplitMix64(seed: 0)
        #expect((0..<5).map { _ in a.next() } == [
            0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f, 0xf88bb8a8724c81ec, 0x1b39896a51a8749b,
        ])
        var b = SplitMix64(seed: 1_234_567)
        #expect((0..<5).map { _ in b.next() } == [
            0x599ed017fb08fc85, 0x2c73f08458540fa5, 0x883ebce5a3f27c77, 0x3fbef740e9177b3f, 0xe3b8346708cb5ecd,
        ])
    }

    @Test func xoshiro256PlusPlusMatchesReferenceC() {
        var g = Xoshiro256PlusPlus(state: (1, 2, 3, 4))
        #expect((0..<8).map { _ in g.next() } == [
            0x0000000002800001, 0x0000000003800067, 0x000cc00003800067, 0x000cc201994400b2,
            0x8012a2019ac433cd, 0x8a69978acdee33ba, 0xc271134733154abd, 0xac2ba09179169e97,
        ])
        // State = four SplitMix64(42) outputs, as in the reference's seeding advice.
        var h = Xoshiro256PlusPlus(seed: 42)
        #expect((0..<6).map { _ in h.next() } == [
            0xd0764d4f4476689f, 0x519e4174576f3791, 0xfbe07cfb0c24ed8c,
            0xb37d9f600cd835b8, 0xcb231c3874846a73, 0x968d9f004e50de7d,
        ])
    }

    @Test func simdLanesRunTheScalarRecurrence() {
        var scalars = (0..<8).map { Xoshiro256PlusPlus(seed: UInt64($0) &* 977) }
        var s = (SIMD8<UInt64>(), SIMD8<UInt64>(), SIMD8<UInt64>(), SIMD8<UInt64>())
        for lane in 0..<8 {
            var sm = SplitMix64(seed: UInt64(lane) &* 977)
            s.0[lane] = sm.next(); s.1[lane] = sm.next(); s.2[lane] = sm.next(); s.3[lane] = sm.next()
        }
        var wide = Xoshiro256PlusPlusX8(s0: s.0, s1: s.1, s2: s.2, s3: s.3)
        for _ in 0..<100 {
            let block = wide.next()
            for lane in 0..<8 {
                #expect(block[lane] == scalars[lane].next())
            }
        }
    }

    @Test(arguments: [
        (SIMD4<UInt32>(0, 0, 0, 0), SIMD2<UInt32>(0, 0), SIMD4<UInt32>(0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8)),
        (SIMD4<UInt32>(repeating: 0xffffffff), SIMD2<UInt32>(repeating: 0xffffffff),
         SIMD4<UInt32>(0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd)),
        (SIMD4<UInt32>(0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344), SIMD2<UInt32>(0xa4093822, 0x299f31d0),
         SIMD4<UInt32>(0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1)),
    ])
    func philox4x32_10MatchesRandom123(counter: SIMD4<UInt32>, key: SIMD2<UInt32>, expected: SIMD4<UInt32>) {
        #expect(Philox4x32.block(counter: counter, key: key) == expected)
    }

    @Test func philoxFillMatchesBlockFunction() {
        let key = SIMD2<UInt32>(0xa4093822, 0x299f31d0)
        let first: UInt64 = 0xffff_fffe  // crosses the 32-bit counter word boundary
        let n = 37
        let out = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer { out.deallocate() }
        Philox4x32.fillUniforms(out, count: n, key: key, firstBlock: first)
        for k in 0..<n {
            let blockIndex = first &+ UInt64(k / 2)
            let c = SIMD4<UInt32>(UInt32(truncatingIfNeeded: blockIndex), UInt32(truncatingIfNeeded: blockIndex >> 32), 0, 0)
            let w = Philox4x32.block(counter: c, key: key)
            let bits = k % 2 == 0 ? UInt64(w[0]) | UInt64(w[1]) << 32 : UInt64(w[2]) | UInt64(w[3]) << 32
            #expect(out[k] == UniformBits.open01(bits))
        }
    }
}
