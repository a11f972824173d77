import Foundation
import Testing
import TributaryHTTP
import TributaryRuntime

/// Runs GeoRisk deployments for the operations tests: a `tributary dev-cluster` process with GeoRisk's topics,
/// the bundled sample replayed into it by the connectors, and `georisk` processes with query ports.
final class GeoRiskDeployment {
    let bootstrapServers: String
    let application: String
    let partitions: Int
    let work: URL
    private let cluster: Process
    private var instances: [String: Process] = [:]

    /// Starts a dev cluster with every topic of `application` at `partitions` partitions and replays the first
    /// 12 bundled GDELT exports and the Wikipedia sample into it.
    init(application: String, partitions: Int) throws {
        self.application = application
        self.partitions = partitions
        work = URL(fileURLWithPath: RuntimeHarness.temporaryStateDirectory())
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        let topics = try GeoRiskEndToEndTests.run(
            "georisk", ["topics", "--application-id", application, "--partitions", "\(partitions)"]
        ).split(separator: "\n").flatMap { ["--topic", String($0)] }
        cluster = Process()
        cluster.executableURL = GracefulShutdownTests.binDirectory.appendingPathComponent("tributary")
        cluster.arguments = ["dev-cluster", "--brokers", "1"] + topics
        let output = Pipe()
        cluster.standardOutput = output
        cluster.standardError = FileHandle.nullDevice
        try cluster.run()
        var line: [UInt8] = []
        while let byte = try output.fileHandleForReading.read(upToCount: 1)?.first, byte != 0x0A { line.append(byte) }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("bootstrap.servers=") else {
            cluster.terminate()
            throw DeploymentError(message: "dev-cluster printed '\(text)'")
        }
        bootstrapServers = String(text.dropFirst("bootstrap.servers=".count))

        try GeoRiskEndToEndTests.ingest(bootstrapServers: bootstrapServers, work: work)
    }

    /// Starts `georisk run` as instance `id` with a query port; `extra` adds options (`--partitions 0-1`).
    @discardableResult
    func start(_ id: String, port: Int, _ extra: [String] = []) throws -> Process {
        let process = Process()
        process.executableURL = GracefulShutdownTests.binDirectory.appendingPathComponent("georisk")
        process.arguments = [
            "run", "--bootstrap-servers", bootstrapServers, "--application-id", application, "--state-dir",
            work.appendingPathComponent("state-\(id)").path, "--instance-id", id, "--query-port", "\(port)",
            "--idle-close-seconds", "0", "--gazetteer",
            GeoRiskEndToEndTests.root.appendingPathComponent("data/georisk/gazetteer.tsv").path,
            "--consumer-property", "session.timeout.ms=6000", "--consumer-property", "heartbeat.interval.ms=500",
        ] + extra
        process.standardOutput = FileHandle.nullDevice
        let log = work.appendingPathComponent("\(id).log")
        if !FileManager.default.fileExists(atPath: log.path) {
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: log)
        try handle.seekToEnd()
        process.standardError = handle
        try process.run()
        instances[id] = process
        return process
    }

    /// The end of instance `id`'s log.
    func log(_ id: String) -> String {
        String((try? String(contentsOf: work.appendingPathComponent("\(id).log"), encoding: .utf8))?.suffix(3000) ?? "")
    }

    func kill(_ id: String) {
        guard let process = instances.removeValue(forKey: id) else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// Stops every instance (SIGTERM, then SIGKILL after 20 s) and the cluster, and removes the work directory.
    func shutdown() {
        for (_, process) in instances where process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(20)
        for (_, process) in instances {
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
            if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
        }
        instances = [:]
        cluster.terminate()
        cluster.waitUntilExit()
        try? FileManager.default.removeItem(at: work)
    }

    /// The latest signal per country in `risk.signals` (by window start): what `country-risk-latest` must hold.
    func latestSignals() throws -> [String: [String: Any]] {
        var latest: [String: [String: Any]] = [:]
        for message in try TopicReader.readAll(topic: "risk.signals", partitions: partitions, bootstrapServers: bootstrapServers) {
            guard let object = try JSONSerialization.jsonObject(with: Data(message.value ?? [])) as? [String: Any],
                let country = object["country"] as? String, let start = (object["startMs"] as? NSNumber)?.int64Value
            else { continue }
            if let current = latest[country], ((current["startMs"] as? NSNumber)?.int64Value ?? 0) > start { continue }
            latest[country] = object
        }
        return latest
    }

    /// A free TCP port on 127.0.0.1 (bound and released; another process could take it in between, rarely).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw DeploymentError(message: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func get(_ port: Int, _ path: String) throws -> HTTPResponse {
        try HTTPClient().fetch(HTTPRequest(
            url: "http://127.0.0.1:\(port)\(path)", connectTimeout: .seconds(2), totalTimeout: .seconds(10)))
    }

    struct DeploymentError: Error { let message: String }
}
