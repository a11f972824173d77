import Foundation
import Testing
import TributaryCore
import TributaryKafka

@testable import TributaryRuntime

/// Stores survive restarts: with local state only the changelog's tail is replayed, without it the whole
/// changelog is; either way the counts continue exactly where they stopped.
@Suite(.serialized) struct RestorationRuntimeTests {
    static let app = "restore-app"
    static let changelog = "restore-app-clicks-per-user-changelog"

    static func prepare() throws -> EmbeddedKafkaCluster {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        for topic in ["clicks", "click-counts", changelog] { try cluster.createTopic(topic, partitions: 2) }
        return cluster
    }

    static func records(_ range: Range<Int>) -> [(String, String)] {
        range.map { index in ("user\(index * 11 % 37)", "page\(index)") }
    }

    static func expectedCounts(_ records: [(String, String)]) -> [String: Int64] {
        var counts: [String: Int64] = [:]
        for (user, _) in records { counts[user, default: 0] += 1 }
        return counts
    }

    /// The last count the output holds per user.
    static func latestCounts(_ cluster: EmbeddedKafkaCluster) throws -> [String: Int64] {
        var latest: [String: Int64] = [:]
        for message in try RuntimeHarness.readAll("click-counts", cluster: cluster) {
            latest[String(decoding: message.key ?? [], as: UTF8.self)] = try Serde<Int64>.int64.deserializeOptional(message.value)
        }
        return latest
    }

    static func run(_ cluster: EmbeddedKafkaCluster, stateDirectory: String) throws -> StreamsApp {
        var config = RuntimeHarness.config(cluster, app: app, threads: 1)
        config.stateDirectory = stateDirectory
        let app = StreamsApp(topology: try AggregationRuntimeTests.topology(app: "clicks-per-user"), config: config)
        #expect(try RuntimeHarness.runUntilCaughtUp(app, topic: "clicks", partitions: 2, cluster: cluster, timeout: .seconds(60)))
        return app
    }

    @Test(.timeLimit(.minutes(2)), arguments: [true, false])
    func countsContinueExactlyAfterARestart(keepLocalState: Bool) throws {
        let cluster = try Self.prepare()
        defer { cluster.shutdown() }
        let first = Self.records(0..<3_000)
        try RuntimeHarness.produce(first, topic: "clicks", cluster: cluster) { Int64(1_000 + $0) }
        let stateDirectory = RuntimeHarness.temporaryStateDirectory()
        let firstRun = try Self.run(cluster, stateDirectory: stateDirectory)
        #expect(firstRun.recordsRestored == 0)
        #expect(try Self.latestCounts(cluster) == Self.expectedCounts(first))

        let changelogRecords = try RuntimeHarness.readAll(Self.changelog, cluster: cluster).count
        #expect(changelogRecords > 0)
        if !keepLocalState { try FileManager.default.removeItem(atPath: stateDirectory) }
        let second = Self.records(3_000..<5_000)
        try RuntimeHarness.produce(second, topic: "clicks", cluster: cluster) { Int64(10_000 + $0) }
        let secondRun = try Self.run(cluster, stateDirectory: stateDirectory)

        // After a clean stop the checkpoint is the changelog's end: nothing to replay. Without local state every
        // changelog record of the first run is replayed (the latest count per user per commit; no compaction).
        #expect(secondRun.recordsRestored == (keepLocalState ? 0 : changelogRecords))
        #expect(try Self.latestCounts(cluster) == Self.expectedCounts(first + second))
    }
}
