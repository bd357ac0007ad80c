extension Scenario {
    /// The text of the default scenario (`data/scenarios/default.yaml`), compiled into the binary.
    public static var defaultText: String {
        String(decoding: PackageResources.default_yaml, as: UTF8.self)
    }
}
