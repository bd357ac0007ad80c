/// Bounds a scenario file must stay within before any work proportional to it is done.
///
/// A file of a few hundred bytes can describe billions of YAML nodes through aliases (or merge
/// keys, or aliased complex keys, which the YAML library hashes in full), and a deeply nested
/// one can exhaust the stack of any recursive reader; these limits are checked on the event
/// stream, before the node tree is built.
public struct LoadLimits: Sendable, Equatable {
    /// The largest file read, in bytes (default 16 MiB).
    public var maxFileBytes: Int
    /// The most YAML nodes the document may expand to, each alias counting every node it
    /// repeats (default 2,000,000: a full correlation matrix over 1,400 factors).
    public var maxNodes: Int
    /// The deepest nesting of lists and maps (a scenario needs 6).
    public var maxDepth: Int

    public init(maxFileBytes: Int = 16 << 20, maxNodes: Int = 2_000_000, maxDepth: Int = 64) {
        precondition(maxFileBytes > 0 && maxNodes > 0 && maxDepth > 0, "load limits must be positive")
        self.maxFileBytes = maxFileBytes
        self.maxNodes = maxNodes
        self.maxDepth = maxDepth
    }

    public static let `default` = LoadLimits()
}
