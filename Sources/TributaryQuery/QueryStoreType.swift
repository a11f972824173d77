import TributaryCore

/// The kind of a store as the query port and the instances topic name it.
package enum QueryStoreType: String, Codable, Sendable, Equatable {
    /// A key-value store: key lookups and ranges.
    case keyValue
    /// A window store: windows of a key over a time range.
    case window
    /// A session store: sessions of a key over a time range.
    case session

    /// The type of stores of `kind`.
    package init(_ kind: StoreKind) {
        switch kind {
        case .keyValue: self = .keyValue
        case .window: self = .window
        case .session: self = .session
        }
    }
}
