import RealModule

extension RandomStream {
    /// Returns a standard normal variate (the shared 256-layer ziggurat of `RandomSource`).
    @inlinable
    public mutating func nextNormal() -> Double { zigguratNormal() }

    /// Fills `out[0..<count]` with standard normal variates: the engine's hot path.
    ///
    /// One 64-bit value gives the layer (bits 0-7), the sign (bit 8) and the abscissa (bits
    /// 11-63), so the ~99% of candidates inside their rectangle cost one value and two table
    /// reads. Same sequence as `count` calls of `nextNormal()`.
    @inlinable
    public mutating func fillNormals(_ out: UnsafeMutablePointer<Double>, count: Int) {
        precondition(count >= 0, "count must be non-negative")
        let t = Ziggurat.table
        // Local copies keep the generator state in registers; they go back to `self` around
        // the rare slow path, which draws from the same buffer.
        var eng = engine
        var buf = buffer
        var next = used
        var k = 0
        while k < count {
            if next == 8 && count &- k >= 8 {
                // A whole block: convert all eight abscissae and signs in SIMD, then only the
                // table lookups are per lane.
                let block = eng.next()
                let u = UniformBits.exact(block &>> 11) * 0x1p-53
                let signs = (block & 0x100) &<< 55
                for j in 0..<8 {
                    let i = Int(truncatingIfNeeded: block[j] & 0xFF)
                    let z = u[j] * t[i]
                    if z < t[i &+ 1] {
                        out[k] = Double(bitPattern: z.bitPattern | signs[j])
                        k &+= 1
                    } else {
                        // The slow path reads on from lane j + 1, so this block ends here.
                        engine = eng; buffer = block; used = j &+ 1
                        out[k] = zigguratSlowPath(bits: block[j], layer: i, candidate: z)
                        k &+= 1
                        eng = engine; buf = buffer; next = used
                        break
                    }
                }
                continue
            }
            if next == 8 {
                buf = eng.next()
                next = 0
            }
            let bits = buf[next]
            next &+= 1
            let i = Int(truncatingIfNeeded: bits & 0xFF)
            let z = UniformBits.closedOpen01(bits) * t[i]
            if z < t[i &+ 1] {
                out[k] = Double(bitPattern: z.bitPattern | ((bits & 0x100) &<< 55))
            } else {
                engine = eng; buffer = buf; used = next
                out[k] = zigguratSlowPath(bits: bits, layer: i, candidate: z)
                eng = engine; buf = buffer; next = used
            }
            k &+= 1
        }
        engine = eng; buffer = buf; used = next
    }
}
