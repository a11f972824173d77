import Foundation
import Testing
import TributaryCore
import TributaryKafka

@testable import TributaryRuntime

/// Two pre-filled topics merged in one task come out in event-time order, the same on every run.
@Suite(.serialized) struct TimestampOrderRuntimeTests {
    struct Input {
        var key: String
        var value: String
        var timestamp: Int64
    }

    /// Left every 3 ms, right every 2 ms, so they interleave and tie every 6 ms; each topic is in time order.
    static let left: [Input] = (0..<2_000).map { Input(key: "k\($0 % 7)", value: "L\($0)", timestamp: 10_000 + 3 * Int64($0)) }
    static let right: [Input] = (0..<2_000).map { Input(key: "k\($0 % 5)", value: "R\($0)", timestamp: 10_000 + 2 * Int64($0)) }

    /// The merge order computed without the engine: by timestamp; ties go to the topic that sorts first ("left").
    static var expectedOrder: [String] {
        let tagged: [(Int64, Int, String)] = left.map { ($0.timestamp, 0, $0.value) } + right.map { ($0.timestamp, 1, $0.value) }
        return tagged.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map { $0.2 }
    }

    /// `right` lives on a broker that answers 400 ms late, so its records reach the task well after `left`'s:
    /// only the wait rule (the broker may still hold data for the empty partition) keeps the merge in time order.
    func runOnce(threads: Int) throws -> [String] {
        let cluster = try EmbeddedKafkaCluster(brokers: 2)
        defer { cluster.shutdown() }
        for topic in ["left", "right", "merged"] { try cluster.createTopic(topic, partitions: 1) }
        try cluster.setPartitionLeader(topic: "left", partition: 0, broker: 1)
        try cluster.setPartitionLeader(topic: "right", partition: 0, broker: 2)
        try RuntimeHarness.produce(Self.left.map { ($0.key, $0.value) }, topic: "left", cluster: cluster) {
            Self.left[$0].timestamp
        }
        try RuntimeHarness.produce(Self.right.map { ($0.key, $0.value) }, topic: "right", cluster: cluster) {
            Self.right[$0].timestamp
        }
        let builder = StreamsBuilder()
        builder.stream("left", key: .string, value: .string)
            .merge(builder.stream("right", key: .string, value: .string))
            .to("merged", key: .string, value: .string)
        try cluster.setBrokerRTT(2, milliseconds: 400)
        let app = StreamsApp(
            topology: try builder.build(), config: RuntimeHarness.config(cluster, app: "merge-order", threads: threads))
        #expect(try RuntimeHarness.runUntilCaughtUp(app, topic: "left", partitions: 1, cluster: cluster, timeout: .seconds(60)))
        let merged = try RuntimeHarness.readAll("merged", cluster: cluster)
        let times = merged.map { $0.timestamp }
        #expect(times == times.sorted())
        return merged.map { String(decoding: $0.value ?? [], as: UTF8.self) }
    }

    @Test(.timeLimit(.minutes(2)))
    func mergedTopicsComeOutInTimestampOrderOnEveryRun() throws {
        let expected = Self.expectedOrder
        for threads in [1, 2] {
            let output = try runOnce(threads: threads)
            #expect(output.count == expected.count)
            #expect(output == expected, "run with \(threads) threads differs from the timestamp order")
        }
    }
}
