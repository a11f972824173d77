import Foundation
import Glibc

/// The loopback test server (`Fixtures/http_test_server.py`) running as a child process on 127.0.0.1.
///
/// Invariants: the child listens only on 127.0.0.1; it exits when its stdin pipe closes, so it cannot outlive
/// this object or the test process (and it exits by itself after 120 s in any case).
final class LocalHTTPServer {
    /// The port the server listens on.
    let port: Int
    private let process: Process
    private let stdin: Pipe

    /// Starts the server and waits for it to report its port.
    /// - Parameter tls: a certificate and key file to serve HTTPS with instead of HTTP.
    init(tls: (certificate: String, key: String)? = nil) throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/http_test_server.py")
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", script.path] + (tls.map { ["--tls", $0.certificate, $0.key] } ?? [])
        stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        // The first line is the port; EOF (the script failed) ends the read.
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

    /// A failure to start the server.
    struct ServerError: Error {
        var message: String
    }

    /// A 127.0.0.1 port nothing listens on: bound to learn a free port, then closed.
    static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError(message: "socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard bound else { throw ServerError(message: "bind failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
