/// Where the query port listens, who may use it, and how it reaches other instances.
package struct QueryPortConfiguration: Sendable {
    /// Address to bind (default loopback only).
    package var host: String = "127.0.0.1"
    /// Port to bind; 0 lets the kernel choose (tests).
    package var port: Int
    /// `host:port` other instances use to reach this one; `nil` means `host:<bound port>`.
    package var advertisedEndpoint: String?
    /// Bearer token every request but `/health` must carry; `nil` for none.
    package var token: String?
    /// This instance's id: named in `X-Tributary-Served-By`.
    package var instanceID: String
    /// Connection timeout when forwarding to the owning instance.
    package var forwardConnectTimeout: Duration = .milliseconds(500)
    /// Total timeout of a forwarded request.
    package var forwardTimeout: Duration = .seconds(3)
    /// Seconds a client should wait before retrying a 503.
    package var retryAfterSeconds: Int = 1

    /// Creates a configuration.
    package init(port: Int, instanceID: String, host: String = "127.0.0.1", token: String? = nil) {
        self.port = port
        self.instanceID = instanceID
        self.host = host
        self.token = token
    }
}
