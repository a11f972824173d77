import Foundation
import Synchronization
import Testing

@testable import TributaryHTTP

/// Every test that talks to a server bounds itself with request timeouts (a few seconds) and a time limit.
@Suite(.timeLimit(.minutes(1))) struct HTTPClientTests {
    let client = HTTPClient()

    /// A request with short limits so a broken test fails fast.
    func request(_ url: String, headers: [(name: String, value: String)] = [], total: Duration = .seconds(10)) -> HTTPRequest {
        HTTPRequest(url: url, headers: headers, connectTimeout: .seconds(5), totalTimeout: total)
    }

    @Test func getDownloadsBody() throws {
        let server = try LocalHTTPServer()
        let response = try client.get(request(server.url("/ok")))
        #expect(response.status == 200)
        #expect(response.body == Array("hello, tributary\n".utf8))
        #expect(response.header("content-type") == "text/plain")
        #expect(response.header("CONTENT-LENGTH") == "17")
    }

    @Test func getLargeBody() throws {
        let server = try LocalHTTPServer()
        let response = try client.get(request(server.url("/bytes?n=1000000")))
        #expect(response.body.count == 1_000_000)
        #expect(response.body.enumerated().allSatisfy { $0.element == UInt8($0.offset % 251) })
    }

    @Test func getBodyOverLimitFails() throws {
        let server = try LocalHTTPServer()
        let error = try #require(throws: HTTPError.self) {
            try client.get(request(server.url("/bytes?n=100000")), maxBodyBytes: 1000)
        }
        #expect(error.curlCode == 23)
        #expect(error.status == 200)
    }

    @Test(arguments: [404, 500, 503]) func getErrorStatusThrows(_ status: Int) throws {
        let server = try LocalHTTPServer()
        let error = try #require(throws: HTTPError.self) { try client.get(request(server.url("/status/\(status)"))) }
        #expect(error.status == status)
        #expect(error.curlCode == 22)
        #expect(error.message.contains("error body \(status)"))
    }

    @Test(arguments: [404, 500]) func streamErrorStatusThrowsAtHeaders(_ status: Int) throws {
        let server = try LocalHTTPServer()
        var called = false
        let error = try #require(throws: HTTPError.self) {
            try client.stream(request(server.url("/status/\(status)")), onHeaders: { _, _ in called = true }) { _ in
                called = true
                return true
            }
        }
        #expect(error.status == status)
        #expect(error.curlCode == 22)
        #expect(error.message.contains("HTTP \(status)"))
        #expect(!called)
    }

    @Test func connectionRefusedIsCurl7() throws {
        let port = try LocalHTTPServer.closedPort()
        let error = try #require(throws: HTTPError.self) { try client.get(request("http://127.0.0.1:\(port)/")) }
        #expect(error.curlCode == 7)
        #expect(error.status == nil)
    }

    @Test func unresolvableHostIsCurl6() throws {
        let error = try #require(throws: HTTPError.self) { try client.get(request("http://tributary-test.invalid/")) }
        #expect(error.curlCode == 6)
    }

    @Test func redirectIsFollowed() throws {
        let server = try LocalHTTPServer()
        let response = try client.get(request(server.url("/redirect")))
        #expect(response.status == 200)
        #expect(response.body == Array("hello, tributary\n".utf8))
        #expect(response.header("location") == nil)  // the headers are the final response's
    }

    @Test func streamFollowsRedirectAndReportsFinalHeaders() throws {
        let server = try LocalHTTPServer()
        var statuses: [Int] = []
        var body: [UInt8] = []
        let end = try client.stream(request(server.url("/redirect")), onHeaders: { status, _ in statuses.append(status) }) { bytes in
            body += bytes
            return true
        }
        #expect(end == .completed)
        #expect(statuses == [200])
        #expect(body == Array("hello, tributary\n".utf8))
    }

    @Test func emptyBodyStillDeliversHeaders() throws {
        let server = try LocalHTTPServer()
        var statuses: [Int] = []
        var dataCalls = 0
        let end = try client.stream(request(server.url("/bytes?n=0")), onHeaders: { status, _ in statuses.append(status) }) { _ in
            dataCalls += 1
            return true
        }
        #expect(end == .completed)
        #expect(statuses == [200])
        #expect(dataCalls == 0)
    }

    @Test func droppedConnectionMidStreamThrowsAfterTheDeliveredEvents() throws {
        let server = try LocalHTTPServer()
        var parser = ServerSentEventsParser()
        var events: [ServerSentEvent] = []
        let error = try #require(throws: HTTPError.self) {
            try client.stream(request(server.url("/drop"))) { bytes in
                events += parser.feed(bytes)
                return true
            }
        }
        // libcurl reports a chunked body cut short as a partial file (18) or a receive error (56).
        #expect([18, 56].contains(error.curlCode))
        #expect(error.status == 200)
        #expect(events.map(\.data) == ["event 1"])
        #expect(parser.lastEventID == "1")
    }

    @Test func redirectNotFollowedWhenDisabled() throws {
        let server = try LocalHTTPServer()
        var noFollow = request(server.url("/redirect"))
        noFollow.followRedirects = false
        let response = try client.get(noFollow)
        #expect(response.status == 302)
        #expect(response.header("Location") == "/ok")
    }

    @Test func tooManyRedirectsIsCurl47() throws {
        let server = try LocalHTTPServer()
        let error = try #require(throws: HTTPError.self) { try client.get(request(server.url("/redirect-loop"))) }
        #expect(error.curlCode == 47)
    }

    @Test func customHeadersAndUserAgentAreSent() throws {
        let server = try LocalHTTPServer()
        let response = try client.get(
            request(server.url("/echo"), headers: [("Last-Event-ID", #"[{"topic":"eqiad.x","offset":-1}]"#), ("Accept", "text/event-stream")]))
        let echoed = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: String])
        #expect(echoed["Last-Event-ID"] == #"[{"topic":"eqiad.x","offset":-1}]"#)
        #expect(echoed["Accept"] == "text/event-stream")
        #expect(echoed["User-Agent"] == "Tributary/0.1 (+https://github.com/tributary; stream processing)")

        var custom = request(server.url("/echo"))
        custom.userAgent = "wikiedits-test/1.0"
        let second = try client.get(custom)
        let echoed2 = try #require(try JSONSerialization.jsonObject(with: Data(second.body)) as? [String: String])
        #expect(echoed2["User-Agent"] == "wikiedits-test/1.0")
    }

    @Test func headerInjectionIsRejected() throws {
        let error = try #require(throws: HTTPError.self) {
            try client.get(request("http://127.0.0.1:1/", headers: [("X-Bad", "a\r\nHost: evil")]))
        }
        #expect(error.curlCode == 43)
    }

    @Test func streamDeliversChunksIncrementally() throws {
        let server = try LocalHTTPServer()
        // Three events 0.5 s apart: each arrives in its own callback, well before the body ends.
        let clock = ContinuousClock()
        let start = clock.now
        var arrivals: [Duration] = []
        var parser = ServerSentEventsParser()
        var events: [ServerSentEvent] = []
        var status: Int?
        var contentType: String?
        let end = try client.stream(
            request(server.url("/sse?count=3&delay=0.5")),
            onHeaders: { code, headers in
                status = code
                contentType = headers.first { $0.name.lowercased() == "content-type" }?.value
            },
            onData: { bytes in
                let new = parser.feed(bytes)
                if !new.isEmpty { arrivals.append(start.duration(to: clock.now)) }
                events += new
                return true
            })
        let total = start.duration(to: clock.now)
        #expect(end == .completed)
        #expect(status == 200)
        #expect(contentType == "text/event-stream")
        #expect(events.map(\.data) == ["event 1", "event 2", "event 3"])
        #expect(events.map(\.lastEventID) == ["1", "2", "3"])
        #expect(arrivals.count == 3)
        #expect(total - arrivals[0] >= .milliseconds(700))
    }

    @Test func streamSeesFirstEventBeforeServerFinishes() throws {
        let server = try LocalHTTPServer()
        // The server sends one event, then holds the body open for 30 s: the first event must arrive at once.
        let clock = ContinuousClock()
        let start = clock.now
        var parser = ServerSentEventsParser()
        var first: ServerSentEvent?
        let end = try client.stream(request(server.url("/sse?count=1&hold=30"))) { bytes in
            first = parser.feed(bytes).first
            return first == nil
        }
        #expect(end == .stoppedByConsumer)
        #expect(first?.data == "event 1")
        #expect(start.duration(to: clock.now) < .seconds(5))
    }

    @Test func stalledServerTimesOutWithCurl28() throws {
        let server = try LocalHTTPServer()
        var stalled = request(server.url("/stall"), total: .seconds(20))
        stalled.lowSpeedLimit = 1
        stalled.lowSpeedTime = .seconds(1)
        let clock = ContinuousClock()
        let start = clock.now
        var status: Int?
        let error = try #require(throws: HTTPError.self) {
            try client.stream(stalled, onHeaders: { code, _ in status = code }) { _ in true }
        }
        #expect(error.curlCode == 28)
        #expect(error.status == 200)
        #expect(status == 200)
        #expect(start.duration(to: clock.now) < .seconds(6))
    }

    @Test func totalTimeoutIsCurl28() throws {
        let server = try LocalHTTPServer()
        let error = try #require(throws: HTTPError.self) {
            try client.stream(request(server.url("/sse-forever?interval=0.05"), total: .milliseconds(500))) { _ in true }
        }
        #expect(error.curlCode == 28)
    }

    @Test func cancelStopsARunningStream() throws {
        let server = try LocalHTTPServer()
        let stream = client.makeStream(request(server.url("/sse-forever?interval=0.05"), total: .seconds(30)))
        let firstData = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let outcome = Mutex<Result<HTTPStreamEnd, HTTPError>?>(nil)
        Thread.detachNewThread {
            var signalled = false
            let result = Result { () throws(HTTPError) -> HTTPStreamEnd in
                do {
                    return try stream.run { _ in
                        if !signalled {
                            signalled = true
                            firstData.signal()
                        }
                        return true
                    }
                } catch let error as HTTPError { throw error } catch { throw HTTPError(curlCode: -1, status: nil, message: "\(error)") }
            }
            outcome.withLock { $0 = result }
            finished.signal()
        }
        #expect(firstData.wait(timeout: .now() + 5) == .success)
        let clock = ContinuousClock()
        let start = clock.now
        stream.cancel()
        #expect(finished.wait(timeout: .now() + 5) == .success)
        #expect(start.duration(to: clock.now) < .seconds(3))
        #expect(outcome.withLock { try? $0?.get() } == .cancelled)
        #expect(stream.isCancelled)
        // Cancellation is permanent.
        #expect(try stream.run { _ in true } == .cancelled)
    }

    @Test func cancelStopsAStalledStream() throws {
        let server = try LocalHTTPServer()
        // No bytes flow, so only the progress callback (about once a second) can notice the cancellation.
        let stream = client.makeStream(request(server.url("/stall"), total: .seconds(30)))
        let headers = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let outcome = Mutex<HTTPStreamEnd?>(nil)
        Thread.detachNewThread {
            let end = try? stream.run(onHeaders: { _, _ in headers.signal() }) { _ in true }
            outcome.withLock { $0 = end }
            finished.signal()
        }
        #expect(headers.wait(timeout: .now() + 5) == .success)
        stream.cancel()
        #expect(finished.wait(timeout: .now() + 5) == .success)
        #expect(outcome.withLock { $0 } == .cancelled)
    }

    @Test func cancelBeforeRunDoesNotConnect() throws {
        let stream = client.makeStream(request("http://127.0.0.1:1/"))
        stream.cancel()
        #expect(try stream.run { _ in true } == .cancelled)
    }

    @Test func errorThrownByCallbackIsRethrown() throws {
        struct Stop: Error {}
        let server = try LocalHTTPServer()
        #expect(throws: Stop.self) {
            try client.stream(request(server.url("/sse?count=3"))) { _ in throw Stop() }
        }
        #expect(throws: Stop.self) {
            try client.stream(request(server.url("/sse?count=3")), onHeaders: { _, _ in throw Stop() }) { _ in true }
        }
    }

    @Test func streamRunCanSendANewRequestEachTime() throws {
        let server = try LocalHTTPServer()
        let stream = client.makeStream(request(server.url("/echo")))
        var body: [UInt8] = []
        try stream.run(sending: request(server.url("/echo"), headers: [("Last-Event-ID", "42")])) { bytes in
            body += bytes
            return true
        }
        let echoed = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: String])
        #expect(echoed["Last-Event-ID"] == "42")
    }

    @Test func selfSignedCertificateIsRejected() throws {
        // TLS verification is always on: a server with a self-signed certificate fails with curl code 60.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tributary-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate,
            "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ]
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0, "openssl could not make a test certificate")
        let server = try LocalHTTPServer(tls: (certificate, key))
        let error = try #require(throws: HTTPError.self) {
            try client.get(request("https://127.0.0.1:\(server.port)/ok"))
        }
        #expect(error.curlCode == 60)
    }

    @Test func fileURLDownload() throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/recentchange-20221211T0427Z-raw-sse-wiki_visualizer.events")
        let response = try client.get(request(fixture.absoluteString))
        #expect(response.status == 0)
        #expect(response.body == Array(try Data(contentsOf: fixture)))

        // Streaming a file through the SSE parser gives the recorded events.
        var parser = ServerSentEventsParser()
        var events: [ServerSentEvent] = []
        let end = try client.stream(request(fixture.absoluteString)) { bytes in
            events += parser.feed(bytes)
            return true
        }
        events += parser.finish(dispatchIncomplete: true)
        #expect(end == .completed)
        #expect(events.count == 3)
    }

    @Test func missingFileIsCurl37() throws {
        let error = try #require(throws: HTTPError.self) { try client.get(request("file:///nonexistent/tributary-test-file")) }
        #expect(error.curlCode == 37)
    }

    @Test func disallowedProtocolIsRejected() throws {
        let error = try #require(throws: HTTPError.self) { try client.get(request("ftp://127.0.0.1:1/x")) }
        #expect(error.curlCode == 1)  // CURLE_UNSUPPORTED_PROTOCOL
    }
}
