// swift-tools-version: 6.1
// libFuzzer targets over the scenario loader and the shard reader (issue 11), in their own
// package so that the root package's builds and tests never compile them. Build and run with
// `make fuzz` (mk/fuzz.mk), which passes `-sanitize=fuzzer`: each target has no `main`, libFuzzer
// provides it.
import PackageDescription

let package = Package(
    name: "restake-risk-fuzz",
    dependencies: [
        // An explicit name: a path dependency's identity is otherwise the folder name, which
        // differs in CI's clone.
        .package(name: "restake-risk", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "fuzz-scenario",
            dependencies: [.product(name: "RestakeRisk", package: "restake-risk")]),
        .executableTarget(
            name: "fuzz-shard",
            dependencies: [.product(name: "RestakeRisk", package: "restake-risk")]),
    ]
)
