import RealModule

extension RandomSource {
    /// Returns a standard normal variate by the 1,024-layer ziggurat, one 64-bit value per
    /// accepted rectangle draw (sign bit 0, layer bits 1-10, abscissa bits 12-63).
    @inlinable
    public mutating func zigguratNormal() -> Double {
        let bits = nextUInt64()
        let i = Ziggurat.layer(bits)
        let z = Ziggurat.candidate(bits)
        if z < Ziggurat.table[i &+ 1] {
            return Ziggurat.signed(z, bits)
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
        let f = Ziggurat.heights
        var bits = bits
        var i = layer
        var z = candidate
        while true {
            let negative = bits & 1 != 0
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
            i = Ziggurat.layer(bits)
            z = Ziggurat.candidate(bits)
            if z < t[i &+ 1] {
                return Ziggurat.signed(z, bits)
            }
        }
    }
}

extension Ziggurat {
    /// The layer a draw's bits pick.
    @inlinable @inline(__always)
    static func layer(_ bits: UInt64) -> Int {
        Int(truncatingIfNeeded: (bits &>> layerShift) & layerMask)
    }

    /// The candidate abscissa of a draw: 52 bits as a uniform in [0, 1), times its layer's width
    /// (one rounding, as the kernel's `fma(1 + u, x, -x)`).
    @inlinable @inline(__always)
    static func candidate(_ bits: UInt64) -> Double {
        (Double(bits &>> 12) * 0x1p-52) * table[layer(bits)]
    }

    /// `z` (non-negative) with the draw's sign.
    @inlinable @inline(__always)
    static func signed(_ z: Double, _ bits: UInt64) -> Double {
        Double(bitPattern: z.bitPattern | (bits &<< 63))
    }
}
