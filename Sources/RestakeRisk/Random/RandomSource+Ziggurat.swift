import RealModule

extension RandomSource {
    /// Returns a standard normal variate by the 256-layer ziggurat, one 64-bit value per
    /// accepted rectangle draw (layer bits 0-7, sign bit 8, abscissa bits 11-63).
    @inlinable
    public mutating func zigguratNormal() -> Double {
        let t = Ziggurat.table
        let bits = nextUInt64()
        let i = Int(truncatingIfNeeded: bits & 0xFF)
        let z = UniformBits.closedOpen01(bits) * t[i]
        if z < t[i &+ 1] {
            return Double(bitPattern: z.bitPattern | ((bits & 0x100) &<< 55))
        }
        return zigguratSlowPath(bits: bits, layer: i, candidate: z)
    }

    /// Finishes a draw whose candidate `z` fell outside its layer's inner rectangle.
    ///
    /// The tail or wedge test is run on this same candidate, and only a rejection starts a
    /// whole new draw: replacing the candidate instead biases the result (variance 0.992).
    @usableFromInline
    mutating func zigguratSlowPath(bits: UInt64, layer: Int, candidate: Double) -> Double {
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
