import Testing
import TributaryCore
import TributaryTesting

/// One driver test per stateless DSL operator: keys, values, timestamps and headers of what comes out.
@Suite struct KStreamStatelessTests {
    static let trace = [Header(key: "trace", string: "t-1"), Header(key: "empty", value: nil)]

    /// Runs `build` over `in` (string/string) and returns what it wrote to `out` (string/string).
    private func run(
        _ build: (KStream<String, String>) -> Void, inputs: [(String, String, Int64)], headers: [Header] = trace
    ) throws -> [Rec<String, String>] {
        let builder = StreamsBuilder()
        build(builder.stream("in", key: .string, value: .string))
        let driver = try TopologyTestDriver(try builder.build())
        let input = driver.createInputTopic("in", key: .string, value: .string)
        for (key, value, timestamp) in inputs { try input.pipeInput(key, value, timestamp: timestamp, headers: headers) }
        return try driver.createOutputTopic("out", key: .string, value: .string).readRecs()
    }

    @Test func filterKeepsMatchingRecordsWithTimestampsAndHeaders() throws {
        let out = try run({ $0.filter { _, value in value.hasPrefix("keep") }.to("out", key: .string, value: .string) },
                          inputs: [("a", "keep-1", 10), ("b", "drop", 20), ("c", "keep-2", 30)])
        #expect(out == [
            Rec(key: "a", value: "keep-1", timestamp: 10, headers: Self.trace, partition: 0),
            Rec(key: "c", value: "keep-2", timestamp: 30, headers: Self.trace, partition: 0),
        ])
    }

    @Test func filterNotDropsMatchingRecords() throws {
        let out = try run({ $0.filterNot { key, _ in key == "b" }.to("out", key: .string, value: .string) },
                          inputs: [("a", "1", 5), ("b", "2", 6), ("c", "3", 7)])
        #expect(out.map(\.key) == ["a", "c"])
        #expect(out.map(\.value) == ["1", "3"])
        #expect(out.map(\.timestamp) == [5, 7])
        #expect(out.allSatisfy { $0.headers == Self.trace })
    }

    @Test func mapReplacesKeyAndValueAndKeepsTimestampAndHeaders() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string)
            .map { key, value in (Int64(value.count), key.uppercased()) }
            .to("out", key: .int64, value: .string)
        let driver = try TopologyTestDriver(try builder.build())
        let input = driver.createInputTopic("in", key: .string, value: .string)
        try input.pipeInput("abc", "hello", timestamp: 1_000, headers: Self.trace)
        try input.pipeInput("xy", "hi", timestamp: 999, headers: [])
        let out = try driver.createOutputTopic("out", key: .int64, value: .string).readRecs()
        #expect(out == [
            Rec(key: 5, value: "ABC", timestamp: 1_000, headers: Self.trace, partition: 0),
            Rec(key: 2, value: "XY", timestamp: 999, headers: [], partition: 0),
        ])
    }

    @Test func mapValuesKeepsKey() throws {
        let out = try run({ $0.mapValues { $0 + "!" }.to("out", key: .string, value: .string) },
                          inputs: [("k1", "a", 1), ("k2", "b", 2)])
        #expect(out == [
            Rec(key: "k1", value: "a!", timestamp: 1, headers: Self.trace, partition: 0),
            Rec(key: "k2", value: "b!", timestamp: 2, headers: Self.trace, partition: 0),
        ])
    }

    @Test func flatMapEmitsZeroOrMoreRecordsEachWithTheInputTimestamp() throws {
        let out = try run(
            {
                $0.flatMap { key, value in value.split(separator: " ").map { word in (key + ":" + word, String(word.count)) } }
                    .to("out", key: .string, value: .string)
            },
            inputs: [("s1", "the quick fox", 100), ("s2", "", 200), ("s3", "jumps", 300)])
        #expect(out.map(\.key) == ["s1:the", "s1:quick", "s1:fox", "s3:jumps"])
        #expect(out.map(\.value) == ["3", "5", "3", "5"])
        #expect(out.map(\.timestamp) == [100, 100, 100, 300])
        #expect(out.allSatisfy { $0.headers == Self.trace })
    }

    @Test func flatMapValuesKeepsKeyForEveryValue() throws {
        let out = try run(
            { $0.flatMapValues { value in value.split(separator: ",").map(String.init) }.to("out", key: .string, value: .string) },
            inputs: [("k", "a,b,c", 42), ("empty", "", 43)])
        #expect(out == ["a", "b", "c"].map {
            Rec(key: "k", value: $0, timestamp: 42, headers: Self.trace, partition: 0)
        })
    }

    @Test func selectKeySetsNewKeyAndKeepsValue() throws {
        let out = try run({ $0.selectKey { _, value in String(value.prefix(2)) }.to("out", key: .string, value: .string) },
                          inputs: [("old", "enwiki-1", 7), ("old", "dewiki-2", 8)])
        #expect(out == [
            Rec(key: "en", value: "enwiki-1", timestamp: 7, headers: Self.trace, partition: 0),
            Rec(key: "de", value: "dewiki-2", timestamp: 8, headers: Self.trace, partition: 0),
        ])
    }

    @Test func peekSeesEveryRecordAndPassesItOnUnchanged() throws {
        let seen = Box<String>()
        let out = try run(
            { $0.peek { key, value in seen.append(key + "=" + value) }.to("out", key: .string, value: .string) },
            inputs: [("a", "1", 1), ("b", "2", 2)])
        #expect(seen.values == ["a=1", "b=2"])
        #expect(out == [
            Rec(key: "a", value: "1", timestamp: 1, headers: Self.trace, partition: 0),
            Rec(key: "b", value: "2", timestamp: 2, headers: Self.trace, partition: 0),
        ])
    }

    @Test func foreachSeesEveryRecordAndEndsTheStream() throws {
        let seen = Box<String>()
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string).foreach(named: "collect") { key, value in
            seen.append(key + "=" + value)
        }
        let topology = try builder.build()
        #expect(topology.sinkTopics.isEmpty)
        #expect(topology.subtopologies.first?.nodeNames == ["KSTREAM-SOURCE-0000000000", "collect"])
        let driver = try TopologyTestDriver(topology)
        let input = driver.createInputTopic("in", key: .string, value: .string)
        try input.pipeInput("x", "1", timestamp: 1)
        try input.pipeInput("y", "2", timestamp: 2)
        try input.pipeInput("x", "3", timestamp: 3)
        #expect(seen.values == ["x=1", "y=2", "x=3"])
        #expect(driver.producedTopicNames.isEmpty)
    }

    @Test func chainedOperatorsComposeInOrder() throws {
        let out = try run(
            {
                $0.filter { _, value in !value.isEmpty }
                    .mapValues { $0.uppercased() }
                    .selectKey { key, value in key + "/" + value }
                    .flatMapValues { [$0, $0.lowercased()] }
                    .to("out", key: .string, value: .string)
            },
            inputs: [("k", "a", 1), ("k", "", 2), ("j", "b", 3)])
        #expect(out.map(\.key) == ["k/A", "k/A", "j/B", "j/B"])
        #expect(out.map(\.value) == ["A", "a", "B", "b"])
        #expect(out.map(\.timestamp) == [1, 1, 3, 3])
    }

    @Test func toWritesToThePartitionTheKeyHashesTo() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string).to("out", key: .string, value: .string)
        let driver = try TopologyTestDriver(try builder.build(), partitions: ["out": 4])
        let input = driver.createInputTopic("in", key: .string, value: .string)
        // Partitions among 4 from Kafka's murmur2 (see KeyPartitionerTests): a→0, enwiki→1, foobar→2, abc→3.
        for key in ["a", "enwiki", "foobar", "abc"] { try input.pipeInput(key, "v-" + key, timestamp: 5) }
        let out = try driver.createOutputTopic("out", key: .string, value: .string).readRecs()
        #expect(out.map(\.key) == ["a", "enwiki", "foobar", "abc"])
        #expect(out.map(\.partition) == [0, 1, 2, 3])
        #expect(out.map(\.value) == ["v-a", "v-enwiki", "v-foobar", "v-abc"])
    }

    @Test func toSerializesWithTheGivenSerdesAndTwoSinksBothReceive() throws {
        let builder = StreamsBuilder()
        let stream = builder.stream("in", key: .string, value: .string)
        stream.mapValues { Int64($0.count) }.to("lengths", key: .string, value: .int64)
        stream.to("copy", key: .string, value: .string)
        let driver = try TopologyTestDriver(try builder.build())
        try driver.createInputTopic("in", key: .string, value: .string).pipeInput("k", "four", timestamp: 9)
        let raw = driver.rawRecords("lengths")
        #expect(raw.count == 1)
        #expect(raw.first?.value == [0, 0, 0, 0, 0, 0, 0, 4])
        #expect(raw.first?.key == utf8("k"))
        #expect(raw.first?.timestamp == 9)
        #expect(try driver.createOutputTopic("copy", key: .string, value: .string).readKeyValues().map { "\($0.0)=\($0.1)" }
            == ["k=four"])
    }

    @Test func optionalSerdesCarryNullKeysAndTombstones() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .optional(.string), value: .optional(.string))
            .mapValues { $0.map { $0 + "?" } }
            .to("out", key: .optional(.string), value: .optional(.string))
        let driver = try TopologyTestDriver(try builder.build())
        let input = driver.createInputTopic("in", key: .optional(.string), value: .optional(.string))
        try input.pipeInput(nil, "v", timestamp: 1)
        try input.pipeInput("k", nil, timestamp: 2)
        let raw = driver.rawRecords("out")
        #expect(raw.map(\.key) == [nil, utf8("k")])
        #expect(raw.map(\.value) == [utf8("v?"), nil])
    }

    @Test func pipeInputWithoutTimestampUsesTheWallClock() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string).to("out", key: .string, value: .string)
        let driver = try TopologyTestDriver(try builder.build(), wallClockStartMs: 1_700_000_000_000)
        let input = driver.createInputTopic("in", key: .string, value: .string)
        try input.pipeInput("k", "v")
        try driver.advanceWallClockTime(by: .seconds(2))
        try input.pipeInput("k", "w")
        let out = try driver.createOutputTopic("out", key: .string, value: .string).readRecs()
        #expect(out.map(\.timestamp) == [1_700_000_000_000, 1_700_000_002_000])
    }
}
