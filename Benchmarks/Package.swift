// swift-tools-version: 6.1
// Benchmarks live in their own package so that `swift build` and `swift test` of the engine never
// compile the benchmark tool chain. Run: `swift package --package-path Benchmarks benchmark`.
import Foundation
import PackageDescription

// `RESTAKE_NATIVE=1` (set by `make bench`): the benchmarks, and the engine's inlinable kernels
// they specialise, compiled for this machine's CPU like the release build (see ../Package.swift).
let nativeCPU: [SwiftSetting] = ProcessInfo.processInfo.environment["RESTAKE_NATIVE"] == "1"
    ? [.unsafeFlags(["-target-cpu", "native"])] : []

let package = Package(
    name: "restake-risk-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        // An explicit name: a path dependency's identity would otherwise be its folder's name,
        // which differs between clones.
        .package(name: "restake-risk", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Sampler",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "RestakeRisk", package: "restake-risk"),
            ],
            path: "Benchmarks/Sampler",
            swiftSettings: nativeCPU,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Kernels",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "RestakeRisk", package: "restake-risk"),
            ],
            path: "Benchmarks/Kernels",
            swiftSettings: nativeCPU,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "Engine",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "RestakeRisk", package: "restake-risk"),
            ],
            path: "Benchmarks/Engine",
            resources: [.copy("example.yaml")],
            swiftSettings: nativeCPU,
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
