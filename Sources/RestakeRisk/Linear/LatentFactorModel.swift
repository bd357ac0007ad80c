/// The latent-factor correlation model: `z_i = sum_f b_if g_f + D_i e_i`, `D_i = sqrt(1 - sum_f b_if^2)`.
///
/// k declared factors load on d latent ones (MODEL.md v2, Correlation `latent`), so that
/// `C_ij = sum_f b_if b_jf` off the diagonal and 1 on it. Sampling costs O(k d) per path
/// (one `dgemm` per block and step) instead of the O(k^2) of a full Cholesky factor, and C
/// is positive semidefinite by construction. `systemic` is the case d = 1.
public struct LatentFactorModel: Sendable {
    /// k, the number of declared factors.
    public let dimension: Int
    /// d, the number of latent factors.
    public let latentCount: Int
    /// Declared factor names, in factor order.
    public let names: [String]
    /// Latent factor names, in latent order.
    public let latentNames: [String]
    /// B, row-major k x d: `loadings[i * d + f] = b_if`.
    internal let loadings: [Double]
    /// D_i, the idiosyncratic scale of each declared factor.
    internal let idiosyncratic: [Double]

    /// Sums of squared loadings may exceed 1 by this much (rounding of loadings typed in a file).
    public static let sumTolerance = 1e-12

    /// Builds the model from loadings `rows[i][f] = b_if` (k rows of d values).
    ///
    /// Throws if a loading is not finite or a factor's `sum_f b_if^2` exceeds 1.
    public init(loadings rows: [[Double]], names: [String], latentNames: [String]) throws(LatentFactorError) {
        precondition(rows.count == names.count, "LatentFactorModel: one loading row per factor name")
        precondition(rows.allSatisfy { $0.count == latentNames.count }, "LatentFactorModel: one loading per latent factor in every row")
        precondition(!rows.isEmpty, "LatentFactorModel: no factors")
        let k = rows.count, d = latentNames.count
        var flat = [Double](repeating: 0, count: k * d)
        var scales = [Double](repeating: 1, count: k)
        for i in 0..<k {
            var sum = 0.0
            for f in 0..<d {
                let b = rows[i][f]
                guard b.isFinite else { throw .nonFinite(factor: names[i], latent: latentNames[f]) }
                flat[i * d + f] = b
                sum += b * b
            }
            guard sum <= 1 + Self.sumTolerance else { throw .loadingsExceedOne(factor: names[i], sumOfSquares: sum) }
            scales[i] = max(0, 1 - sum).squareRoot()
        }
        dimension = k
        latentCount = d
        self.names = names
        self.latentNames = latentNames
        loadings = flat
        idiosyncratic = scales
    }

    /// The one-factor (`systemic`) model: `b_i` on a single latent factor.
    public init(systemic loadings: [Double], names: [String], latentName: String = "systemic") throws(LatentFactorError) {
        try self.init(loadings: loadings.map { [$0] }, names: names, latentNames: [latentName])
    }

    /// `b_if`.
    public func loading(factor i: Int, latent f: Int) -> Double {
        loadings[i * latentCount + f]
    }

    /// `D_i = sqrt(1 - sum_f b_if^2)`.
    public func idiosyncraticScale(factor i: Int) -> Double {
        idiosyncratic[i]
    }

    /// The correlation the model implies: `sum_f b_if b_jf` off the diagonal, 1 on it.
    public var impliedCorrelation: CorrelationMatrix {
        let k = dimension, d = latentCount
        var m = [Double](repeating: 0, count: k * k)
        for i in 0..<k {
            m[i * k + i] = 1
            for j in 0..<i {
                var s = 0.0
                for f in 0..<d { s += loadings[i * d + f] * loadings[j * d + f] }
                m[i * k + j] = s
                m[j * k + i] = s
            }
        }
        return CorrelationMatrix(rowMajor: m, dimension: k, names: names)
    }

    /// The smallest eigenvalue of the implied correlation (>= 0 up to rounding, by construction).
    ///
    /// An O(k^3) eigen-decomposition: for `validate` reports, not for the run.
    public var smallestEigenvalue: Double {
        impliedCorrelation.smallestEigenvalue
    }
}

/// Why loadings do not form a latent-factor model; each case names the declared factor.
public enum LatentFactorError: Error, Equatable, CustomStringConvertible {
    /// `sum_f b_if^2` of this factor exceeds 1.
    case loadingsExceedOne(factor: String, sumOfSquares: Double)
    /// A loading is NaN or infinite.
    case nonFinite(factor: String, latent: String)

    public var description: String {
        switch self {
        case let .loadingsExceedOne(factor, sum):
            return "latent loadings of \(factor) have a sum of squares \(sum) above 1"
        case let .nonFinite(factor, latent):
            return "latent loading of \(factor) on \(latent) is not a finite number"
        }
    }
}
