import Dispatch
import Testing
@testable import RestakeRisk

@Suite("CholeskyFactor")
struct CholeskyFactorTests {
    /// Checks the block product against the per-path product for every path.
    func checkBlockMatchesPerPath(_ f: CholeskyFactor, paths: Int, seed: UInt64) {
        let k = f.dimension
        var rng = TestRandom(state: seed)
        let e = (0..<(paths * k)).map { _ in rng.symmetricUnit() * 3 }
        var block = e
        var scratch = [Double](repeating: .nan, count: paths * k)
        block.withUnsafeMutableBufferPointer { b in
            scratch.withUnsafeMutableBufferPointer { s in
                f.apply(factorMajor: b.baseAddress!, paths: paths, scratch: s.baseAddress!)
            }
        }
        let rows = f.matrix
        var worst = 0.0
        var worstAgainstRows = 0.0
        var ePath = [Double](repeating: 0, count: k)
        var zPath = [Double](repeating: 0, count: k)
        for p in 0..<paths {
            for j in 0..<k { ePath[j] = e[j * paths + p] }
            ePath.withUnsafeBufferPointer { ep in
                zPath.withUnsafeMutableBufferPointer { zp in
                    f.apply(vector: ep.baseAddress!, into: zp.baseAddress!)
                }
            }
            for i in 0..<k {
                worst = max(worst, abs(block[i * paths + p] - zPath[i]))
                // An independent check that does not go through BLAS at all.
                var s = 0.0
                for j in 0..<k { s += rows[i][j] * ePath[j] }
                worstAgainstRows = max(worstAgainstRows, abs(block[i * paths + p] - s))
            }
        }
        #expect(worst <= 1e-13, "k=\(k) paths=\(paths): block vs per-path differ by \(worst)")
        #expect(worstAgainstRows <= 1e-13, "k=\(k) paths=\(paths): block vs F e differ by \(worstAgainstRows)")
    }

    @Test(arguments: [1, 3, 8, 16])
    func positiveDefiniteFactor(k: Int) throws {
        let c = randomCorrelation(dimension: k, rank: k + 2, seed: UInt64(100 + k))
        let f = try CholeskyFactor(c)
        #expect(!f.isPivoted)
        #expect(f.rank == k)
        #expect(f.dimension == k)
        let error = maxAbsDifference(f.reconstructed(), c)
        #expect(error <= 1e-14, "L L^T differs from C by \(error)")
        let rows = f.matrix
        for i in 0..<k {
            #expect(rows[i][i] > 0)
            for j in (i + 1)..<k { #expect(rows[i][j] == 0, "upper entry (\(i), \(j)) = \(rows[i][j])") }
        }
        // The stored factor itself must have a zero strict upper triangle (dpotrf leaves C there).
        for j in 0..<k {
            for i in 0..<j { #expect(f.lower[i + j * k] == 0) }
        }
    }

    @Test(arguments: [1, 3, 8, 16])
    func blockApplyMatchesPerPath(k: Int) throws {
        let f = try CholeskyFactor(randomCorrelation(dimension: k, rank: k + 2, seed: UInt64(200 + k)))
        for paths in [1, 7, 13, 1003] {
            checkBlockMatchesPerPath(f, paths: paths, seed: UInt64(k * 1000 + paths))
        }
    }

    @Test func identityLeavesDrawsUnchanged() throws {
        let f = try CholeskyFactor(.identity(names: ["a", "b", "c"]))
        var block = (0..<15).map(Double.init)
        var scratch = [Double](repeating: 0, count: 15)
        let before = block
        f.apply(factorMajor: &block, paths: 5, scratch: &scratch)
        #expect(block == before)
    }

    @Test func twoByTwoKnownFactor() throws {
        let rho = 0.6
        let f = try CholeskyFactor(CorrelationMatrix(matrix: [[1, rho], [rho, 1]], names: ["a", "b"]))
        let rows = f.matrix
        #expect(rows[0] == [1, 0])
        #expect(abs(rows[1][0] - rho) < 1e-15)
        #expect(abs(rows[1][1] - (1 - rho * rho).squareRoot()) < 1e-15)
    }

    @Test func rejectsInvalidMatrix() {
        let c = CorrelationMatrix(matrix: [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]], names: ["ETH", "bridge", "LST"])
        #expect(throws: CorrelationError.self) { try CholeskyFactor(c) }
        do {
            _ = try CholeskyFactor(c)
        } catch {
            guard case .notPositiveSemidefinite = error else {
                Issue.record("expected notPositiveSemidefinite, got \(error)")
                return
            }
        }
    }

    @Test func semidefiniteTwoByTwo() throws {
        let c = CorrelationMatrix(matrix: [[1, 1], [1, 1]], names: ["a", "b"])
        let f = try CholeskyFactor(c)
        #expect(f.isPivoted)
        #expect(f.rank == 1)
        #expect(maxAbsDifference(f.reconstructed(), c) <= 1e-14)
        // Perfectly correlated: both factors get the same draw.
        var block: [Double] = [0.5, -1.5, 2.0, 9, 9, 9]
        var scratch = [Double](repeating: 0, count: 6)
        f.apply(factorMajor: &block, paths: 3, scratch: &scratch)
        #expect(Array(block[0..<3]) == Array(block[3..<6]))
        #expect(Array(block[0..<3]) == [0.5, -1.5, 2.0] || Array(block[0..<3]) == [9, 9, 9])
        checkBlockMatchesPerPath(f, paths: 11, seed: 5)
    }

    @Test func semidefiniteOneFactorModel() throws {
        // Two factors with loading 1 are the same variable: rank 2 of 4.
        let c = CorrelationMatrix(loadings: [0.3, 1.0, 1.0, 0.0], names: ["ETH", "bridge", "LST", "AVS"])
        let f = try CholeskyFactor(c)
        #expect(f.isPivoted)
        #expect(f.rank == 3)
        #expect(maxAbsDifference(f.reconstructed(), c) <= 1e-14)
        for paths in [1, 9, 257] {
            checkBlockMatchesPerPath(f, paths: paths, seed: UInt64(paths))
        }
        var rng = TestRandom(state: 42)
        let paths = 33
        var block = (0..<(paths * 4)).map { _ in rng.symmetricUnit() }
        var scratch = [Double](repeating: 0, count: paths * 4)
        f.apply(factorMajor: &block, paths: paths, scratch: &scratch)
        for p in 0..<paths {
            #expect(abs(block[1 * paths + p] - block[2 * paths + p]) <= 1e-14)
        }
    }

    @Test(arguments: [(3, 2), (6, 4), (8, 5), (16, 6)])
    func semidefiniteLowRank(k: Int, r: Int) throws {
        let c = randomCorrelation(dimension: k, rank: r, seed: 400)
        let f = try CholeskyFactor(c)
        #expect(f.isPivoted)
        #expect(f.rank == r)
        #expect(maxAbsDifference(f.reconstructed(), c) <= 1e-12)
        // Columns beyond the rank held dpstrf's unfactored Schur complement: they must be zero.
        for j in f.rank..<k {
            for i in 0..<k { #expect(f.lower[i + j * k] == 0, "L[\(i), \(j)] = \(f.lower[i + j * k])") }
        }
        for j in 0..<k {
            for i in 0..<j { #expect(f.lower[i + j * k] == 0) }
        }
        checkBlockMatchesPerPath(f, paths: 77, seed: UInt64(k))
    }

    /// A pivot order that is its own inverse would hide a permutation applied backwards.
    @Test func pivotedCaseWithACyclicPermutation() throws {
        let f = try CholeskyFactor(randomCorrelation(dimension: 8, rank: 5, seed: 400))
        let k = f.dimension
        #expect(!(0..<k).allSatisfy { f.permutation[f.permutation[$0]] == $0 })
        for paths in [1, 8, 100] {
            checkBlockMatchesPerPath(f, paths: paths, seed: UInt64(paths))
        }
    }

    /// The engine calls `apply` from several Dispatch workers at once, each on its own block.
    @Test(arguments: [false, true])
    func concurrentApplyMatchesSerial(semidefinite: Bool) throws {
        let k = 16, paths = 1000, blocks = 8
        let c = semidefinite
            ? randomCorrelation(dimension: k, rank: 3, seed: 9)
            : randomCorrelation(dimension: k, rank: k + 2, seed: 9)
        let f = try CholeskyFactor(c)
        #expect(f.isPivoted == semidefinite)
        var rng = TestRandom(state: 11)
        let input = (0..<(blocks * paths * k)).map { _ in rng.symmetricUnit() }
        var serial = input
        var serialScratch = [Double](repeating: 0, count: paths * k)
        serial.withUnsafeMutableBufferPointer { p in
            serialScratch.withUnsafeMutableBufferPointer { s in
                for b in 0..<blocks {
                    f.apply(factorMajor: p.baseAddress! + b * paths * k, paths: paths, scratch: s.baseAddress!)
                }
            }
        }
        let parallel = UnsafeMutableBufferPointer<Double>.allocate(capacity: input.count)
        defer { parallel.deallocate() }
        _ = parallel.initialize(from: input)
        let scratch = UnsafeMutableBufferPointer<Double>.allocate(capacity: input.count)
        defer { scratch.deallocate() }
        scratch.initialize(repeating: 0)
        nonisolated(unsafe) let blockBase = parallel.baseAddress!
        nonisolated(unsafe) let scratchBase = scratch.baseAddress!
        DispatchQueue.concurrentPerform(iterations: blocks) { b in
            f.apply(factorMajor: blockBase + b * paths * k, paths: paths, scratch: scratchBase + b * paths * k)
        }
        var worst = 0.0
        for t in 0..<input.count { worst = max(worst, abs(parallel[t] - serial[t])) }
        #expect(worst <= 1e-13)
        #expect(serial != input)
    }
}
