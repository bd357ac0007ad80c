/// The keys of every event draw of a run: one per (purpose, entity), built once from the seed.
///
/// MODEL.md v2, Reproducibility: an event draw depends on (seed, path, step, purpose, entity),
/// the entity named, never numbered, so adding, removing or reordering anything else leaves it
/// unchanged.
struct DrawKeys: Sendable {
    let severity: [EventKey]
    let veto: [EventKey]
    let fault: [EventKey]
    let depegSize: [EventKey]
    let jumpOccurrence: [EventKey]
    let jumpSize: [EventKey]
    /// Shared by every strategy: strategies with the same base-slashing law are slashed on the
    /// same paths by the same amounts.
    let baseEvent: EventKey
    let baseSeverity: EventKey

    init(model: CompiledModel, seed: UInt64) {
        severity = model.services.map { EventKey(seed: seed, purpose: .incidentSeverity, entity: $0.name) }
        veto = model.services.map { EventKey(seed: seed, purpose: .vetoDraw, entity: $0.name) }
        fault = model.operators.map { EventKey(seed: seed, purpose: .faultSeverity, entity: $0.name) }
        depegSize = model.tokens.map { EventKey(seed: seed, purpose: .depegSize, entity: $0.name) }
        jumpOccurrence = model.assets.map { EventKey(seed: seed, purpose: .jumpOccurrence, entity: $0.name) }
        jumpSize = model.assets.map { EventKey(seed: seed, purpose: .jumpSize, entity: $0.name) }
        baseEvent = EventKey(seed: seed, purpose: .baseSlashingEvent, entity: "base")
        baseSeverity = EventKey(seed: seed, purpose: .baseSlashingSeverity, entity: "base")
    }
}

extension CompiledModel.Severity {
    /// Draws one severity from the event's own keyed stream (a fixed severity draws nothing).
    @inline(__always)
    func draw(_ key: EventKey, path: Int, step: Int) -> Double {
        switch self {
        case .fixed(let s):
            return s
        case .beta(let a, let b):
            var stream = KeyedStream(key, path: path, step: step)
            return stream.nextBeta(a, b)
        }
    }
}
