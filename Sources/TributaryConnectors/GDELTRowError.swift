/// Why one export row was rejected (it goes to the dead-letter topic with ``reason`` as its header).
public enum GDELTRowError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The row did not have 61 tab-separated fields.
    case wrongColumnCount(Int)
    /// A numeric column held text that is not a number.
    case badNumber(column: String, value: String)
    /// SQLDATE or DATEADDED is not a valid date.
    case badDate(column: String, value: String)

    /// A short, stable reason for counters and the `reason` header: `wrong-column-count`, `bad-number`, `bad-date`.
    public var reason: String {
        switch self {
        case .wrongColumnCount: "wrong-column-count"
        case .badNumber: "bad-number"
        case .badDate: "bad-date"
        }
    }

    public var description: String {
        switch self {
        case .wrongColumnCount(let count): "expected 61 tab-separated fields, found \(count)"
        case .badNumber(let column, let value): "\(column) is not a number: '\(value.prefix(40))'"
        case .badDate(let column, let value): "\(column) is not a valid date: '\(value.prefix(40))'"
        }
    }
}
