import Foundation
import Testing
import TributaryCore
import TributaryKafka

@testable import TributaryRuntime

/// A global table on the embedded cluster: every stream task, on every thread, looks up the whole table, which
/// is read to its end (tombstones included) before the stream threads process anything.
@Suite(.serialized) struct GlobalTableRuntimeTests {
    @Test(.timeLimit(.minutes(2)))
    func everyOrderIsEnrichedFromTheWholeGlobalTable() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        defer { cluster.shutdown() }
        try cluster.createTopic("orders", partitions: 2)
        try cluster.createTopic("enriched", partitions: 2)
        try cluster.createTopic("countries", partitions: 3)

        // C0…C9 named, then C9 deleted by a tombstone; C10 and C11 never exist.
        let producer = try KafkaProducer(config: ["bootstrap.servers": cluster.bootstrapServers])
        for code in 0..<10 {
            try producer.send(topic: "countries", key: Array("C\(code)".utf8), value: Array("Country \(code)".utf8))
        }
        try producer.send(topic: "countries", key: Array("C9".utf8), value: nil)
        try producer.flush(timeout: .seconds(30))
        producer.close()
        let orders = (0..<2_000).map { index in ("order\(index)", "C\(index % 12)") }
        try RuntimeHarness.produce(orders, topic: "orders", cluster: cluster) { Int64(1_000 + $0) }

        let builder = StreamsBuilder()
        let names = builder.globalTable("countries", key: .string, value: .string, materializedAs: "country-names")
        builder.stream("orders", key: .string, value: .string)
            .leftJoin(names, named: "enrich", keySelector: { _, code in code }) { code, name in "\(code):\(name ?? "unknown")" }
            .to("enriched", key: .string, value: .string)
        let app = StreamsApp(
            topology: try builder.build(), config: RuntimeHarness.config(cluster, app: "enrich-app", threads: 2))
        #expect(try RuntimeHarness.runUntilCaughtUp(app, topic: "orders", partitions: 2, cluster: cluster, timeout: .seconds(60)))

        var expected: [String: String] = [:]
        for (order, code) in orders {
            let number = Int(code.dropFirst())!
            expected[order] = number < 9 ? "\(code):Country \(number)" : "\(code):unknown"
        }
        var found: [String: String] = [:]
        for message in try RuntimeHarness.readAll("enriched", cluster: cluster) {
            found[String(decoding: message.key ?? [], as: UTF8.self)] = String(decoding: message.value ?? [], as: UTF8.self)
        }
        #expect(found == expected)
    }
}
