import Dispatch
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// The query port: an HTTP server (Hummingbird) answering with a ``QueryHandler``.
///
/// ``start()`` returns once the port is bound (or throws why it could not be); ``stop()`` closes it and
/// returns once it is closed. The server runs on SwiftNIO's threads and a Dispatch queue of its own
/// (``QueryExecutor``), never on a stream thread or Swift's cooperative pool.
package final class QueryServer: Sendable {
    private let handler: QueryHandler
    private let host: String
    private let port: Int
    private let logger: Logger
    private let group = Mutex<(ServiceGroup, Task<Void, Never>)?>(nil)
    private let stopped = DispatchSemaphore(value: 0)
    private let executor = QueryExecutor(label: "tributary.query-port")

    /// Creates a server for `handler` on `host:port` (port 0: the kernel chooses).
    package init(handler: QueryHandler, host: String, port: Int, logger: Logger) {
        self.handler = handler
        self.host = host
        self.port = port
        self.logger = logger
    }

    /// Binds and starts serving; returns the bound port.
    /// - Throws: ``QueryError`` (500) naming the address when the port cannot be bound within 10 s.
    package func start() throws -> Int {
        let bound = Mutex<Result<Int, any Error>?>(nil)
        let ready = DispatchSemaphore(value: 0)
        let app = Application(
            responder: QueryResponder(handler: handler),
            // Idle keep-alive connections close after 30 s, so none holds a stopping server open for long.
            server: .http1(configuration: .init(idleTimeout: .seconds(30))),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in
                bound.withLock { $0 = .success(channel.localAddress?.port ?? 0) }
                ready.signal()
            },
            logger: logger)
        let stopped = self.stopped
        let serviceGroup = ServiceGroup(
            configuration: ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [], logger: logger))
        let running = Task(executorPreference: executor) {
            do {
                try await serviceGroup.run()
            } catch {
                bound.withLock { result in if result == nil { result = .failure(error) } }
                ready.signal()
            }
            stopped.signal()
        }
        group.withLock { $0 = (serviceGroup, running) }
        guard ready.wait(timeout: .now() + .seconds(10)) == .success else {
            stop()
            throw QueryError(500, "the query port on \(host):\(port) did not start within 10 s")
        }
        switch bound.withLock({ $0 })! {
        case .success(let port):
            logger.info("query port listening on \(host):\(port)")
            return port
        case .failure(let error):
            _ = stopped.wait(timeout: .now() + .seconds(5))
            throw QueryError(500, "cannot listen on \(host):\(port): \(error); choose another --query-port or --query-host")
        }
    }

    /// Stops serving and returns once the port is closed: gracefully (requests in progress finish) within
    /// 300 ms, else by cancellation (at most 5 s more). Idempotent.
    package func stop() {
        guard let (serviceGroup, running) = group.withLock({ group in defer { group = nil }; return group }) else {
            return
        }
        Task(executorPreference: executor) { await serviceGroup.triggerGracefulShutdown() }
        guard stopped.wait(timeout: .now() + .milliseconds(300)) == .timedOut else { return }
        running.cancel()
        _ = stopped.wait(timeout: .now() + .seconds(5))
    }
}

/// Hummingbird's side of ``QueryHandler``: converts requests and responses.
struct QueryResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let handler: QueryHandler

    func respond(to request: Request, context: Context) async throws -> Response {
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let answer = await handler.handle(QueryRequest(
            method: request.method.rawValue, path: request.uri.path, query: request.uri.query, headers: headers))
        var fields = HTTPFields()
        for header in answer.headers {
            if let name = HTTPField.Name(header.name) { fields.append(HTTPField(name: name, value: header.value)) }
        }
        return Response(
            status: HTTPResponse.Status(code: answer.status), headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
}
