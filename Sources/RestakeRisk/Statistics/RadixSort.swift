/// A stable LSD radix sort of doubles: the same result as a stable comparison sort, in a few
/// linear passes.
///
/// Every statistic of a run reads columns sorted once, and the fan's pilot sorts hundreds of
/// pilot samples; a comparison sort there costs `N log N` mispredicted branches, this costs one
/// counting pass and at most six scatter passes of 11-bit digits (passes whose digit is the same
/// for every value, common for the exponent bits of values near 1, are skipped).
enum RadixSort {
    static let digitBits = 11
    static let digitCount = 6
    static let buckets = 1 << digitBits

    /// The order-preserving unsigned image of a double: `a < b` iff `key(a) < key(b)`, and
    /// `-0.0` maps to the key of `+0.0` so that the two zeros keep their input order, as a stable
    /// comparison sort (which sees them equal) keeps it.
    @inline(__always)
    static func key(_ x: Double) -> UInt64 {
        let bits = (x == 0 ? 0.0 : x).bitPattern
        return bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
    }

    /// The values sorted ascending; they must not be NaN.
    static func sorted(_ values: UnsafeBufferPointer<Double>) -> [Double] {
        let n = values.count
        if n < 2 { return Array(values) }
        var histogram = [Int](repeating: 0, count: digitCount * buckets)
        histogram.withUnsafeMutableBufferPointer { h in
            for x in values {
                assert(!x.isNaN, "NaN in a sorted column")
                var k = key(x)
                for d in 0..<digitCount {
                    h[d &* buckets &+ Int(k & UInt64(buckets &- 1))] &+= 1
                    k >>= UInt64(digitBits)
                }
            }
        }
        var source = Array(values)
        var target = [Double](repeating: 0, count: n)
        for d in 0..<digitCount {
            let shift = UInt64(d * digitBits)
            let isTrivial = histogram.withUnsafeBufferPointer { h in
                (0..<buckets).contains { h[d * buckets + $0] == n }
            }
            if isTrivial { continue }
            histogram.withUnsafeMutableBufferPointer { h in
                // Bucket counts become each bucket's first output position.
                var position = 0
                for b in 0..<buckets {
                    let c = h[d &* buckets &+ b]
                    h[d &* buckets &+ b] = position
                    position &+= c
                }
                source.withUnsafeBufferPointer { src in
                    target.withUnsafeMutableBufferPointer { dst in
                        let offsets = h.baseAddress! + d &* buckets
                        for x in src {
                            let b = Int((key(x) >> shift) & UInt64(buckets &- 1))
                            dst[offsets[b]] = x
                            offsets[b] &+= 1
                        }
                    }
                }
            }
            swap(&source, &target)
        }
        return source
    }

    /// The values sorted ascending; they must not be NaN.
    static func sorted(_ values: [Double]) -> [Double] {
        values.withUnsafeBufferPointer { sorted($0) }
    }
}
