import Foundation
import Testing
import TributaryKafka

/// Replay for recomputation on GeoRisk (issue 7): run GeoRisk over the bundled sample, `tributary replay
/// --to-earliest` (refused while an instance runs; `--dry-run` changes nothing), run again with the cleared state
/// directory: the tables and the signals are identical. On the embedded (mock) cluster, which cannot delete topics,
/// replay moves the internal topics to a new generation (`<app>-g1-...`), which the test creates.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct GeoRiskReplayTests {
    static let app = "georisk-replay"

    static func createTopics(_ cluster: EmbeddedKafkaCluster, prefix: String) throws {
        for line in try GeoRiskEndToEndTests.run("georisk", ["topics", "--application-id", prefix]).split(separator: "\n") {
            let parts = line.split(separator: ":")
            if cluster.partitionCount(of: String(parts[0])) == nil {
                try cluster.createTopic(String(parts[0]), partitions: Int(parts[1])!)
            }
        }
    }

    /// The latest value per key of a changelog topic, as (key, value) bytes sorted by key.
    static func table(_ topic: String, _ cluster: EmbeddedKafkaCluster) throws -> [[UInt8]: [UInt8]] {
        var latest: [[UInt8]: [UInt8]] = [:]
        for message in try RuntimeHarness.readAll(topic, cluster: cluster) { latest[message.key ?? []] = message.value }
        return latest
    }

    static func committed(_ cluster: EmbeddedKafkaCluster) throws -> [String: [Int32: Int64]] {
        var offsets: [String: [Int32: Int64]] = [:]
        for topic in ["gdelt.events", "wikimedia.recentchange"] {
            offsets[topic] = try RuntimeHarness.committedOffsets(group: app, topic: topic, partitions: 1, cluster: cluster)
        }
        return offsets
    }

    static func replay(_ cluster: EmbeddedKafkaCluster, stateDirectory: String, _ extra: [String] = []) throws -> Process {
        let process = Process()
        process.executableURL = GracefulShutdownTests.binDirectory.appendingPathComponent("tributary")
        process.arguments = [
            "replay", "--app", app, "--bootstrap-servers", cluster.bootstrapServers, "--to-earliest", "--state-dir",
            stateDirectory,
        ] + extra
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return process
    }

    @Test func replayToEarliestThenRunningAgainGivesIdenticalTablesAndSignals() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        let work = URL(fileURLWithPath: RuntimeHarness.temporaryStateDirectory())
        defer { try? FileManager.default.removeItem(at: work) }
        try Self.createTopics(cluster, prefix: Self.app)
        try GeoRiskEndToEndTests.ingest(into: cluster, work: work)
        let state = work.appendingPathComponent("state").path
        try GeoRiskEndToEndTests.runGeoRisk(app: Self.app, cluster: cluster, stateDirectory: state)
        let signals = try RuntimeHarness.readAll("risk.signals", cluster: cluster)
        #expect(signals.count > 500)
        let latest = try Self.table("\(Self.app)-country-risk-latest-changelog", cluster)
        let byWindow = try Self.table("\(Self.app)-risk-by-window-changelog", cluster)
        #expect(!latest.isEmpty && byWindow.count == signals.count)
        let processed = try Self.committed(cluster)

        // --dry-run prints the plan and changes nothing.
        let dryRun = try Self.replay(cluster, stateDirectory: state, ["--dry-run"])
        #expect(dryRun.terminationStatus == 0)
        #expect(try Self.committed(cluster) == processed)
        #expect(FileManager.default.fileExists(atPath: state + "/" + Self.app))

        // Refused while an instance runs.
        let running = Process()
        running.executableURL = GracefulShutdownTests.binDirectory.appendingPathComponent("georisk")
        running.arguments = [
            "run", "--bootstrap-servers", cluster.bootstrapServers, "--application-id", Self.app, "--state-dir", state,
            "--idle-close-seconds", "0",
        ]
        running.standardOutput = FileHandle.nullDevice
        running.standardError = FileHandle.nullDevice
        try running.run()
        Thread.sleep(forTimeInterval: 8)
        let refused = try Self.replay(cluster, stateDirectory: state)
        #expect(refused.terminationStatus != 0, "replay must refuse while georisk runs")
        #expect(try Self.committed(cluster) == processed)
        running.terminate()
        running.waitUntilExit()

        // Replay, then run again: the same tables and signals, in the new generation's internal topics.
        #expect(QueryPortRuntimeTests.eventually(.seconds(60)) {
            (try? Self.replay(cluster, stateDirectory: state).terminationStatus) == 0
        }, "replay succeeds once the instance has left")
        #expect(try Self.committed(cluster).values.allSatisfy { $0.values.allSatisfy { $0 <= 0 } })
        #expect(!FileManager.default.fileExists(atPath: state + "/" + Self.app + "/0_0"))
        try Self.createTopics(cluster, prefix: "\(Self.app)-g1")
        try GeoRiskEndToEndTests.runGeoRisk(app: Self.app, cluster: cluster, stateDirectory: state)
        let all = try RuntimeHarness.readAll("risk.signals", cluster: cluster)
        #expect(all.count == 2 * signals.count)
        #expect(all.dropFirst(signals.count).map { $0.value ?? [] } == signals.map { $0.value ?? [] })
        #expect(try Self.table("\(Self.app)-g1-country-risk-latest-changelog", cluster) == latest)
        #expect(try Self.table("\(Self.app)-g1-risk-by-window-changelog", cluster) == byWindow)
        cluster.shutdown()
    }
}
