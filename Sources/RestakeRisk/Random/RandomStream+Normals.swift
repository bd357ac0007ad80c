import RealModule

extension RandomStream {
    /// Returns a standard normal variate (256-layer ziggurat).
    @inlinable
    public mutating func nextNormal() -> Double {
        let t = Ziggurat.table
        let bits = nextUInt64()
        let i = Int(truncatingIfNeeded: bits & 0xFF)
        let z = UniformBits.closedOpen01(bits) * t[i]
        if z < t[i &+ 1] {
            return Double(bitPattern: z.bitPattern | ((bits & 0x100) &<< 55))
        }
        return normalSlowPath(bits: bits, layer: i, candidate: z)
    }

    /// Fills `out[0..<count]` with standard normal variates: the engine's hot path.
    ///
    /// One 64-bit value gives the layer (bits 0-7), the sign (bit 8) and the abscissa (bits
    /// 11-63), so the ~99% of candidates inside their rectangle cost one value and two table
    /// reads. Same sequence as `count` calls of `nextNormal()`.
    @inlinable
    public mutating func fillNormals(_ out: UnsafeMutablePointer<Double>, count: Int) {
        precondition(count >= 0, "count must be non-negative")
        let t = Ziggurat.table
        var k = 0
        while k < count {
            if used == 8 {
                buffer = engine.next()
                used = 0
            }
            let bits = buffer[used]
            used &+= 1
            let i = Int(truncatingIfNeeded: bits & 0xFF)
            let z = UniformBits.closedOpen01(bits) * t[i]
            if z < t[i &+ 1] {
                out[k] = Double(bitPattern: z.bitPattern | ((bits & 0x100) &<< 55))
            } else {
                out[k] = normalSlowPath(bits: bits, layer: i, candidate: z)
            }
            k &+= 1
        }
    }

    /// Finishes a draw whose candidate `z` fell outside its layer's inner rectangle.
    ///
    /// The tail or wedge test is run on this same candidate, and only a rejection starts a
    /// whole new draw: replacing the candidate instead biases the result (variance 0.992).
    @usableFromInline
    mutating func normalSlowPath(bits: UInt64, layer: Int, candidate: Double) -> Double {
        let t = Ziggurat.table
        let f = t + 257
        var bits = bits
        var i = layer
        var z = candidate
        while true {
            let negative = bits & 0x100 != 0
            if i == 0 {
                // Tail beyond r, Marsaglia's exponential method.
                let r = Ziggurat.r
                var a: Double, b: Double
                repeat {
                    a = -Double.log(nextUniform()) / r
                    b = -Double.log(nextUniform())
                } while b + b <= a * a
                return negative ? -(r + a) : r + a
            }
            let y = f[i] + nextUniform() * (f[i &+ 1] - f[i])
            if y < Double.exp(-0.5 * z * z) {
                return negative ? -z : z
            }
            // Rejected: a complete fresh draw, which may itself land in a rectangle.
            bits = nextUInt64()
            i = Int(truncatingIfNeeded: bits & 0xFF)
            z = UniformBits.closedOpen01(bits) * t[i]
            if z < t[i &+ 1] {
                return Double(bitPattern: z.bitPattern | ((bits & 0x100) &<< 55))
            }
        }
    }
}
