import Testing
@testable import RestakeRisk

/// The fixed-point sum's buffer form against value-by-value adds, and its exactness.
@Suite struct FixedPointSumTests {
    static func oneByOne(_ values: [Double]) -> FixedPointSum {
        var s = FixedPointSum()
        for v in values { s.add(v) }
        return s
    }

    /// Equity-like values (the vector path), lengths that leave tails of 1-7 values and span
    /// several 1,024-value chunks, and chunks that take the scalar path: a negative value, one
    /// at 2^31 and one beyond the clamp at 2^60.
    @Test(arguments: [0, 1, 7, 8, 9, 1023, 1024, 1025, 4099])
    func bufferSumEqualsAddingOneByOne(count: Int) {
        var rng = TestRandom(state: UInt64(count) + 1)
        var values = (0..<count).map { _ in Double.pow(2, 6 * rng.symmetricUnit()) * (1 + rng.symmetricUnit()) }
        if count > 10 { values[count / 2] = 0; values[count / 3] = 0x1p31.nextDown; values[1] = 0.9999999999999999 }
        var outliers = values
        if count > 2000 { outliers[1500] = -3.25; outliers[2600] = 0x1p31; outliers[3000] = 1e300 }
        for sample in [values, outliers] {
            let buffer = sample.withUnsafeBufferPointer { FixedPointSum(summing: $0.baseAddress!, count: $0.count) }
            #expect(buffer == Self.oneByOne(sample), "count \(count)")
        }
    }

    /// The sum does not depend on the order or the split of its terms.
    @Test func orderAndSplitDoNotMatter() {
        var rng = TestRandom(state: 77)
        let values = (0..<3000).map { _ in 3 * (1 + rng.symmetricUnit()) }
        let whole = values.withUnsafeBufferPointer { FixedPointSum(summing: $0.baseAddress!, count: $0.count) }
        var parts = FixedPointSum()
        for range in [0..<17, 17..<1500, 1500..<3000] {
            let reversed = Array(values[range].reversed())
            parts.add(reversed.withUnsafeBufferPointer { FixedPointSum(summing: $0.baseAddress!, count: $0.count) })
        }
        #expect(parts == whole)
        // Each term is truncated to a multiple of 2^-52 (at most 3000 * 2^-52 in all); a float
        // sum of 3000 terms is off by at most 3000 of its ulps.
        let float = values.reduce(0, +)
        #expect(abs(whole.value - float) <= 3000 * 0x1p-52 + 3000 * float.ulp)
    }
}
