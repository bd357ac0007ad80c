internal import CRestakeKernels
import RealModule

/// The 256-layer ziggurat for the half normal density `f(x) = exp(-x^2/2)` (Marsaglia and Tsang, 2000).
///
/// Layer `i` (0...255) is the rectangle `[0, x[i]) x [f[i], f[i+1])`, all of area `v`; layer 0
/// is the base strip, whose part beyond `r = x[1]` stands for the tail. `x[256] = 0`, `f[256] = 1`.
@usableFromInline
enum Ziggurat {
    /// Right edge of the last full layer, the start of the tail (Marsaglia and Tsang's 256-layer `r`).
    @usableFromInline static let r: Double = 3.6541528853610088
    /// Common area of every layer (base strip plus tail included).
    @usableFromInline static let v: Double = 0.00492867323399

    /// `x[0...256]` then `f[0...256]`, computed once and never freed.
    ///
    /// A raw pointer, not an array, so the hot loop reads it without bounds checks or retains.
    @usableFromInline nonisolated(unsafe) static let table: UnsafePointer<Double> = {
        let p = UnsafeMutablePointer<Double>.allocate(capacity: 2 * 257)
        let x = p, f = p + 257
        let fr = Double.exp(-0.5 * r * r)
        x[0] = v / fr
        x[1] = r
        for i in 1..<255 {
            let xi = x[i]
            x[i + 1] = (-2 * Double.log(v / xi + Double.exp(-0.5 * xi * xi))).squareRoot()
        }
        x[256] = 0
        for i in 0...256 {
            f[i] = Double.exp(-0.5 * x[i] * x[i])
        }
        // The base strip's height is f(r): its abscissa x[0] = v/f(r) is no point of the curve.
        f[0] = fr
        return UnsafePointer(p)
    }()

    /// The rows `(x[i], x[i + 1])` for `i` in `0..<256`, for the kernel's 16-byte loads.
    nonisolated(unsafe) static let pairs: UnsafePointer<Double> = {
        let p = UnsafeMutablePointer<Double>.allocate(capacity: 2 * 256)
        for i in 0..<256 {
            p[2 * i] = table[i]
            p[2 * i + 1] = table[i + 1]
        }
        return UnsafePointer(p)
    }()

    /// Whether `RandomStream.fillNormals` takes the kernel's AVX2 fast path on this CPU.
    static let vectorFill: Bool = restake_has_avx2() != 0
}
