/// What the query port answers: status, headers and body, independent of the HTTP server library.
package struct QueryResponse: Sendable {
    /// The HTTP status.
    package var status: Int
    /// Response headers (name, value).
    package var headers: [(name: String, value: String)]
    /// The body.
    package var body: [UInt8]

    /// Creates a response.
    package init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response.
    static func json(_ status: Int, _ text: String) -> QueryResponse {
        QueryResponse(status: status, headers: [("Content-Type", "application/json")], body: Array(text.utf8))
    }

    /// `{"error": message}` with the error's status, and `Retry-After` when it has one.
    static func error(_ error: QueryError) -> QueryResponse {
        var response = json(error.status, JSONText.object([("error", JSONText.string(error.message))]))
        if let retryAfter = error.retryAfter { response.headers.append(("Retry-After", String(retryAfter))) }
        if error.status == 401 { response.headers.append(("WWW-Authenticate", "Bearer")) }
        return response
    }

    /// The value of header `name` (case-insensitive), or `nil`.
    package func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }
}
