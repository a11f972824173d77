import Logging

/// Blocking HTTP over libcurl: streaming downloads (server-sent events, large files) and small complete
/// downloads. Every call runs on the calling thread; the client holds no connections, so it is cheap to copy
/// and safe to share.
///
/// Behaviour common to all requests is described on ``HTTPRequest`` (TLS verification, protocols, proxies
/// from the environment, timeouts).
public struct HTTPClient: Sendable {
    /// Where transfer starts and ends are logged (debug level).
    public var logger: Logger

    /// Creates a client.
    public init(logger: Logger = Logger(label: "tributary.http")) {
        self.logger = logger
    }

    /// Makes a stream handle for `request`, to run on one thread and cancel from another.
    public func makeStream(_ request: HTTPRequest) -> HTTPStream {
        HTTPStream(request: request, logger: logger)
    }

    /// Streams `request` until the body ends or `onData` returns false; see ``HTTPStream/run(sending:onHeaders:onData:)``
    /// for the callbacks and errors. Use ``makeStream(_:)`` to be able to cancel from another thread.
    @discardableResult
    public func stream(
        _ request: HTTPRequest,
        onHeaders: (_ status: Int, _ headers: [(name: String, value: String)]) throws -> Void = { _, _ in },
        onData: (UnsafeRawBufferPointer) throws -> Bool
    ) throws -> HTTPStreamEnd {
        try makeStream(request).run(onHeaders: onHeaders, onData: onData)
    }

    /// Downloads `request` completely into memory (for small files: `lastupdate.txt`, a batch zip).
    ///
    /// - Parameter maxBodyBytes: the largest body accepted; a larger one stops the download with an error.
    /// - Throws: ``HTTPError``: the curl code for transfer failures; curl code 22 with the status for a
    ///   status ≥ 400 (the message includes the start of the error body); curl code 23 for a body over
    ///   `maxBodyBytes`.
    public func get(_ request: HTTPRequest, maxBodyBytes: Int = 256 << 20) throws -> HTTPResponse {
        let response = try fetch(request, maxBodyBytes: maxBodyBytes)
        if response.status >= 400 {
            let snippet = String(decoding: response.body.prefix(200), as: UTF8.self)
            throw HTTPError(
                curlCode: 22, status: response.status,
                message: "HTTP \(response.status) from \(request.url)\(snippet.isEmpty ? "" : ": \(snippet)")")
        }
        return response
    }

    /// Downloads `request` completely into memory whatever its status (an API's error responses included).
    ///
    /// - Throws: ``HTTPError``: the curl code for transfer failures; curl code 23 for a body over `maxBodyBytes`.
    public func fetch(_ request: HTTPRequest, maxBodyBytes: Int = 256 << 20) throws -> HTTPResponse {
        var response = HTTPResponse(status: 0, headers: [], body: [])
        var tooLarge = false
        let transfer = CurlTransfer(
            request: request, abortOnErrorStatus: false, isCancelled: { false },
            onHeaders: { status, headers in
                response.status = status
                response.headers = headers
            },
            onData: { bytes in
                guard response.body.count + bytes.count <= maxBodyBytes else {
                    tooLarge = true
                    return false
                }
                response.body.append(contentsOf: bytes)
                return true
            })
        _ = try transfer.run(logger: logger)
        if tooLarge {
            throw HTTPError(
                curlCode: 23, status: response.status == 0 ? nil : response.status,
                message: "response body from \(request.url) exceeds \(maxBodyBytes) bytes")
        }
        return response
    }
}
