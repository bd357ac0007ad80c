import Foundation
import Testing
@testable import RestakeRisk

/// The radix sort that every sorted column and the fan's pilot go through, and the distribution
/// bins read off sorted columns.
@Suite struct SortingTests {
    /// Bit for bit the same as the standard library's (stable) sort, on values of every kind a
    /// column can hold: negatives (losses of gains), both zeros, ties, subnormals, values far
    /// apart in exponent; and on sizes 0, 1, 2 and odd.
    @Test func radixSortMatchesTheStandardSort() {
        var sampler = TestSampler(seed: 99)
        let specials: [Double] = [0, -0.0, 1, 1, -1, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
                                  1e300, -1e300, 0x1p-1030, .greatestFiniteMagnitude, 1e-320]
        for n in [0, 1, 2, 3, 1000, 50_001] {
            var values: [Double] = []
            for i in 0..<n {
                switch i % 5 {
                case 0: values.append(specials[Int(sampler.bits.next() % UInt64(specials.count))])
                case 1: values.append(sampler.uniform() * 2 - 1)
                case 2: values.append(Double(Int(sampler.uniform() * 10)))   // many ties
                case 3: values.append(exp(sampler.uniform() * 1400 - 700))
                default: values.append(1 + sampler.uniform() * 1e-12)         // one exponent only
                }
            }
            let reference = values.sorted()
            let radix = RadixSort.sorted(values)
            #expect(radix.count == n)
            #expect(radix.elementsEqual(reference) { $0 == $1 }, "n = \(n): order differs")
            // Zeros of either sign keep their input order, as the stable sort keeps them.
            #expect(radix.map(\.bitPattern) == reference.map(\.bitPattern), "n = \(n): bits differ")
        }
        // Values that all share their high digits (the passes for those digits are skipped).
        let narrow = (0..<4096).map { 1.0 + Double(($0 * 7919) % 4096) * 0x1p-52 }
        #expect(RadixSort.sorted(narrow) == narrow.sorted())
    }

    /// Distribution bins from binary searches over the sorted column equal a per-value count
    /// (MODEL.md: 100 bins over [x_(ceil(0.001N)), x_(ceil(0.999N))], outer bins for the rest),
    /// and the central range of one value gets one bin.
    @Test func distributionBinsMatchACountOfEveryValue() {
        var sampler = TestSampler(seed: 7)
        let values = RadixSort.sorted((0..<20_000).map { i in
            i % 3 == 0 ? 1.0 : exp(3 * (sampler.uniform() - 0.5)) * (i % 7 == 0 ? 50 : 1)
        })
        let bins = DistributionBins(strategy: "s", metric: "terminal_wealth", sorted: values)
        let lo = EmpiricalQuantile.lower(0.001, sorted: values), hi = EmpiricalQuantile.lower(0.999, sorted: values)
        let width = (hi - lo) / 100
        var counts = [Int](repeating: 0, count: 100)
        var below = 0, above = 0
        for x in values {
            if x < lo { below += 1 } else if x > hi { above += 1 } else { counts[min(Int((x - lo) / width), 99)] += 1 }
        }
        #expect(below > 0 && above > 0)
        #expect(bins.counts == [below] + counts + [above])
        #expect(bins.counts.reduce(0, +) == values.count)
        #expect(bins.lower.first == values.first && bins.upper.last == values.last)

        // 99.9% of the values equal: one central bin, outer bins for the others.
        let point = RadixSort.sorted([Double](repeating: 2, count: 9990) + (-5..<0).map(Double.init) + (10..<15).map(Double.init))
        let one = DistributionBins(strategy: "s", metric: "loss", sorted: point)
        #expect(one.counts == [5, 9990, 5])
        #expect(one.densities[1] == nil && one.lower[1] == 2 && one.upper[1] == 2)
    }
}
