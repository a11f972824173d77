import Foundation
import Testing
import TributaryCore
import TributaryKafka

@testable import TributaryRuntime

/// Key-grouped counts on the embedded cluster: the table's changes and the changelog match counts computed
/// independently by the test.
@Suite(.serialized) struct AggregationRuntimeTests {
    static func topology(app store: String = "clicks-per-user") throws -> Topology {
        let builder = StreamsBuilder()
        builder.stream("clicks", key: .string, value: .string)
            .groupByKey(key: .string, value: .string)
            .count(named: "count-clicks", materializedAs: store)
            .toStream()
            .to("click-counts", key: .string, value: .optional(.int64))
        return try builder.build()
    }

    @Test(.timeLimit(.minutes(2)))
    func countsAndTheirChangelogMatchIndependentlyComputedTotals() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        defer { cluster.shutdown() }
        for topic in ["clicks", "click-counts", "clicks-app-clicks-per-user-changelog"] {
            try cluster.createTopic(topic, partitions: 3)
        }
        let records = (0..<5_000).map { index in ("user\(index * 7 % 41)", "page\(index)") }
        var expected: [String: Int64] = [:]
        for (user, _) in records { expected[user, default: 0] += 1 }
        let app = StreamsApp(topology: try Self.topology(), config: RuntimeHarness.config(cluster, app: "clicks-app", threads: 2))
        #expect(try RuntimeHarness.runUntilCaughtUp(
            app, topic: "clicks", partitions: 3, cluster: cluster, timeout: .seconds(60),
            afterAssignment: { try RuntimeHarness.produce(records, topic: "clicks", cluster: cluster) { Int64(1_000 + $0) } }))

        // The last update per key in the output is the total.
        var latest: [String: Int64] = [:]
        for message in try RuntimeHarness.readAll("click-counts", cluster: cluster) {
            latest[String(decoding: message.key ?? [], as: UTF8.self)] = try Serde<Int64>.int64.deserializeOptional(message.value)
        }
        #expect(latest == expected)
        // The changelog rebuilds the same table, and each key's records are in its key's partition.
        var rebuilt: [String: Int64] = [:]
        for message in try RuntimeHarness.readAll("clicks-app-clicks-per-user-changelog", cluster: cluster) {
            #expect(message.partition == KeyPartitioner.partition(key: message.key, count: 3))
            rebuilt[String(decoding: message.key ?? [], as: UTF8.self)] = try Serde<Int64>.int64.deserializeOptional(message.value)
        }
        #expect(rebuilt == expected)
    }

    @Test(.timeLimit(.minutes(2)))
    func groupByRoutesEveryPageThroughTheRepartitionTopicAndCountsExactly() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        defer { cluster.shutdown() }
        for topic in ["clicks", "page-counts", "pages-app-pages-repartition", "pages-app-views-per-page-changelog"] {
            try cluster.createTopic(topic, partitions: 3)
        }
        let builder = StreamsBuilder()
        builder.stream("clicks", key: .string, value: .string)
            .groupBy(named: "pages", key: .string, value: .string) { _, page in page }
            .count(materializedAs: "views-per-page")
            .toStream()
            .to("page-counts", key: .string, value: .optional(.int64))
        // Keyed by user, counted by page: every page's clicks are spread over the input partitions.
        let records = (0..<6_000).map { index in ("user\(index % 97)", "page\(index * 13 % 29)") }
        var expected: [String: Int64] = [:]
        for (_, page) in records { expected[page, default: 0] += 1 }
        let app = StreamsApp(topology: try builder.build(), config: RuntimeHarness.config(cluster, app: "pages-app", threads: 2))
        #expect(try RuntimeHarness.runUntilCaughtUp(
            app, topic: "clicks", partitions: 3, cluster: cluster, timeout: .seconds(90),
            thenInternal: [("pages-app-pages-repartition", 3)],
            afterAssignment: { try RuntimeHarness.produce(records, topic: "clicks", cluster: cluster) { Int64(1_000 + $0) } }))

        var latest: [String: Int64] = [:]
        for message in try RuntimeHarness.readAll("page-counts", cluster: cluster) {
            latest[String(decoding: message.key ?? [], as: UTF8.self)] = try Serde<Int64>.int64.deserializeOptional(message.value)
            #expect(message.partition == KeyPartitioner.partition(key: message.key, count: 3))
        }
        #expect(latest == expected)
        #expect(try RuntimeHarness.readAll("pages-app-pages-repartition", cluster: cluster).count == records.count)
    }

    @Test(.timeLimit(.minutes(1)))
    func aChangelogWithTheWrongPartitionCountIsRefusedAtStart() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        defer { cluster.shutdown() }
        try cluster.createTopic("clicks", partitions: 3)
        try cluster.createTopic("clicks-app-clicks-per-user-changelog", partitions: 1)
        let app = StreamsApp(topology: try Self.topology(), config: RuntimeHarness.config(cluster, app: "clicks-app", threads: 1))
        #expect {
            try app.start()
        } throws: { error in
            guard case .internalTopicPartitions(let topic, let found, let expected) = error as? StreamsAppError else { return false }
            return topic == "clicks-app-clicks-per-user-changelog" && found == 1 && expected == 3
        }
    }
}
