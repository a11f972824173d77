import Foundation
import TributaryHTTP

/// The loopback test server (`Fixtures/ingest_test_server.py`) running as a child process on 127.0.0.1
/// (the pattern of TributaryHTTPTests' LocalHTTPServer).
///
/// Invariants: the child listens only on 127.0.0.1; it exits when its stdin pipe closes, so it cannot outlive
/// this object or the test process (and it exits by itself after 120 s in any case).
final class LocalIngestServer {
    /// The port the server listens on.
    let port: Int
    private let process: Process
    private let stdin: Pipe

    /// Starts the server with the script's command-line arguments and waits for it to report its port.
    init(arguments: [String]) throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/ingest_test_server.py")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", script.path] + arguments
        stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        var text = ""
        while !text.contains("\n") {
            let data = stdout.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw ServerError(message: "test server did not report a port: \(text)")
        }
        self.port = port
    }

    deinit {
        try? stdin.fileHandleForWriting.close()
        process.terminate()
        process.waitUntilExit()
    }

    /// The URL of `path` (starting with "/") on this server.
    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// GETs `path` and decodes its JSON body (for /log and /requests).
    func json<T: Decodable>(_ path: String, as type: T.Type) throws -> T {
        let response = try HTTPClient().get(HTTPRequest(url: url(path), totalTimeout: .seconds(10)))
        return try JSONDecoder().decode(T.self, from: Data(response.body))
    }

    /// A failure to start the server.
    struct ServerError: Error {
        var message: String
    }
}
