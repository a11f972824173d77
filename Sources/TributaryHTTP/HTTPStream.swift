import Logging
import Synchronization

/// A cancellable streaming download: ``run(sending:onHeaders:onData:)`` blocks its thread while body bytes arrive;
/// ``cancel()`` from any other thread stops it.
///
/// Make one with ``HTTPClient/makeStream(_:)``. A stream may be run again after a run ends, e.g. to reconnect
/// with a newer `Last-Event-ID` (pass the new request to ``run(sending:onHeaders:onData:)``), so one handle
/// can stop a whole reconnect loop: cancellation is permanent, and once cancelled every current and later
/// run returns ``HTTPStreamEnd/cancelled``.
public final class HTTPStream: Sendable {
    /// The request a run sends unless it is given another.
    public let request: HTTPRequest
    /// Where transfer starts and ends are logged (debug level).
    private let logger: Logger
    /// Set once by ``cancel()``; read by libcurl's callbacks during a run. Invariant: never goes back to false.
    private let cancelled = Atomic<Bool>(false)

    init(request: HTTPRequest, logger: Logger) {
        self.request = request
        self.logger = logger
    }

    /// Whether ``cancel()`` was called.
    public var isCancelled: Bool { cancelled.load(ordering: .acquiring) }

    /// Stops the running transfer (within about a second: libcurl checks between reads and at least once a
    /// second while idle) and every later one. Safe from any thread, any number of times.
    public func cancel() {
        cancelled.store(true, ordering: .releasing)
    }

    /// Runs the request, calling back on this thread as the response arrives, until the body ends, `onData`
    /// returns false, ``cancel()`` is called, or the transfer fails.
    ///
    /// - Parameters:
    ///   - request: the request to send; `nil` sends ``request``.
    ///   - onHeaders: called once, before any data, with the final response's status (after redirects; 0 for
    ///     `file://`) and header fields in order. Not called for a status ≥ 400, which throws instead.
    ///   - onData: called with each piece of the body (decoded from chunked transfer encoding) as it arrives;
    ///     the buffer is only valid during the call. Return false to stop.
    /// - Returns: how the stream ended, when it did not fail.
    /// - Throws: ``HTTPError`` with the curl code (28 timeout or stall, 7 connection refused, 6 host not
    ///   resolved, 18/56 connection dropped mid-body, ...), or with curl code 22 and the status for a response
    ///   status ≥ 400 (the transfer stops at its headers); or whatever a closure threw.
    @discardableResult
    public func run(
        sending request: HTTPRequest? = nil,
        onHeaders: (_ status: Int, _ headers: [(name: String, value: String)]) throws -> Void = { _, _ in },
        onData: (UnsafeRawBufferPointer) throws -> Bool
    ) throws -> HTTPStreamEnd {
        try withoutActuallyEscaping(onHeaders) { onHeaders in
            try withoutActuallyEscaping(onData) { onData in
                // The transfer, and so the escaped closures, do not outlive this call.
                let transfer = CurlTransfer(
                    request: request ?? self.request, abortOnErrorStatus: true, isCancelled: { self.isCancelled },
                    onHeaders: onHeaders, onData: onData)
                return try transfer.run(logger: logger)
            }
        }
    }
}
