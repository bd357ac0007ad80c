internal import CRestakeKernels
import RealModule

/// The 1,024-layer ziggurat for the half normal density `f(x) = exp(-x^2/2)` (Marsaglia and
/// Tsang, 2000, with four times their finest table).
///
/// Layer `i` (0..<1024) is the rectangle `[0, x[i]) x [f[i], f[i+1])`, all of area `v`; layer 0
/// is the base strip, whose part beyond `r = x[1]` stands for the tail. `x[1024] = 0`,
/// `f[1024] = 1`. A candidate falls outside its rectangle with probability 0.43% (1.49% with
/// 256 layers), and only those take the slow path with its `exp`; the 16 KB of rows fit in a core's
/// 32 KB L1 cache.
@usableFromInline
enum Ziggurat {
    /// The number of layers.
    @usableFromInline static let layers = 1024
    /// A draw's 64 bits: the sign (bit 0), the layer (bits 1-10) and the abscissa (bits 12-63,
    /// 52 bits; bit 11 is unused). The layer's bits, masked in place, are its row's byte
    /// offset in `pairs` over 8, which the kernel's scaled addressing takes as is.
    @usableFromInline static let layerShift: UInt64 = 1
    @usableFromInline static let layerMask: UInt64 = 0x3FF
    /// Right edge of the last full layer, the start of the tail: the root of `x[1023]` closing
    /// at the mode, solved to 40 digits (mpmath).
    @usableFromInline static let r: Double = 4.0388498461095045
    /// Common area of every layer (base strip plus tail): `r f(r) + sqrt(pi/2) erfc(r/sqrt 2)`.
    @usableFromInline static let v: Double = 0.0012263246463530881

    /// `x[0...1024]` then `f[0...1024]`, computed once and never freed.
    ///
    /// A raw pointer, not an array, so the hot loop reads it without bounds checks or retains.
    @usableFromInline nonisolated(unsafe) static let table: UnsafePointer<Double> = {
        let n = layers
        let p = UnsafeMutablePointer<Double>.allocate(capacity: 2 * (n + 1))
        let x = p, f = p + n + 1
        let fr = Double.exp(-0.5 * r * r)
        x[0] = v / fr
        x[1] = r
        for i in 1..<(n - 1) {
            let xi = x[i]
            x[i + 1] = (-2 * Double.log(v / xi + Double.exp(-0.5 * xi * xi))).squareRoot()
        }
        x[n] = 0
        for i in 0...n {
            f[i] = Double.exp(-0.5 * x[i] * x[i])
        }
        // The base strip's height is f(r): its abscissa x[0] = v/f(r) is no point of the curve.
        f[0] = fr
        return UnsafePointer(p)
    }()

    /// `f[0...1024]`: the heights of the layers' edges.
    @usableFromInline static var heights: UnsafePointer<Double> { table + layers + 1 }

    /// The rows `(x[i], x[i + 1])` for `i` in `0..<1024`, for the kernel's 16-byte loads.
    nonisolated(unsafe) static let pairs: UnsafePointer<Double> = {
        let p = UnsafeMutablePointer<Double>.allocate(capacity: 2 * layers)
        for i in 0..<layers {
            p[2 * i] = table[i]
            p[2 * i + 1] = table[i + 1]
        }
        return UnsafePointer(p)
    }()

    /// Whether `RandomStream.fillNormals` takes the kernel's AVX2 path on this CPU.
    static let vectorFill: Bool = restake_has_avx2() != 0
}
