/// The version the build reports.
///
/// `make build` runs `scripts/version.sh`, which writes `release+git describe` into
/// `BuildVersion+Generated.swift` (not committed) and compiles it in with
/// `-DRESTAKE_VERSION_GENERATED`; a plain `swift build` of a fresh clone reports `release`.
enum BuildVersion {
    static let release = "0.2.0"
    #if RESTAKE_VERSION_GENERATED
    static var generated: String? { generatedValue }
    #else
    static let generated: String? = nil
    #endif
}
