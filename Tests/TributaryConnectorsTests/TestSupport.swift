import Foundation
import Logging
import Testing
import TributaryConnectors
import TributaryKafka

/// Paths, an embedded cluster with the connector topics, and reading topics back.
enum TestSupport {
    /// The repository root (three levels above this file).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// A path under the repository's `data/`.
    static func data(_ relative: String) -> String { repositoryRoot.appendingPathComponent("data/\(relative)").path }

    /// The shared data set beside the repository (`../shared/data`), present on development machines and in CI.
    static let sharedData = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data").path

    /// Whether `../shared/data/gdelt` exists.
    static var hasSharedGDELT: Bool { FileManager.default.fileExists(atPath: sharedData + "/gdelt") }

    /// A logger that stays quiet below warnings.
    static var logger: Logger {
        var logger = Logger(label: "tributary.connectors.tests")
        logger.logLevel = .warning
        return logger
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "tributary-connectors-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// An embedded cluster with `topic` and `topic.dlq` (one partition each).
    static func cluster(topic: String) throws -> EmbeddedKafkaCluster {
        let cluster = try EmbeddedKafkaCluster(brokers: 1, defaultPartitions: 1)
        try cluster.createTopic(topic, partitions: 1)
        try cluster.createTopic(topic + ".dlq", partitions: 1)
        return cluster
    }

    /// Every record of partition 0 of `topic`: reads until the high watermark (asked after the producer flushed).
    static func readAll(_ cluster: EmbeddedKafkaCluster, topic: String) throws -> [ConsumerMessage] {
        let consumer = try KafkaConsumer(config: [
            "bootstrap.servers": cluster.bootstrapServers, "group.id": "connector-tests-\(UUID().uuidString)",
            "fetch.wait.max.ms": "50",
        ])
        defer { try? consumer.close() }
        let high = try consumer.watermarks(topic: topic, partition: 0, timeout: .seconds(10)).high
        guard high > 0 else { return [] }
        try consumer.assign([TopicPartitionOffset(topic: topic, partition: 0, offset: TopicPartitionOffset.beginning)])
        var messages: [ConsumerMessage] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while messages.count < Int(high), ContinuousClock.now < deadline {
            messages += try consumer.poll(maxMessages: 5000, timeout: .milliseconds(100))
        }
        return messages
    }

    /// A header's value as text.
    static func header(_ message: ConsumerMessage, _ key: String) -> String? {
        message.headers.first { $0.key == key }?.value.map { String(decoding: $0, as: UTF8.self) }
    }

    /// The value as a JSON object.
    static func json(_ message: ConsumerMessage) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(message.value ?? [])) as? [String: Any])
    }

    /// Runs `body` on a thread; waits at most `timeout`, calling `stop` if it has not finished by then.
    /// Returns whether it finished in time.
    static func runBounded(timeout: Duration, stop: () -> Void, _ body: @escaping @Sendable () -> Void) -> Bool {
        let done = DispatchSemaphore(value: 0)
        Thread {
            body()
            done.signal()
        }.start()
        let seconds = Double(timeout.components.seconds)
        if done.wait(timeout: .now() + seconds) == .success { return true }
        stop()
        _ = done.wait(timeout: .now() + 10)
        return false
    }
}
