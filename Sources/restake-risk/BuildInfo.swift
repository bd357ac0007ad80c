/// What this build is, for `--version` and `summary.json`'s provenance.
enum BuildInfo {
    /// `git describe` of the source at build time when `make build` generated it
    /// (`BuildVersion.generated`), else the release this source tree belongs to.
    static var version: String { BuildVersion.generated ?? BuildVersion.release }
}
