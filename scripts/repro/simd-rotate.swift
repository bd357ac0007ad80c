// The smallest reproducer of a slow lowering that cost the engine's xoshiro256++ 4.6x on AVX2
// machines (Zen 3, no AVX-512): a lane-wise rotate of SIMD8<UInt64> written as shifts and an
// or becomes a funnel shift, which LLVM lowers lane by lane through scalar `rorx` when
// `vprolq` is missing. The same bits through a product and a sum stay in vector registers.
//
//   swiftc -O -wmo -target-cpu native scripts/repro/simd-rotate.swift -o /tmp/rot && /tmp/rot
//   objdump -d /tmp/rot | grep -c rorx     # the shift-or version's scalar rotates
//
// Measured on this project's machine (2026-12-03, Swift 6.3.1, AMD EPYC Zen 3):
// shift-or 1.37-1.46 ns a value, product-sum 0.31-0.33 ns, the same checksum.
import Dispatch

@inline(__always) func rotateShiftOr(_ x: SIMD8<UInt64>, _ k: UInt64) -> SIMD8<UInt64> {
    (x &<< SIMD8(repeating: k)) | (x &>> SIMD8(repeating: 64 &- k))
}

@inline(__always) func rotateProductSum(_ x: SIMD8<UInt64>, _ k: UInt64) -> SIMD8<UInt64> {
    (x &* SIMD8(repeating: 1 &<< k)) &+ (x &>> SIMD8(repeating: 64 &- k))
}

struct X8 {
    var s0 = SIMD8<UInt64>(1, 2, 3, 4, 5, 6, 7, 8), s1 = SIMD8<UInt64>(9, 1, 2, 3, 4, 5, 6, 7)
    var s2 = SIMD8<UInt64>(3, 4, 5, 6, 7, 8, 9, 1), s3 = SIMD8<UInt64>(5, 6, 7, 8, 9, 1, 2, 3)

    /// One xoshiro256++ step in eight lanes, rotating by shifts and an or, or by a product and a sum.
    @inline(__always) mutating func next(productSum: Bool) -> SIMD8<UInt64> {
        let sum = s0 &+ s3
        let result = (productSum ? rotateProductSum(sum, 23) : rotateShiftOr(sum, 23)) &+ s0
        let t = s1 &<< 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t
        s3 = productSum ? rotateProductSum(s3, 45) : rotateShiftOr(s3, 45)
        return result
    }
}

@inline(never) func fill(_ out: UnsafeMutablePointer<UInt64>, count: Int, _ g: inout X8, productSum: Bool) {
    var k = 0
    while k < count {
        UnsafeMutableRawPointer(out + k).storeBytes(of: g.next(productSum: productSum), as: SIMD8<UInt64>.self)
        k += 8
    }
}

@inline(never) func fillShiftOr(_ out: UnsafeMutablePointer<UInt64>, count: Int, _ g: inout X8) {
    fill(out, count: count, &g, productSum: false)
}

@inline(never) func fillProductSum(_ out: UnsafeMutablePointer<UInt64>, count: Int, _ g: inout X8) {
    fill(out, count: count, &g, productSum: true)
}

let count = 9216
let out = UnsafeMutablePointer<UInt64>.allocate(capacity: count)
for productSum in [false, true] {
    var g = X8()
    var best = Double.infinity
    var checksum: UInt64 = 0
    for _ in 0..<7 {
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<1000 {
            if productSum { fillProductSum(out, count: count, &g) } else { fillShiftOr(out, count: count, &g) }
            checksum &+= out[7]
        }
        best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / Double(1000 * count))
    }
    print(productSum ? "product-sum" : "shift-or", "ns per value:", (best * 1000).rounded() / 1000, "checksum:", checksum)
}
