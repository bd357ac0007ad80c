import Testing
@testable import RestakeRisk

/// Prints generator throughput; asserts only on the numbers, never on time (machines differ).
@Suite struct RandomThroughputTests {
    static func nanosecondsPerValue(count: Int, repeats: Int, _ body: () -> Void) -> Double {
        body()  // warm up
        let clock = ContinuousClock()
        var best = Duration.seconds(1_000)
        for _ in 0..<repeats {
            best = min(best, clock.measure(body))
        }
        let c = best.components
        return (Double(c.seconds) * 1e9 + Double(c.attoseconds) * 1e-9) / Double(count)
    }

    @Test func printThroughput() {
        let n = 1 << 16  // 512 KiB: stays in L2, like the engine's blocks
        let out = UnsafeMutablePointer<Double>.allocate(capacity: n)
        defer { out.deallocate() }
        var s = RandomStream(seed: 1, stream: 2)
        var checksum = 0.0
        let normals = Self.nanosecondsPerValue(count: 64 * n, repeats: 5) {
            for _ in 0..<64 { s.fillNormals(out, count: n); checksum += out[n - 1] }
        }
        let uniforms = Self.nanosecondsPerValue(count: 64 * n, repeats: 5) {
            for _ in 0..<64 { s.fillUniforms(out, count: n); checksum += out[n - 1] }
        }
        var block: UInt64 = 0
        let philox = Self.nanosecondsPerValue(count: 16 * n, repeats: 5) {
            for _ in 0..<16 {
                Philox4x32.fillUniforms(out, count: n, key: SIMD2(7, 11), firstBlock: block)
                block &+= UInt64(n / 2)
                checksum += out[n - 1]
            }
        }
        print("[throughput] fillNormals \(normals) ns/normal; fillUniforms (xoshiro x8) \(uniforms) ns/value; Philox4x32-10 uniforms \(philox) ns/value")
        #expect(checksum.isFinite)
    }
}
