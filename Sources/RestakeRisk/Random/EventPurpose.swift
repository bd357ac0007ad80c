/// What an event draw is for: one axis of the key that makes draws independent of code order.
///
/// The raw values enter every keyed draw (MODEL.md v2, Reproducibility), so they must never
/// change and a retired case's value must never be reused: changing one re-draws every result
/// that depends on it. Append new cases with new values.
public enum EventPurpose: UInt32, Sendable, CaseIterable {
    case incidentSeverity = 1
    case vetoDraw = 2
    case faultSeverity = 3
    case depegSize = 4
    case jumpOccurrence = 5
    case jumpSize = 6
    case baseSlashingEvent = 7
    case baseSlashingSeverity = 8
    case stress = 9
    case faultOccurrence = 10
    case depegOccurrence = 11
}
