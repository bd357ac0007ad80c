import Foundation
import RestakeRisk

/// Small limits keep each input cheap; the limits themselves are what is under test.
private let limits = LoadLimits(maxFileBytes: 1 << 20, maxNodes: 200_000, maxDepth: 64)

/// One input: the bytes of a scenario file. A line `#set PATH=VALUE` at the start also tries
/// that override, so the override parser and its node edits are fuzzed on the same documents.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenario(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let document = try? ScenarioDocument(bytes: bytes, limits: limits) else { return 0 }
    var overrides: [ScenarioOverride] = []
    if document.text.hasPrefix("#set "), let line = document.text.split(separator: "\n").first,
       let o = try? ScenarioOverride(parsing: String(line.dropFirst(5))) {
        overrides.append(o)
    }
    if let scenario = try? document.scenario(overrides: overrides) {
        // Every derived quantity a later stage reads must be computable without a trap.
        _ = scenario.totalSteps
        _ = scenario.correlationMatrix()
        try? scenario.validate()
    }
    return 0
}

/// SwiftPM renames an executable's `main`, so libFuzzer's own `main` is never the entry point:
/// the driver is started from here instead.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
    guard let data else { return 0 }
    return fuzzScenario(data, size)
})
