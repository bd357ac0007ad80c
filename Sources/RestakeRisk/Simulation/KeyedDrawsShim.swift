// TEMPORARY: replaced by Random/EventKey.swift (Philox-keyed) when the random branch lands.

public enum EventPurpose: UInt32, Sendable {
    case incidentSeverity = 1, vetoDraw, faultSeverity, depegSize, jumpOccurrence, jumpSize,
         baseSlashingEvent, baseSlashingSeverity, stress
}

public struct EventKey: Sendable {
    let mixed: UInt64
    public init(seed: UInt64, purpose: EventPurpose, entity: String) {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in entity.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        mixed = SplitMix64.mix(seed ^ SplitMix64.mix(h ^ UInt64(purpose.rawValue) << 56))
    }

    public static func fillUniforms(_ key: EventKey, firstPath: Int, count: Int, step: Int,
                                    into out: UnsafeMutablePointer<Double>) {
        for p in 0..<count {
            var s = KeyedStream(key: key, path: firstPath + p, step: step)
            out[p] = s.nextUniform()
        }
    }
}

public struct KeyedStream {
    var rng: RandomStream
    public init(key: EventKey, path: Int, step: Int) {
        rng = RandomStream(seed: key.mixed, stream: UInt64(path) << 32 | UInt64(step))
    }
    public mutating func nextUniform() -> Double { rng.nextUniform() }
    public mutating func nextNormal() -> Double { rng.nextNormal() }
    public mutating func nextBeta(_ a: Double, _ b: Double) -> Double { rng.nextBeta(a, b) }
}

/// TEMPORARY exact scalar `Phi^-1(F_nu(t))`; replaced by Random's tabulated `StudentToNormal`.
struct StudentToNormal: Sendable {
    let student: StudentT
    init(dof: Double) { student = StudentT(dof: dof) }
    func apply(_ t: UnsafePointer<Double>, into x: UnsafeMutablePointer<Double>, count: Int) {
        for p in 0..<count {
            let v = t[p]
            // Odd function: work from the lower tail so neither tail cancels.
            x[p] = v < 0 ? StandardNormal.quantile(student.cdf(v)) : -StandardNormal.quantile(student.cdf(-v))
        }
    }
}
