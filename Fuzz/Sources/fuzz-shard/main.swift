import Foundation
import RestakeRisk

/// A folder of this process's own: the shard reader opens `folder/shard.bin`.
private let folder: String = {
    let path = NSTemporaryDirectory() + "restake-fuzz-shard-\(getpid())"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}()

/// One input: the bytes of a shard file, read through the public reading API only.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzShard(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let url = URL(fileURLWithPath: folder).appendingPathComponent(ShardFile.fileName)
    guard (try? Data(bytes: data, count: size).write(to: url)) != nil else { return 0 }
    guard let reader = try? ShardReader(folder: folder) else { return 0 }
    // The embedded scenario goes through the same loader as a file.
    _ = try? Scenario(yaml: reader.header.scenarioText)
    for s in reader.header.strategies.indices {
        _ = try? reader.strategyPaths(s, sources: [])
        _ = try? reader.strategyPaths(s, sources: ["a", "base"])
    }
    _ = try? reader.fan(strategyCount: reader.header.strategies.count, timeCount: 2)
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
    return fuzzShard(data, size)
})
