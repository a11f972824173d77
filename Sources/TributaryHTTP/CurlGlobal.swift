import CCurl

/// libcurl's process-wide initialization.
///
/// Invariant: `curl_global_init` runs at most once per process, before the first easy handle is created,
/// because every ``CurlEasyHandle`` initializer reads ``initResult`` first and Swift initializes a static
/// `let` lazily exactly once, thread-safely. libcurl is never globally cleaned up (that would race with
/// other threads still using handles; the process exit reclaims it).
enum CurlGlobal {
    /// The raw `CURLcode` of the one `curl_global_init(CURL_GLOBAL_DEFAULT)` call.
    static let initResult: UInt32 = ccurl_global_init_default().rawValue

    /// Runs the global initialization if it has not run yet, and throws if it failed.
    static func ensureInitialized() throws(HTTPError) {
        let code = initResult
        guard code == CURLE_OK.rawValue else {
            throw HTTPError(curlCode: Int32(bitPattern: code), status: nil, message: "curl_global_init failed")
        }
    }
}
