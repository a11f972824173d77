/// A complete response from ``HTTPClient/get(_:maxBodyBytes:)``.
public struct HTTPResponse: Sendable {
    /// The final status (after redirects); 0 for `file://` URLs, which have none.
    public var status: Int
    /// The final response's header fields in order, names as sent, values trimmed.
    public var headers: [(name: String, value: String)]
    /// The body, decoded from any transfer encoding (chunked), otherwise as sent.
    public var body: [UInt8]

    /// Creates a response.
    public init(status: Int, headers: [(name: String, value: String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The value of the first header field with this name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}
