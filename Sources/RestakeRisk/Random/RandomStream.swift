/// The engine's per-block random stream: its numbers depend only on `(seed, stream)`.
///
/// Eight xoshiro256++ generators run in SIMD lanes; each lane's 256-bit state is expanded by
/// SplitMix64 from a hash of `(seed, stream)`, so two streams of one seed share no state and a
/// stream can be recreated anywhere from its two numbers. Values are served from the current
/// block of eight lane outputs in lane order, so `fill*` gives exactly the sequence repeated
/// `next*` calls would. A stream is a value owned by one worker: no locks, no heap.
public struct RandomStream: Sendable {
    @usableFromInline var engine: Xoshiro256PlusPlusX8
    /// The current block of eight lane outputs.
    @usableFromInline var buffer: SIMD8<UInt64>
    /// Index of the next unused value in `buffer`; 8 means the block is spent.
    @usableFromInline var used: Int

    /// Creates stream `stream` of the family seeded by `seed`.
    public init(seed: UInt64, stream: UInt64) {
        // Two bijective mixes keep distinct streams of one seed on distinct SplitMix64 starts.
        let start = SplitMix64.mix(seed ^ 0x5EED_5EED_5EED_5EED) ^ SplitMix64.mix(stream &+ 0x6A09_E667_F3BC_C909)
        var sm = SplitMix64(seed: start)
        var s = (SIMD8<UInt64>(), SIMD8<UInt64>(), SIMD8<UInt64>(), SIMD8<UInt64>())
        for lane in 0..<8 {
            // Four consecutive SplitMix64 outputs are never all zero (it is a bijection).
            s.0[lane] = sm.next()
            s.1[lane] = sm.next()
            s.2[lane] = sm.next()
            s.3[lane] = sm.next()
        }
        engine = Xoshiro256PlusPlusX8(s0: s.0, s1: s.1, s2: s.2, s3: s.3)
        buffer = SIMD8()
        used = 8
    }

    /// Returns the next 64 random bits.
    @inlinable
    public mutating func nextUInt64() -> UInt64 {
        if used == 8 {
            buffer = engine.next()
            used = 0
        }
        let value = buffer[used]
        used &+= 1
        return value
    }

    /// Returns a uniform strictly inside (0, 1) with 52 random bits (never 0, never 1).
    @inlinable
    public mutating func nextUniform() -> Double {
        UniformBits.open01(nextUInt64())
    }

    /// Fills `out[0..<count]` with uniforms strictly inside (0, 1).
    @inlinable
    public mutating func fillUniforms(_ out: UnsafeMutablePointer<Double>, count: Int) {
        precondition(count >= 0, "count must be non-negative")
        var k = 0
        while k < count && used < 8 {
            out[k] = nextUniform()
            k &+= 1
        }
        // Whole blocks bypass the buffer; the order is still lane order, block after block.
        var eng = engine  // in registers for the bulk loop
        while count &- k >= 8 {
            let u = UniformBits.open01(eng.next())
            UnsafeMutableRawPointer(out + k).storeBytes(of: u, as: SIMD8<Double>.self)
            k &+= 8
        }
        engine = eng
        while k < count {
            out[k] = nextUniform()
            k &+= 1
        }
    }
}
