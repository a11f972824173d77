/// One request to the query port, independent of the HTTP server library.
package struct QueryRequest: Sendable {
    /// The method, e.g. `GET`.
    package var method: String
    /// The path as sent (still percent-encoded).
    package var path: String
    /// The query string without `?`, or `nil`.
    package var query: String?
    /// Headers by lowercased name.
    package var headers: [String: String]

    /// Creates a request.
    package init(method: String, path: String, query: String?, headers: [String: String]) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }) { _, last in last }
    }

    /// Path segments, percent-decoded.
    func segments() throws(QueryError) -> [String] {
        var result: [String] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            guard let decoded = String(segment).removingPercentEncoding else {
                throw QueryError(400, "malformed percent-encoding in path segment '\(segment)'")
            }
            result.append(decoded)
        }
        return result
    }

    /// Query parameters, percent-decoded ('+' stays '+'); a repeated name keeps its last value.
    func parameters() throws(QueryError) -> [String: String] {
        var result: [String: String] = [:]
        for pair in (query ?? "").split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = String(parts[0]).removingPercentEncoding,
                let value = (parts.count > 1 ? String(parts[1]) : "").removingPercentEncoding
            else {
                throw QueryError(400, "malformed percent-encoding in query parameter '\(pair)'")
            }
            result[name] = value
        }
        return result
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
