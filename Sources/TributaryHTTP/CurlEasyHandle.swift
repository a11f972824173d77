import CCurl

/// An owned libcurl easy handle (`CURL *`) with its error buffer.
///
/// Invariants: `raw` is a live handle from `curl_easy_init`, cleaned up exactly once in `deinit`; the error
/// buffer is `CURL_ERROR_SIZE` bytes, registered with `CURLOPT_ERRORBUFFER` for the handle's whole life and
/// freed only after the handle; the header list set with ``setHeaders(_:)`` is retained as long as the
/// handle. Not thread-safe: one thread uses a handle at a time (libcurl's rule for easy handles).
final class CurlEasyHandle {
    /// The libcurl handle.
    let raw: UnsafeMutableRawPointer
    /// libcurl writes a detailed message here when a transfer fails.
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// Kept alive for libcurl, which does not copy `CURLOPT_HTTPHEADER` lists.
    private var headerList: CurlHeaderList?

    /// Creates a handle, initializing libcurl globally first if needed.
    init() throws(HTTPError) {
        try CurlGlobal.ensureInitialized()
        guard let raw = curl_easy_init() else {
            throw HTTPError(curlCode: Int32(bitPattern: CURLE_FAILED_INIT.rawValue), status: nil, message: "curl_easy_init failed")
        }
        self.raw = raw
        let size = Int(CURL_ERROR_SIZE)
        errorBuffer = .allocate(capacity: size)
        errorBuffer.initialize(repeating: 0, count: size)
        _ = ccurl_easy_setopt_pointer(raw, CURLOPT_ERRORBUFFER, errorBuffer)
    }

    deinit {
        curl_easy_cleanup(raw)
        errorBuffer.deallocate()
    }

    /// Sets a `long` option.
    func set(_ option: CURLoption, _ value: Int) throws(HTTPError) {
        try check(ccurl_easy_setopt_long(raw, option, value), option)
    }

    /// Sets a string option (libcurl copies the string).
    func set(_ option: CURLoption, _ value: String) throws(HTTPError) {
        try check(ccurl_easy_setopt_string(raw, option, value), option)
    }

    /// Sets an opaque pointer option such as `CURLOPT_WRITEDATA`.
    func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) throws(HTTPError) {
        try check(ccurl_easy_setopt_pointer(raw, option, value), option)
    }

    /// Sets `CURLOPT_HTTPHEADER` and keeps the list alive as long as the handle.
    func setHeaders(_ list: CurlHeaderList) throws(HTTPError) {
        try check(ccurl_easy_setopt_slist(raw, CURLOPT_HTTPHEADER, list.head), CURLOPT_HTTPHEADER)
        headerList = list
    }

    /// Runs the transfer on the calling thread, calling the registered callbacks, and returns libcurl's code.
    func perform() -> CURLcode {
        errorBuffer[0] = 0
        return curl_easy_perform(raw)
    }

    /// The last response's status code (`CURLINFO_RESPONSE_CODE`), 0 when none arrived or the protocol has
    /// none (file://).
    var responseCode: Int {
        var code = 0
        _ = ccurl_easy_getinfo_long(raw, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    /// The URL last used (after redirects), if libcurl knows it.
    var effectiveURL: String? {
        var value: UnsafePointer<CChar>?
        guard ccurl_easy_getinfo_string(raw, CURLINFO_EFFECTIVE_URL, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }

    /// An error for a failed transfer: libcurl's detailed message when it wrote one, else its generic text.
    func error(for code: CURLcode, status: Int?) -> HTTPError {
        let detail = String(cString: errorBuffer)
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        return HTTPError(curlCode: Int32(bitPattern: code.rawValue), status: status, message: message)
    }

    /// Throws if setting `option` failed (unknown option or bad value, e.g. a protocol libcurl lacks).
    private func check(_ code: CURLcode, _ option: CURLoption) throws(HTTPError) {
        guard code == CURLE_OK else {
            throw HTTPError(
                curlCode: Int32(bitPattern: code.rawValue), status: nil,
                message: "curl_easy_setopt(\(option.rawValue)) failed: \(String(cString: curl_easy_strerror(code)))")
        }
    }
}
