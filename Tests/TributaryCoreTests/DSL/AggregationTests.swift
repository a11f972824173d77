import Testing
import TributaryTesting

@testable import TributaryCore

@Suite struct AggregationTests {
    func wordCounts() throws -> Topology {
        let builder = StreamsBuilder()
        builder.stream("lines", key: .optional(.string), value: .string)
            .flatMap { _, line in line.lowercased().split(separator: " ").map { (String($0), String($0)) } }
            .groupByKey(key: .string, value: .string)
            .count(named: "count-words", materializedAs: "word-totals")
            .toStream(named: "totals")
            .mapValues { count in count.map(String.init) }
            .to("totals", key: .string, value: .optional(.string))
        return try builder.build()
    }

    @Test func countKeepsARunningTotalPerKeyInItsStoreAndEmitsEveryUpdate() throws {
        let driver = try TopologyTestDriver(try wordCounts(), applicationID: "wc")
        let lines = driver.createInputTopic("lines", key: .optional(.string), value: .string)
        try lines.pipeInput(nil, "a b a", timestamp: 10)
        try lines.pipeInput(nil, "B c", timestamp: 20)
        let totals = try driver.createOutputTopic("totals", key: .string, value: .optional(.string)).readRecords()
        #expect(totals.map { "\($0.key)=\($0.value ?? "nil")@\($0.timestamp)" } == ["a=1@10", "b=1@10", "a=2@10", "b=2@20", "c=1@20"])
        let store = try driver.keyValueStore("word-totals", key: .string, value: .int64)
        #expect(store.map { "\($0.key)=\($0.value)" } == ["a=2", "b=2", "c=1"])
    }

    @Test func groupingByKeyAfterAKeyChangeOverSeveralPartitionsIsRefusedWithAPointerToGroupBy() throws {
        #expect(throws: TopologyError.repartitionRequired(subtopology: 0, aggregation: "count-words", partitions: 3)) {
            try TopologyTestDriver(try wordCounts(), applicationID: "wc", partitions: ["lines": 3])
        }
    }

    @Test func theChangelogRebuildsExactlyTheStore() throws {
        let driver = try TopologyTestDriver(try wordCounts(), applicationID: "wc")
        let lines = driver.createInputTopic("lines", key: .optional(.string), value: .string)
        for (index, line) in ["x y z", "y z", "z", "w x"].enumerated() {
            try lines.pipeInput("k\(index)", line, timestamp: Int64(index))
        }
        var rebuilt: [String: Int64] = [:]
        for record in driver.rawRecords("wc-word-totals-changelog") {
            let key = try Serde<String>.string.deserializeOptional(record.key)
            rebuilt[key] = try record.value.map { try Serde<Int64>.int64.deserializeOptional($0) }
        }
        let store = try driver.keyValueStore("word-totals", key: .string, value: .int64)
        #expect(rebuilt == Dictionary(uniqueKeysWithValues: store.map { ($0.key, $0.value) }))
        #expect(rebuilt == ["w": 1, "x": 2, "y": 2, "z": 3])
    }

    @Test func betweenCommitsTheChangelogCarriesOnlyTheLatestValuePerKey() throws {
        let driver = try TopologyTestDriver(try wordCounts(), applicationID: "wc")
        let lines = driver.createInputTopic("lines", key: .optional(.string), value: .string)
        try lines.pipeInput(nil, "a b a a", timestamp: 1)  // one input, one commit: a=1,b=1,a=2,a=3 -> a=3, b=1
        try lines.pipeInput(nil, "a", timestamp: 2)
        let changelog = try driver.rawRecords("wc-word-totals-changelog").map {
            "\(try Serde<String>.string.deserializeOptional($0.key))=\(try Serde<Int64>.int64.deserializeOptional($0.value))"
        }
        #expect(changelog == ["a=3", "b=1", "a=4"])
        // The table's change stream still carries every update.
        #expect(try driver.createOutputTopic("totals", key: .string, value: .optional(.string)).readValues().count == 5)
    }

    @Test func theMeteredLayerCountsEveryStoreOperation() throws {
        let driver = try TopologyTestDriver(try wordCounts(), applicationID: "wc")
        let lines = driver.createInputTopic("lines", key: .optional(.string), value: .string)
        try lines.pipeInput(nil, "a b a", timestamp: 1)
        let metrics = driver.storeMetrics("word-totals")
        #expect(metrics.calls["get"] == 3)  // one read and one write per word
        #expect(metrics.calls["put"] == 3)
        #expect(metrics.nanoseconds["put"] ?? 0 > 0)
    }

    @Test func changelogRecordsGoToTheTaskPartitionOfTheirKey() throws {
        let builder = StreamsBuilder()
        builder.stream("clicks", key: .string, value: .string).groupByKey(key: .string, value: .string)
            .count(materializedAs: "clicks-per-user")
        let driver = try TopologyTestDriver(try builder.build(), applicationID: "app", partitions: ["clicks": 3])
        let clicks = driver.createInputTopic("clicks", key: .string, value: .string)
        let users = (0..<20).map { "user\($0)" }
        for (index, user) in users.enumerated() { try clicks.pipeInput(user, "c", timestamp: Int64(index)) }
        let changelog = driver.rawRecords("app-clicks-per-user-changelog")
        #expect(changelog.count == 20)
        for record in changelog {
            #expect(record.partition == KeyPartitioner.partition(key: record.key, count: 3))
        }
        #expect(try driver.keyValueStore("clicks-per-user", key: .string, value: .int64).count == 20)
    }

    @Test func reduceAndAggregateFoldValuesPerKey() throws {
        let builder = StreamsBuilder()
        let grouped = builder.stream("n", key: .string, value: .int64).groupByKey(key: .string, value: .int64)
        grouped.reduce(materializedAs: "max") { max($0, $1) }.toStream()
            .to("max", key: .string, value: .optional(.int64))
        grouped.aggregate(materializedAs: "all", aggregate: .string, initializer: { "" }) { _, value, text in
            text.isEmpty ? "\(value)" : "\(text),\(value)"
        }.toStream().to("all", key: .string, value: .optional(.string))
        let driver = try TopologyTestDriver(try builder.build())
        let input = driver.createInputTopic("n", key: .string, value: .int64)
        try input.pipeInputs([("a", 3, 1), ("a", 1, 2), ("b", 5, 3), ("a", 7, 4)])
        #expect(try driver.createOutputTopic("max", key: .string, value: .optional(.int64)).readValues() == [3, 3, 5, 7])
        #expect(
            try driver.createOutputTopic("all", key: .string, value: .optional(.string)).readValues()
                == ["3", "3,1", "5", "3,1,7"])
    }

    @Test func tableFilterDeletesKeysThatStopPassingAndMapValuesDerivesANewTable() throws {
        let builder = StreamsBuilder()
        let counts = builder.stream("e", key: .string, value: .string).groupByKey(key: .string, value: .string)
            .count(materializedAs: "counts")
        counts.filter(materializedAs: "odd-counts") { _, count in count % 2 == 1 }.toStream()
            .to("odd", key: .string, value: .optional(.int64))
        counts.mapValues(materializedAs: "labels", value: .string) { "n=\($0)" }.toStream()
            .to("labels", key: .string, value: .optional(.string))
        let driver = try TopologyTestDriver(try builder.build())
        let input = driver.createInputTopic("e", key: .string, value: .string)
        for key in ["a", "a", "b", "a"] { try input.pipeInput(key, "", timestamp: 0) }
        let odd = try driver.createOutputTopic("odd", key: .string, value: .optional(.int64)).readKeyValues()
        #expect(odd.map { "\($0.0)=\($0.1.map(String.init) ?? "nil")" } == ["a=1", "a=nil", "b=1", "a=3"])
        #expect(try driver.keyValueStore("odd-counts", key: .string, value: .int64).map(\.key) == ["a", "b"])
        #expect(try driver.createOutputTopic("labels", key: .string, value: .optional(.string)).readValues()
            == ["n=1", "n=2", "n=1", "n=3"])
    }

    @Test func describeListsTheStoresOfAggregations() throws {
        #expect(try wordCounts().describe().contains("Processor: count-words (stores: [word-totals])"))
    }

    @Test func aProcessorCannotUseAStoreItIsNotConnectedTo() throws {
        final class Sneaky: Processor {
            func initialize(context: ProcessorContext<String, String>) throws {
                _ = try context.keyValueStore("secret", key: .string, value: .string)
            }
            func process(_ record: Record<String, String>) throws {}
        }
        let builder = StreamsBuilder()
        builder.addStateStore(StoreSpec(name: "secret", kind: .keyValue))
        builder.stream("in", key: .string, value: .string).process(named: "sneaky") { Sneaky() }
            .to("out", key: .string, value: .string)
        #expect(throws: TopologyError.storeNotConnected(node: "sneaky", store: "secret")) {
            try TopologyTestDriver(try builder.build())
        }
    }
}
