// The version the build reports. `scripts/version.sh` (run by `make build`) writes the
// `git describe` result into `.build/version.swift`; a plain `swift build` of a fresh clone
// uses `release`.
enum BuildVersion {
    static let release = "0.2.0"
    static let generated: String? = nil
}
