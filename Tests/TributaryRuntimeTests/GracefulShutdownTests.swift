import Foundation
import Testing
import TributaryCore
import TributaryKafka
import WikiEditsTopology

@testable import TributaryRuntime

/// The `wikiedits` binary commits and exits 0 on SIGTERM, and a second run resumes where it stopped.
@Suite(.serialized) struct GracefulShutdownTests {
    /// The directory holding the test bundle also holds the package's executables.
    static var binDirectory: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    }

    static func recording() throws -> [(String, String)] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let file = root.appendingPathComponent(
            "data/wikimedia/recentchange-20260226T1549Z-multiwiki-wikistream-lakehouse.jsonl")
        return try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return ((object?["wiki"] as? String) ?? "", String(line))
        }
    }

    func runBinaryUntilCaughtUp(
        cluster: EmbeddedKafkaCluster, expectedOffsets: [Int32: Int64], stateDirectory: String
    ) throws -> Int32 {
        let process = Process()
        process.executableURL = Self.binDirectory.appendingPathComponent("wikiedits")
        process.arguments = [
            "run", "--bootstrap-servers", cluster.bootstrapServers, "--application-id", "wikiedits-sigterm",
            "--state-dir", stateDirectory,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        while clock.now < deadline {
            Thread.sleep(forTimeInterval: 0.25)
            let committed = try RuntimeHarness.committedOffsets(
                group: "wikiedits-sigterm", topic: "wikimedia.recentchange", partitions: 2, cluster: cluster)
            if committed == expectedOffsets { break }
        }
        process.terminate()  // SIGTERM
        let exitDeadline = clock.now + .seconds(20)
        while process.isRunning && clock.now < exitDeadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            Issue.record("wikiedits ignored SIGTERM for 20 s")
        }
        return process.terminationStatus
    }

    @Test(.timeLimit(.minutes(3)))
    func sigtermCommitsAndExitsCleanlyAndARestartResumes() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binDirectory.appendingPathComponent("wikiedits").path)
        else {
            Issue.record("wikiedits binary not found next to the test bundle in \(Self.binDirectory.path)")
            return
        }
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        defer { cluster.shutdown() }
        try cluster.createTopic("wikimedia.recentchange", partitions: 2)
        try cluster.createTopic("wikimedia.edits", partitions: 2)
        try cluster.createTopic("wikimedia.edits-per-minute", partitions: 2)
        // The mock has no CreateTopics: make the internal topics the binary would create on a real cluster.
        for spec in try WikiEditsTopology.make().internalTopicSpecs(
            applicationID: "wikiedits-sigterm", externalPartitionCounts: ["wikimedia.recentchange": 2])
        {
            try cluster.createTopic(spec.topic, partitions: spec.partitions)
        }
        let stateDirectory = RuntimeHarness.temporaryStateDirectory()
        defer { try? FileManager.default.removeItem(atPath: stateDirectory) }
        let events = try Self.recording()
        try RuntimeHarness.produce(events, topic: "wikimedia.recentchange", cluster: cluster) { _ in 0 }
        let ends = try RuntimeHarness.highWatermarks(topic: "wikimedia.recentchange", partitions: 2, cluster: cluster)
        #expect(try runBinaryUntilCaughtUp(cluster: cluster, expectedOffsets: ends, stateDirectory: stateDirectory) == 0)
        // 10 of the 50 events are human article edits (scripts/derive-wikiedits-expectations.py).
        #expect(try RuntimeHarness.readAll("wikimedia.edits", cluster: cluster).count == 10)

        try RuntimeHarness.produce(events, topic: "wikimedia.recentchange", cluster: cluster) { _ in 0 }
        let newEnds = try RuntimeHarness.highWatermarks(topic: "wikimedia.recentchange", partitions: 2, cluster: cluster)
        #expect(try runBinaryUntilCaughtUp(cluster: cluster, expectedOffsets: newEnds, stateDirectory: stateDirectory) == 0)
        // Only the second copy is processed: 10 more, none of the first copy again.
        #expect(try RuntimeHarness.readAll("wikimedia.edits", cluster: cluster).count == 20)
    }
}
