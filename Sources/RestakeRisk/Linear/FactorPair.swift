/// An off-diagonal position in a correlation matrix, with the names of its two factors.
///
/// Errors and repair reports carry the names so that a message can say `(bridge, ETH)`
/// rather than `(3, 0)`, which a user cannot map back to the scenario file.
public struct FactorPair: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var row: Int
    public var column: Int
    public var rowName: String
    public var columnName: String

    public init(row: Int, column: Int, rowName: String, columnName: String) {
        self.row = row
        self.column = column
        self.rowName = rowName
        self.columnName = columnName
    }

    public var description: String { "(\(rowName), \(columnName))" }
}
