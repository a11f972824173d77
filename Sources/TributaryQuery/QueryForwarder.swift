import Foundation
import TributaryHTTP

/// Sends a request on to the instance that owns its key, once, with short timeouts.
///
/// The forwarded request carries `X-Tributary-Forwarded: <this instance>`; an instance never forwards a
/// request that carries it, so a request makes at most one hop even when routing tables disagree.
package struct QueryForwarder: Sendable {
    /// The header that marks a forwarded request.
    package static let forwardedHeader = "X-Tributary-Forwarded"
    private let client = HTTPClient()
    private let connectTimeout: Duration
    private let timeout: Duration

    /// Creates a forwarder with the given timeouts.
    package init(connectTimeout: Duration, timeout: Duration) {
        self.connectTimeout = connectTimeout
        self.timeout = timeout
    }

    /// `request` sent to `endpoint` (`host:port`) as from instance `from`: the owner's response, or the
    /// transport error (refused, timed out) as thrown by ``HTTPClient``.
    package func forward(_ request: QueryRequest, to endpoint: String, from: String) async throws -> QueryResponse {
        var headers = [(name: String, value: String)]()
        if let authorization = request.headers["authorization"] { headers.append(("Authorization", authorization)) }
        headers.append((Self.forwardedHeader, from))
        let url = "http://\(endpoint)\(request.path)" + (request.query.map { "?\($0)" } ?? "")
        let httpRequest = HTTPRequest(
            url: url, headers: headers, connectTimeout: connectTimeout, totalTimeout: timeout, followRedirects: false)
        let client = self.client
        // curl blocks: run it on a thread of its own, off Swift's cooperative pool and Dispatch's workers.
        let response = try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try client.fetch(httpRequest, maxBodyBytes: 64 << 20) })
            }.start()
        }
        let passed = ["content-type", "retry-after", "x-tributary-served-by", "www-authenticate"]
        return QueryResponse(
            status: response.status, headers: response.headers.filter { passed.contains($0.name.lowercased()) },
            body: response.body)
    }
}
