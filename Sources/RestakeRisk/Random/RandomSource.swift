/// A source of random bits, uniforms and normals: what the Gamma, Beta and chi-squared draws need.
///
/// Both the bulk xoshiro `RandomStream` and the counter-based `KeyedStream` conform, so one
/// Marsaglia-Tsang implementation serves both (generic code is specialised per stream type).
public protocol RandomSource {
    /// Returns the next 64 random bits.
    mutating func nextUInt64() -> UInt64
    /// Returns a uniform strictly inside (0, 1).
    mutating func nextUniform() -> Double
    /// Returns a standard normal variate.
    mutating func nextNormal() -> Double
}

extension RandomStream: RandomSource {}
