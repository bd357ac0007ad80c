import RealModule

extension RandomStream {
    /// The largest integer dof drawn from products of uniforms; above it Marsaglia-Tsang is cheaper.
    public static let chiSquaredProductLimit = 20

    /// Fills `out[0..<count]` with chi-squared variates with `dof` degrees of freedom; exact in law.
    ///
    /// The Student-t copula's mixing draw, once per path and step. For integer `dof = 2h + o`
    /// (o = 0 or 1) up to `chiSquaredProductLimit`: `-2 log(U_1 ... U_h) + o Z^2`, since
    /// `-2 log U ~ chi2(2)` and `Z^2 ~ chi2(1)`; the logs run through `VectorMath.log`, the
    /// uniforms and normals through the bulk fills, so a value costs h uniforms, one vector
    /// log and (odd dof) one normal. Other dof use Marsaglia-Tsang. Values are drawn in chunks
    /// of 64 paths (the chunk's h uniforms, then its normals), so the sequence depends on
    /// `count`: the kernel always passes its block size.
    public mutating func fillChiSquared(_ out: UnsafeMutablePointer<Double>, count: Int, dof: Double) {
        precondition(count >= 0, "count must be non-negative")
        precondition(dof > 0 && dof.isFinite, "chi-squared dof must be positive and finite, got \(dof)")
        if dof == dof.rounded() && dof <= Double(Self.chiSquaredProductLimit) {
            fillChiSquaredInteger(out, count: count, dof: Int(dof))
            return
        }
        let shape = 0.5 * dof
        if shape >= 1 {
            let d = shape - 1.0 / 3.0
            let c = 1 / (9 * d).squareRoot()
            for k in 0..<count {
                out[k] = 2 * marsagliaTsang(d: d, c: c)
            }
        } else {
            for k in 0..<count {
                out[k] = 2 * Double.exp(logGammaVariate(shape: shape))
            }
        }
    }

    /// Integer dof: sums of -2 log U and one Z^2, chunk by chunk.
    mutating func fillChiSquaredInteger(_ out: UnsafeMutablePointer<Double>, count: Int, dof: Int) {
        assert(dof >= 1 && dof <= Self.chiSquaredProductLimit)
        let h = dof / 2
        let odd = dof % 2 == 1
        let chunk = 64
        withUnsafeTemporaryAllocation(of: Double.self, capacity: (h + 2) * chunk) { temp in
            let uniforms = temp.baseAddress!
            let product = uniforms + h * chunk
            let normals = product + chunk
            var done = 0
            while done < count {
                let c = min(chunk, count &- done)
                let o = out + done
                if h > 0 {
                    fillUniforms(uniforms, count: h * c)
                    product.update(from: uniforms, count: c)
                    for j in 1..<h {
                        let u = uniforms + j * c
                        for p in 0..<c { product[p] *= u[p] }
                    }
                    // At most 10 factors of at least 2^-53: the product stays a normal double.
                    VectorMath.log(product, into: product, count: c)
                    for p in 0..<c { o[p] = -2 * product[p] }
                } else {
                    o.update(repeating: 0, count: c)
                }
                if odd {
                    fillNormals(normals, count: c)
                    for p in 0..<c { o[p] = o[p].addingProduct(normals[p], normals[p]) }
                }
                done &+= c
            }
        }
    }
}
