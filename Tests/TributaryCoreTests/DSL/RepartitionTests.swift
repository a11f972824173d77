import Testing
import TributaryTesting

@testable import TributaryCore

/// `groupBy` and `repartition` route records through an internal topic keyed by the new key.
@Suite struct RepartitionTests {
    static func wordCounts() throws -> Topology {
        let builder = StreamsBuilder()
        builder.stream("lines", key: .optional(.string), value: .string)
            .flatMapValues { line in line.split(separator: " ").map(String.init) }
            .groupBy(named: "words", key: .string, value: .string) { _, word in word.lowercased() }
            .count(named: "count-words", materializedAs: "word-totals")
            .toStream(named: "totals")
            .to("totals", key: .string, value: .optional(.int64))
        return try builder.build()
    }

    @Test func groupByCountsEveryWordInExactlyOneTaskAcrossPartitions() throws {
        let driver = try TopologyTestDriver(try Self.wordCounts(), applicationID: "wc", partitions: ["lines": 3])
        let lines = driver.createInputTopic("lines", key: .optional(.string), value: .string)
        let text = ["The cat", "the dog", "A cat and THE dog", "cat"]
        for (index, line) in text.enumerated() { try lines.pipeInput("line\(index)", line, timestamp: Int64(index * 10)) }

        // Counted by hand: the 3, cat 3, dog 2, a 1, and 1.
        let store = try driver.keyValueStore("word-totals", key: .string, value: .int64)
        #expect(Dictionary(uniqueKeysWithValues: store.map { ($0.key, $0.value) })
            == ["the": 3, "cat": 3, "dog": 2, "a": 1, "and": 1])
        #expect(Set(store.map(\.key)).count == store.count, "a word counted in two tasks")

        // Every record of one word went to the repartition partition its key hashes to, with its timestamp.
        let repartitioned = driver.rawRecords("wc-words-repartition")
        #expect(repartitioned.count == 10)
        for record in repartitioned {
            #expect(record.partition == KeyPartitioner.partition(key: record.key, count: 3))
        }
        #expect(repartitioned.map(\.timestamp) == [0, 0, 10, 10, 20, 20, 20, 20, 20, 30])
    }

    @Test func theRepartitionTopicSplitsTheTopologyAndIsNamedByTheApplication() throws {
        let topology = try Self.wordCounts()
        #expect(topology.subtopologies.count == 2)
        #expect(topology.internalTopics == ["words-repartition"])
        #expect(topology.subtopologies[1].sourceTopics == ["words-repartition"])
        #expect(topology.sourceTopics(applicationID: "wc") == ["lines", "wc-words-repartition"])
        let specs = topology.internalTopicSpecs(applicationID: "wc", externalPartitionCounts: ["lines": 6])
        #expect(specs.map(\.topic) == ["wc-words-repartition", "wc-word-totals-changelog"])
        #expect(specs.map(\.partitions) == [6, 6])
        #expect(specs.map { $0.config["cleanup.policy"] } == ["delete", "compact"])
    }

    @Test func repartitionKeepsValuesAndEventTime() throws {
        let builder = StreamsBuilder()
        builder.stream("orders", key: .string, value: .string)
            .selectKey { _, value in String(value.prefix(1)) }
            .repartition(named: "by-initial", key: .string, value: .string)
            .to("out", key: .string, value: .string)
        let driver = try TopologyTestDriver(try builder.build(), applicationID: "app", partitions: ["orders": 2])
        let orders = driver.createInputTopic("orders", key: .string, value: .string)
        try orders.pipeInput("o1", "apple", timestamp: 5)
        try orders.pipeInput("o2", "banana", timestamp: 7)
        let out = try driver.createOutputTopic("out", key: .string, value: .string).readRecords()
        #expect(out.map { "\($0.key)=\($0.value)@\($0.timestamp)" }.sorted() == ["a=apple@5", "b=banana@7"])
    }
}
