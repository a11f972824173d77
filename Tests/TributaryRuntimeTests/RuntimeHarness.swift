import Foundation
import Logging
import TributaryCore
import TributaryKafka

@testable import TributaryRuntime

/// Helpers for running apps against an `EmbeddedKafkaCluster` in tests.
enum RuntimeHarness {
    static func config(_ cluster: EmbeddedKafkaCluster, app: String, threads: Int) -> StreamsConfig {
        var config = StreamsConfig(applicationID: app, bootstrapServers: cluster.bootstrapServers)
        config.threads = threads
        config.stateDirectory = temporaryStateDirectory()
        config.commitInterval = .milliseconds(200)
        config.consumerOverrides = ["session.timeout.ms": "6000", "heartbeat.interval.ms": "500", "fetch.wait.max.ms": "20"]
        return config
    }

    /// A new, empty state directory under the system's temporary directory.
    static func temporaryStateDirectory() -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("tributary-test-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Produces `records` as (key, value) to `topic`, spreading keys with the default partitioner.
    static func produce(_ records: [(String, String)], topic: String, cluster: EmbeddedKafkaCluster, timestamp: (Int) -> Int64)
        throws
    {
        let producer = try KafkaProducer(config: [
            "bootstrap.servers": cluster.bootstrapServers, "linger.ms": "20", "batch.num.messages": "10000",
        ])
        defer { producer.close() }
        for (index, (key, value)) in records.enumerated() {
            try producer.send(topic: topic, key: Array(key.utf8), value: Array(value.utf8), timestamp: timestamp(index))
        }
        try producer.flush(timeout: .seconds(60))
    }

    /// Runs `app` until its committed offsets of `topic` reach the topic's end (every record taken and
    /// committed) or `timeout` passes, then stops it cleanly. Returns whether the end was reached.
    @discardableResult
    static func runUntilCaughtUp(
        _ app: StreamsApp, topic: String, partitions: Int, cluster: EmbeddedKafkaCluster, timeout: Duration,
        thenInternal internalTopics: [(topic: String, partitions: Int)] = [],
        afterAssignment: (() throws -> Void)? = nil
    ) throws -> Bool {
        try app.start()
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        if let afterAssignment {
            // Every thread owns tasks before the input arrives, so no rebalance happens mid-run (the mock broker
            // refuses commits while its group rebalances, which makes at-least-once re-process records).
            while app.firstAssignmentMs == nil && clock.now < deadline { Thread.sleep(forTimeInterval: 0.05) }
            try afterAssignment()
        }
        let ends = try highWatermarks(topic: topic, partitions: partitions, cluster: cluster)
        var caughtUp = try waitForCommits(app, topic: topic, partitions: partitions, ends: ends, cluster: cluster, until: deadline)
        // Records reach an internal topic before the input offsets that produced them are committed, so its end
        // is final once the inputs are caught up.
        for repartition in internalTopics where caughtUp {
            let internalEnds = try highWatermarks(
                topic: repartition.topic, partitions: repartition.partitions, cluster: cluster)
            caughtUp = try waitForCommits(
                app, topic: repartition.topic, partitions: repartition.partitions, ends: internalEnds, cluster: cluster,
                until: deadline)
        }
        app.stop()
        try app.waitUntilStopped()
        return caughtUp
    }

    /// Waits until the committed offsets of `app`'s group on `topic` equal `ends` or `deadline` passes.
    static func waitForCommits(
        _ app: StreamsApp, topic: String, partitions: Int, ends: [Int32: Int64], cluster: EmbeddedKafkaCluster,
        until deadline: ContinuousClock.Instant
    ) throws -> Bool {
        while ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.25)
            let committed = try committedOffsets(
                group: app.config.applicationID, topic: topic, partitions: partitions, cluster: cluster)
            if committed == ends { return true }
        }
        return false
    }

    static func readAll(_ topic: String, cluster: EmbeddedKafkaCluster) throws -> [ConsumerMessage] {
        try TopicReader.readAll(
            topic: topic, partitions: cluster.partitionCount(of: topic) ?? 1, bootstrapServers: cluster.bootstrapServers)
    }

    static func committedOffsets(group: String, topic: String, partitions: Int, cluster: EmbeddedKafkaCluster) throws
        -> [Int32: Int64]
    {
        let consumer = try KafkaConsumer(config: ["bootstrap.servers": cluster.bootstrapServers, "group.id": group])
        defer { try? consumer.close() }
        let committed = try consumer.committed(
            (0..<Int32(partitions)).map { TopicPartition(topic: topic, partition: $0) }, timeout: .seconds(10))
        return Dictionary(uniqueKeysWithValues: committed.map { ($0.partition, $0.offset) })
    }

    static func highWatermarks(topic: String, partitions: Int, cluster: EmbeddedKafkaCluster) throws -> [Int32: Int64] {
        let consumer = try KafkaConsumer(config: ["bootstrap.servers": cluster.bootstrapServers, "group.id": "watermarks"])
        defer { try? consumer.close() }
        var result: [Int32: Int64] = [:]
        for partition in 0..<Int32(partitions) {
            result[partition] = try consumer.watermarks(topic: topic, partition: partition, timeout: .seconds(10)).high
        }
        return result
    }
}
