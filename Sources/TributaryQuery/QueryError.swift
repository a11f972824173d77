/// A request the query port refuses, with the status and the reason it sends back as `{"error": "..."}`.
package struct QueryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The HTTP status.
    package var status: Int
    /// What is wrong and what to do instead.
    package var message: String
    /// Seconds for a `Retry-After` header (503s), or `nil`.
    package var retryAfter: Int?

    /// Creates an error.
    package init(_ status: Int, _ message: String, retryAfter: Int? = nil) {
        self.status = status
        self.message = message
        self.retryAfter = retryAfter
    }

    package var description: String { "\(status): \(message)" }
}
