internal import CRestakeKernels
import RealModule

extension RandomStream {
    /// Returns a standard normal variate (the shared 256-layer ziggurat of `RandomSource`).
    @inlinable
    public mutating func nextNormal() -> Double { zigguratNormal() }

    /// Fills `out[0..<count]` with standard normal variates: the engine's hot path.
    ///
    /// Same sequence as `count` calls of `nextNormal()`, in two passes: first the `count` next
    /// 64-bit values go into `out` itself (whole SIMD blocks), then each is turned into a normal
    /// in place. One value gives the layer (bits 0-7), the sign (bit 8) and the abscissa (bits
    /// 11-63), so the ~98.5% inside their rectangle cost one value and two table reads. A draw
    /// that needs the slow path reads on through the values already in `out` (ahead of the
    /// write position, since every normal uses at least one value). The second pass is the C
    /// kernel `restake_ziggurat_fill` (eight candidates at a time where the CPU has AVX2).
    /// Slow paths use up ~2.2% more values than there are normals: the slots still unwritten
    /// when the buffered values run out get the stream's next values and a further pass.
    public mutating func fillNormals(_ out: UnsafeMutablePointer<Double>, count: Int) {
        fillNormals(out, count: count, vector: Ziggurat.vectorFill)
    }

    /// `fillNormals(_:count:)` with the kernel's fast path chosen: `vector` takes AVX2 (the
    /// tests run both and compare them with `nextNormal()`).
    mutating func fillNormals(_ out: UnsafeMutablePointer<Double>, count: Int, vector: Bool) {
        precondition(count >= 0, "count must be non-negative")
        precondition(!vector || Ziggurat.vectorFill, "this CPU has no AVX2")
        var bits = UnsafeMutableRawPointer(out).bindMemory(to: UInt64.self, capacity: count)
        var n = count
        while n > 0 {
            fillBits(bits, count: n)
            var w = 0
            var r = 0
            while true {
                restake_ziggurat_fill(bits, n, &w, &r, Ziggurat.table, Ziggurat.pairs,
                                      vector ? 1 : 0)
                if w == n || r >= n { break }
                // The draw at r needs values past the buffer: redo it through the source,
                // which reads the same value first, then the stream.
                var source = PrefetchedBits(bits, count: n, then: self)
                source.next = r
                bits[w] = source.zigguratNormal().bitPattern
                w &+= 1
                r = source.next
                self = source.stream
            }
            bits += w
            n &-= w
        }
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

/// A stream whose next values were already drawn into a buffer: it serves those, then goes on
/// with the stream itself, so it gives exactly the stream's sequence.
@usableFromInline
struct PrefetchedBits: RandomSource {
    @usableFromInline let bits: UnsafePointer<UInt64>
    /// Index of the next unread buffered value.
    @usableFromInline var next: Int
    @usableFromInline let end: Int
    /// The stream, standing just after the buffered values.
    @usableFromInline var stream: RandomStream

    @inlinable
    init(_ bits: UnsafeMutablePointer<UInt64>, count: Int, then stream: RandomStream) {
        self.bits = UnsafePointer(bits)
        next = 0
        end = count
        self.stream = stream
    }

    @inlinable
    mutating func nextUInt64() -> UInt64 {
        guard next < end else { return stream.nextUInt64() }
        let value = bits[next]
        next &+= 1
        return value
    }

    @inlinable
    mutating func nextUniform() -> Double { UniformBits.open01(nextUInt64()) }

    @inlinable
    mutating func nextNormal() -> Double { zigguratNormal() }
}
