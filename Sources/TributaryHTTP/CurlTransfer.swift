import CCurl
import Logging

/// One libcurl transfer: configures an easy handle from an ``HTTPRequest``, runs it on the calling thread and
/// turns libcurl's callbacks into calls of the Swift closures.
///
/// The C callbacks capture nothing: libcurl hands them an unretained pointer to this object (the
/// `*DATA` options), which stays valid because ``run(handle:)`` keeps the object alive for the whole
/// `curl_easy_perform`. Invariants: `abort` is set before any callback makes libcurl stop, so a stop is never
/// mistaken for a network error; the closures run only on the thread that called ``run(handle:)``, and
/// `onHeaders` runs at most once, before the first `onData`.
final class CurlTransfer {
    /// Why a callback stopped the transfer.
    enum Abort {
        case consumerStopped
        case cancelled
        case errorStatus(Int, String)
        case thrown(any Error)
    }

    private let request: HTTPRequest
    private let abortOnErrorStatus: Bool
    private let isCancelled: () -> Bool
    private let onHeaders: (Int, [(name: String, value: String)]) throws -> Void
    private let onData: (UnsafeRawBufferPointer) throws -> Bool

    /// The status parsed from the current response's status line (nil before one, and for file://).
    private var status: Int?
    /// The current response's reason phrase ("Not Found"), possibly empty (HTTP/2 has none).
    private var reason = ""
    /// Header fields of the current response; reset at each status line (redirects, 1xx).
    private var headers: [(name: String, value: String)] = []
    /// True once `onHeaders` ran; later header lines (trailers) are ignored.
    private var headersDelivered = false
    /// Set by a callback just before it makes libcurl stop.
    private(set) var abort: Abort?
    /// The handle while it runs, for reading the response code from callbacks (no cycle: the handle holds
    /// this object only as a raw pointer).
    private var handle: CurlEasyHandle?

    /// Prepares a transfer.
    /// - Parameter abortOnErrorStatus: stop as soon as the final response's headers show a status ≥ 400
    ///   (streams) instead of passing the body on (downloads, which read the error body).
    init(
        request: HTTPRequest, abortOnErrorStatus: Bool, isCancelled: @escaping () -> Bool,
        onHeaders: @escaping (Int, [(name: String, value: String)]) throws -> Void,
        onData: @escaping (UnsafeRawBufferPointer) throws -> Bool
    ) {
        self.request = request
        self.abortOnErrorStatus = abortOnErrorStatus
        self.isCancelled = isCancelled
        self.onHeaders = onHeaders
        self.onData = onData
    }

    /// Runs the transfer to its end. Returns how it ended if no error; throws ``HTTPError`` for transfer
    /// failures and error statuses (when `abortOnErrorStatus`), or whatever a closure threw.
    func run(logger: Logger) throws -> HTTPStreamEnd {
        if isCancelled() { return .cancelled }
        let handle = try CurlEasyHandle()
        try configure(handle)
        self.handle = handle
        logger.debug("HTTP transfer starting", metadata: ["url": "\(request.url)"])
        let code = withExtendedLifetime(self) { handle.perform() }
        self.handle = nil
        let status = handle.responseCode
        logger.debug(
            "HTTP transfer ended",
            metadata: ["url": "\(request.url)", "curlCode": "\(code.rawValue)", "status": "\(status)"])
        if let abort { return try outcome(of: abort, handle: handle) }
        guard code == CURLE_OK else {
            throw handle.error(for: code, status: status == 0 ? nil : status)
        }
        // A body-less response, or file:// which has no status line: deliver the headers now.
        if !headersDelivered, deliverHeaders(status: self.status ?? status), let abort {
            return try outcome(of: abort, handle: handle)
        }
        return .completed
    }

    /// How a transfer a callback stopped ended: a normal end or the error to throw.
    private func outcome(of abort: Abort, handle: CurlEasyHandle) throws -> HTTPStreamEnd {
        switch abort {
        case .consumerStopped: return .stoppedByConsumer
        case .cancelled: return .cancelled
        case .errorStatus(let status, let reason):
            throw HTTPError(
                curlCode: Int32(bitPattern: CURLE_HTTP_RETURNED_ERROR.rawValue), status: status,
                message: "HTTP \(status)\(reason.isEmpty ? "" : " \(reason)") from \(handle.effectiveURL ?? request.url)")
        case .thrown(let error): throw error
        }
    }

    /// Applies the request to the handle and registers the callbacks.
    private func configure(_ handle: CurlEasyHandle) throws(HTTPError) {
        try handle.set(CURLOPT_URL, request.url)
        // Signals are process-wide; libcurl must not use SIGALRM for DNS timeouts in a threaded program.
        try handle.set(CURLOPT_NOSIGNAL, 1)
        try handle.set(CURLOPT_PROTOCOLS_STR, "http,https,file")
        try handle.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        try handle.set(CURLOPT_SSL_VERIFYPEER, 1)
        try handle.set(CURLOPT_SSL_VERIFYHOST, 2)
        try handle.set(CURLOPT_FOLLOWLOCATION, request.followRedirects ? 1 : 0)
        try handle.set(CURLOPT_MAXREDIRS, max(0, request.maxRedirects))
        try handle.set(CURLOPT_USERAGENT, request.userAgent)
        try handle.set(CURLOPT_CONNECTTIMEOUT_MS, max(1, request.connectTimeout.roundedUpMilliseconds))
        if request.lowSpeedLimit > 0 {
            try handle.set(CURLOPT_LOW_SPEED_LIMIT, request.lowSpeedLimit)
            let seconds = (request.lowSpeedTime.roundedUpMilliseconds + 999) / 1000
            try handle.set(CURLOPT_LOW_SPEED_TIME, max(1, seconds))
        }
        try handle.set(CURLOPT_TIMEOUT_MS, request.totalTimeout.map { max(1, $0.roundedUpMilliseconds) } ?? 0)
        try handle.set(CURLOPT_TCP_KEEPALIVE, 1)
        // A proxy's CONNECT response must not look like the server's response to the header callback.
        try handle.set(CURLOPT_SUPPRESS_CONNECT_HEADERS, 1)
        if !request.headers.isEmpty { try handle.setHeaders(try CurlHeaderList(request.headers)) }

        let context = Unmanaged.passUnretained(self).toOpaque()
        try handle.set(CURLOPT_WRITEDATA, pointer: context)
        try handle.set(CURLOPT_HEADERDATA, pointer: context)
        try handle.set(CURLOPT_XFERINFODATA, pointer: context)
        try handle.set(CURLOPT_NOPROGRESS, 0)
        _ = ccurl_easy_setopt_write_callback(handle.raw) { buffer, size, count, context in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
            return transfer.receiveBody(UnsafeRawBufferPointer(start: buffer, count: size * count))
        }
        _ = ccurl_easy_setopt_header_callback(handle.raw) { buffer, size, count, context in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
            return transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: buffer, count: size * count))
        }
        _ = ccurl_easy_setopt_xferinfo_callback(handle.raw) { context, _, _, _, _ in
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(context!).takeUnretainedValue()
            return transfer.checkCancelled() ? 1 : 0
        }
    }

    /// The progress callback (called about once a second even when idle): true stops the transfer.
    private func checkCancelled() -> Bool {
        guard abort == nil else { return true }
        if isCancelled() {
            abort = .cancelled
            return true
        }
        return false
    }

    /// The header callback: one complete header line, with its CRLF. Returns the bytes consumed, anything
    /// else stops the transfer.
    private func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) -> Int {
        if checkCancelled() { return 0 }
        guard !headersDelivered else { return bytes.count }  // trailers
        var line = Substring(String(decoding: bytes, as: UTF8.self))
        while let last = line.last, last.isNewline { line = line.dropLast() }  // "\r\n" is one Character
        if line.hasPrefix("HTTP/") {
            // A new response (first, after a redirect, or after 1xx): start over.
            let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
            status = parts.count > 1 ? Int(parts[1]) : nil
            reason = parts.count > 2 ? String(parts[2]) : ""
            headers = []
        } else if line.isEmpty {
            guard let status, isFinalResponse(status) else { return bytes.count }
            if deliverHeaders(status: status) { return 0 }
        } else if let first = line.first, first == " " || first == "\t", !headers.isEmpty {
            // Obsolete line folding: continues the previous value.
            headers[headers.count - 1].value += " " + line.trimmingWhitespace()
        } else if let colon = line.firstIndex(of: ":") {
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingWhitespace()))
        }
        return bytes.count
    }

    /// Whether the response whose headers just ended is the one whose body the caller gets: not 1xx, and not
    /// a redirect libcurl is about to follow.
    private func isFinalResponse(_ status: Int) -> Bool {
        if (100..<200).contains(status) { return false }
        if (300..<400).contains(status), request.followRedirects,
            headers.contains(where: { $0.name.lowercased() == "location" })
        {
            return false
        }
        return true
    }

    /// Calls `onHeaders` (once). Returns true if the transfer must stop (error status or a thrown error).
    private func deliverHeaders(status: Int) -> Bool {
        headersDelivered = true
        if abortOnErrorStatus, status >= 400 {
            abort = .errorStatus(status, reason)
            return true
        }
        do {
            try onHeaders(status, headers)
            return false
        } catch {
            abort = .thrown(error)
            return true
        }
    }

    /// The write callback: body bytes. Returns the bytes consumed; anything else stops the transfer.
    private func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        if checkCancelled() { return 0 }
        if !headersDelivered, deliverHeaders(status: status ?? handle?.responseCode ?? 0) { return 0 }
        do {
            if try onData(bytes) { return bytes.count }
            abort = .consumerStopped
        } catch {
            abort = .thrown(error)
        }
        // Any count other than bytes.count stops libcurl; for an empty chunk 0 would mean "all consumed".
        return bytes.count == 0 ? 1 : 0
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    fileprivate func trimmingWhitespace() -> String {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
