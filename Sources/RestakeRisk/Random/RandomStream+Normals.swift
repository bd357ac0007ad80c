internal import CRestakeKernels
import RealModule

extension RandomStream {
    /// Returns a standard normal variate (the shared 1,024-layer ziggurat of `RandomSource`).
    @inlinable
    public mutating func nextNormal() -> Double { zigguratNormal() }

    /// Fills `out[0..<count]` with standard normal variates: the engine's hot path.
    ///
    /// The 1,024-layer ziggurat of `nextNormal()` with its draws in a fixed order, so that the
    /// common case is a branch-free pass: the stream's `count` next 64-bit values go into `out`,
    /// one candidate per slot (sign bit 0, layer bits 1-10, abscissa bits 12-63). The C kernel
    /// `restake_ziggurat_rectangles` turns the ~99.6% inside their rectangles into normals in
    /// place and lists the others; each listed slot, in increasing order, then finishes its own
    /// candidate by the wedge or tail test (`zigguratSlowPath`) with values the stream draws
    /// after the `count`. Every normal is a function of independent values, so the law is the
    /// ziggurat's; the sequence differs from `count` calls of `nextNormal()`, which interleave
    /// a rejected candidate's further values with the next candidates.
    public mutating func fillNormals(_ out: UnsafeMutablePointer<Double>, count: Int) {
        fillNormals(out, count: count, vector: Ziggurat.vectorFill)
    }

    /// `fillNormals(_:count:)` with the kernel's path chosen: `vector` takes AVX2 and FMA (the
    /// tests run both and compare them with a scalar replica).
    mutating func fillNormals(_ out: UnsafeMutablePointer<Double>, count: Int, vector: Bool) {
        precondition(count >= 0 && count <= Int(Int32.max), "count out of range")
        precondition(!vector || Ziggurat.vectorFill, "this CPU has no AVX2 and FMA")
        let bits = UnsafeMutableRawPointer(out).bindMemory(to: UInt64.self, capacity: count)
        fillBits(bits, count: count)
        // A list on the stack: the kernel stops when it is full, and goes on once it is emptied.
        let capacity = 256
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: capacity) { list in
            let rejects = list.baseAddress!
            var position = 0
            while position < count {
                var listed = 0
                position = restake_ziggurat_rectangles(bits, count, position, Ziggurat.pairs,
                                                        rejects, capacity, &listed, vector ? 1 : 0)
                for j in 0..<listed {
                    let slot = Int(truncatingIfNeeded: rejects[j])
                    let b = bits[slot]
                    bits[slot] = zigguratSlowPath(bits: b, layer: Ziggurat.layer(b),
                                                  candidate: Ziggurat.candidate(b)).bitPattern
                }
            }
        }
        _ = UnsafeMutableRawPointer(out).bindMemory(to: Double.self, capacity: count)
    }

    /// Fills `out[0..<count]` with the stream's next 64-bit values.
    @inlinable
    mutating func fillBits(_ out: UnsafeMutablePointer<UInt64>, count: Int) {
        var k = 0
        while k < count && used < 8 {
            out[k] = nextUInt64()
            k &+= 1
        }
        var eng = engine  // in registers for the bulk loop
        while count &- k >= 8 {
            UnsafeMutableRawPointer(out + k).storeBytes(of: eng.next(), as: SIMD8<UInt64>.self)
            k &+= 8
        }
        engine = eng
        while k < count {
            out[k] = nextUInt64()
            k &+= 1
        }
    }
}
