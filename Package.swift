// swift-tools-version: 6.1
import Foundation
import PackageDescription

// `RESTAKE_NATIVE=1` in the environment compiles the engine for this machine's CPU, as the
// `-Xswiftc -target-cpu -Xswiftc native` of `make build` does, for builds that take no flags:
// the benchmark plugin (`make bench` sets it), so that benchmarks measure the build users run.
let nativeCPU: [SwiftSetting] = ProcessInfo.processInfo.environment["RESTAKE_NATIVE"] == "1"
    ? [.unsafeFlags(["-target-cpu", "native"])] : []

let package = Package(
    name: "restake-risk",
    products: [
        .library(name: "RestakeRisk", targets: ["RestakeRisk"]),
        .executable(name: "restake-risk", targets: ["restake-risk"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // OpenBLAS (BLAS + LAPACK) and LAPACKE from Debian's libopenblas-dev and liblapacke-dev.
        .systemLibrary(
            name: "COpenBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
        ),
        // The engine's own small C helpers (what Swift cannot spell).
        .target(name: "CRestakeKernels"),
        // The engine: the only target that imports the C modules.
        .target(
            name: "RestakeRisk",
            dependencies: [
                "COpenBLAS",
                "CRestakeKernels",
                "Yams",
                .product(name: "RealModule", package: "swift-numerics"),
            ],
            // The default scenario is compiled into the binary so `simulate` works from any folder;
            // data/scenarios/default.yaml links to it.
            resources: [
                .embedInCode("Resources/default.yaml"),
                // `restake-risk init` templates (ScenarioTemplate).
                .embedInCode("Resources/templates/template-native.yaml"),
                .embedInCode("Resources/templates/template-lst.yaml"),
                .embedInCode("Resources/templates/template-restaking.yaml"),
                .embedInCode("Resources/templates/template-lrt-loop.yaml"),
                .embedInCode("Resources/templates/template-network.yaml"),
            ],
            swiftSettings: [
                // `swift build -Xswiftc -DRESTAKE_CHECKS` turns on expensive invariant checks.
                .define("RESTAKE_CHECKS", .when(configuration: .debug)),
            ] + nativeCPU
        ),
        .executableTarget(
            name: "restake-risk",
            dependencies: [
                "RestakeRisk",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "RestakeRiskTests",
            dependencies: [
                "RestakeRisk",
                .product(name: "RealModule", package: "swift-numerics"),
            ]
        ),
    ]
)
