/// Whether one partition of a store answers queries.
package enum QueryStoreState: String, Codable, Sendable, Equatable {
    /// Restored and processing: reads answer.
    case running
    /// Rebuilding from its changelog: reads answer 503 with `Retry-After`.
    case restoring
}
