/// Where a ``StreamsApp`` serves its query port and who may use it. See README, "Query port".
public struct QueryPortOptions: Sendable {
    /// The port to listen on; 0 lets the kernel choose (see ``StreamsApp/queryPort``).
    public var port: Int
    /// The address to bind; loopback unless set otherwise.
    public var host: String = "127.0.0.1"
    /// `host:port` that other instances forward to; default `host:<bound port>`.
    public var advertisedEndpoint: String?
    /// A bearer token every request but `/health` must send (`Authorization: Bearer <token>`); `nil` for none.
    public var token: String?

    /// Options for `port` on loopback, with no token.
    public init(port: Int, host: String = "127.0.0.1", advertisedEndpoint: String? = nil, token: String? = nil) {
        self.port = port
        self.host = host
        self.advertisedEndpoint = advertisedEndpoint
        self.token = token
    }
}
