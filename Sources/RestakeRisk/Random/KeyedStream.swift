/// The unlimited sequence of draws of one (seed, purpose, entity) at one (path, step).
///
/// Counter-based: draw block n of the sequence is Philox4x32-10 at counter
/// `(n, step, low32(path), high32(path))` under the key's Philox key, and each block gives two
/// 64-bit words in order. Creating a stream is a few register moves, so the kernel makes one
/// wherever an event needs a draw; no state carries from path to path or step to step.
public struct KeyedStream: Sendable, RandomSource {
    @usableFromInline let key: SIMD2<UInt32>
    @usableFromInline let step: UInt32
    @usableFromInline let pathLow: UInt32
    @usableFromInline let pathHigh: UInt32
    /// The next block to compute.
    @usableFromInline var block: UInt32 = 0
    /// The block's second word, served before the next block is computed.
    @usableFromInline var spare: UInt64 = 0
    @usableFromInline var hasSpare = false

    /// Creates the stream of `key` for `path` (>= 0) at `step` (0 ..< 2^32).
    @inlinable
    public init(_ key: EventKey, path: Int, step: Int) {
        precondition(path >= 0 && step >= 0 && step <= Int(UInt32.max), "KeyedStream: path or step out of range")
        self.key = key.philoxKey
        self.step = UInt32(truncatingIfNeeded: step)
        pathLow = UInt32(truncatingIfNeeded: path)
        pathHigh = UInt32(truncatingIfNeeded: UInt64(path) &>> 32)
    }

    /// Returns the next 64 random bits.
    @inlinable
    public mutating func nextUInt64() -> UInt64 {
        if hasSpare {
            hasSpare = false
            return spare
        }
        let out = Philox4x32.block(counter: SIMD4(block, step, pathLow, pathHigh), key: key)
        block &+= 1
        spare = UInt64(out[2]) | (UInt64(out[3]) &<< 32)
        hasSpare = true
        return UInt64(out[0]) | (UInt64(out[1]) &<< 32)
    }

    /// Returns a uniform strictly inside (0, 1) (`UniformBits.open01`: 52 bits plus one half).
    @inlinable
    public mutating func nextUniform() -> Double {
        UniformBits.open01(nextUInt64())
    }

    /// Returns a standard normal variate (the same ziggurat as `RandomStream`).
    @inlinable
    public mutating func nextNormal() -> Double {
        zigguratNormal()
    }

    /// Returns `true` with probability `p`: the first uniform of the stream below `p`.
    ///
    /// The same comparison as `fillUniforms` followed by `u < p`, so the kernel may use either.
    @inlinable
    public mutating func nextBernoulli(_ p: Double) -> Bool {
        nextUniform() < p
    }
}
