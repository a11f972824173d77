import CCurl

/// An owned libcurl `curl_slist` of request header lines ("Name: value").
///
/// Invariant: `head` is nil (empty list) or the head of a list this object alone owns; `deinit` frees it.
/// libcurl does not copy the list, so the handle using it keeps this object alive (see
/// ``CurlEasyHandle/setHeaders(_:)``).
final class CurlHeaderList {
    /// The first node, or nil when the list is empty.
    private(set) var head: UnsafeMutablePointer<curl_slist>?

    /// Builds the list from header fields, rejecting names and values that would inject extra lines.
    init(_ fields: [(name: String, value: String)]) throws(HTTPError) {
        for (name, value) in fields {
            guard !name.isEmpty, !name.contains(where: { $0 == ":" || $0.isNewline || $0 == " " }),
                !value.contains(where: \.isNewline)
            else {
                throw HTTPError(
                    curlCode: Int32(bitPattern: CURLE_BAD_FUNCTION_ARGUMENT.rawValue), status: nil,
                    message: "invalid request header \(String(reflecting: name)): \(String(reflecting: value))")
            }
            // libcurl's syntax: "Name:" would remove a header libcurl adds itself, "Name;" sends it empty.
            let line = value.isEmpty ? "\(name);" : "\(name): \(value)"
            guard let newHead = curl_slist_append(head, line) else {
                throw HTTPError(
                    curlCode: Int32(bitPattern: CURLE_OUT_OF_MEMORY.rawValue), status: nil,
                    message: "curl_slist_append failed")
            }
            head = newHead
        }
    }

    deinit {
        curl_slist_free_all(head)
    }
}
