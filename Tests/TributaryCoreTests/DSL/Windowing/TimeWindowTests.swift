import Testing
import TributaryCore
import TributaryTesting

@Suite struct TimeWindowTests {
    /// Counts per key in `windows`, writing every update to `out` and keeping the store `counts`.
    func counting(_ windows: TimeWindows, lateRecords: LateRecordPolicy = .drop) throws -> Topology {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string)
            .groupByKey(key: .string, value: .string)
            .windowedBy(windows, lateRecords: lateRecords)
            .count(named: "count", materializedAs: "counts")
            .toStream()
            .to("out", key: .windowed(.string, windowSize: ms(windows.sizeMs)), value: .optional(.int64))
        return try builder.build()
    }

    func output(_ driver: TopologyTestDriver, size: Int64) throws -> [String] {
        try driver.createOutputTopic("out", key: .windowed(.string, windowSize: ms(size)), value: .optional(.int64))
            .readRecords().map(describe)
    }

    @Test func aTumblingWindowIncludesItsStartAndExcludesItsEnd() throws {
        let driver = try TopologyTestDriver(try counting(.ofSizeAndGrace(size: ms(10), grace: ms(5))))
        let input = driver.createInputTopic("in", key: .string, value: .string)
        // 10 is the end of [0, 10) and the start of [10, 20).
        try input.pipeInputs([("a", "x", 0), ("a", "x", 9), ("a", "x", 10), ("a", "x", 19)])
        #expect(try output(driver, size: 10) == ["a@0-10=1", "a@0-10=2", "a@10-20=1", "a@10-20=2"])
        let store = try driver.windowStore("counts", key: .string, value: .int64).map(describe)
        #expect(store == ["a@0=2", "a@10=2"])
    }

    @Test func aHoppingRecordIsCountedInEveryWindowContainingIt() throws {
        let windows = TimeWindows.ofSizeAndGrace(size: ms(10), grace: ms(5)).advanceBy(ms(5))
        let driver = try TopologyTestDriver(try counting(windows))
        let input = driver.createInputTopic("in", key: .string, value: .string)
        // Windows [0,10) [5,15) [10,20): 3 is in [0,10) only; 7 in [0,10) and [5,15); 10 in [5,15) and [10,20).
        try input.pipeInputs([("a", "x", 3), ("a", "x", 7), ("a", "x", 10)])
        #expect(try output(driver, size: 10) == ["a@0-10=1", "a@0-10=2", "a@5-15=1", "a@5-15=2", "a@10-20=1"])
        #expect(
            try driver.windowStore("counts", key: .string, value: .int64).map(describe) == ["a@0=2", "a@5=2", "a@10=1"])
    }

    @Test func outOfOrderRecordsInsideGraceAreCountedAndLaterOnesAreDroppedAndCounted() throws {
        let driver = try TopologyTestDriver(try counting(.ofSizeAndGrace(size: ms(10), grace: ms(5))))
        let input = driver.createInputTopic("in", key: .string, value: .string)
        try input.pipeInput("a", "x", timestamp: 12)
        // Stream time 12: [0,10) closes at 10 + 5 = 15 > 12, so 8 is still counted.
        try input.pipeInput("a", "x", timestamp: 8)
        try input.pipeInput("a", "x", timestamp: 15)
        // Stream time 15: [0,10) closed (10 + 5 <= 15), so 9 is late; [10,20) is open until 25.
        try input.pipeInput("a", "x", timestamp: 9)
        try input.pipeInput("a", "x", timestamp: 14)
        #expect(try output(driver, size: 10) == ["a@10-20=1", "a@0-10=1", "a@10-20=2", "a@10-20=3"])
        #expect(driver.lateDroppedCount == 1)
        #expect(try driver.windowStore("counts", key: .string, value: .int64).map(describe) == ["a@0=1", "a@10=3"])
        #expect(driver.rawRecords("late").isEmpty)
    }

    @Test func lateRecordsGoToTheDeadLetterTopicWithHeadersWhenConfigured() throws {
        let driver = try TopologyTestDriver(
            try counting(.ofSizeAndGrace(size: ms(10), grace: ms(5)), lateRecords: .deadLetter(topic: "late")))
        let input = driver.createInputTopic("in", key: .string, value: .string)
        try input.pipeInput("a", "first", timestamp: 20)
        try input.pipeInput("a", "old", timestamp: 3, headers: [Header(key: "trace", string: "t1")])
        #expect(driver.lateDroppedCount == 1)
        #expect(driver.deadLetteredCount == 1)
        let dead = driver.rawRecords("late")
        #expect(dead.count == 1)
        let record = try #require(dead.first)
        #expect(record.key == utf8("a"))
        #expect(record.value == utf8("old"))
        #expect(record.timestamp == 3)
        #expect(headerText(record.headers, "trace") == "t1")
        #expect(headerText(record.headers, DeadLetterHeaders.stage) == "late")
        #expect(headerText(record.headers, DeadLetterHeaders.node) == "count")
        #expect(headerText(record.headers, DeadLetterHeaders.topic) == "in")
        #expect(headerText(record.headers, DeadLetterHeaders.partition) == "0")
        #expect(headerText(record.headers, DeadLetterHeaders.offset) == "1")
        #expect(headerText(record.headers, DeadLetterHeaders.message)?.contains("stream time 20") == true)
        #expect(try output(driver, size: 10) == ["a@20-30=1"])
    }

    @Test func theChangelogOfAWindowedCountRebuildsExactlyTheWindowStore() throws {
        let driver = try TopologyTestDriver(
            try counting(.ofSizeAndGrace(size: ms(10), grace: ms(100))), applicationID: "app", partitions: ["in": 2])
        let input = driver.createInputTopic("in", key: .string, value: .string)
        try input.pipeInputs([
            ("a", "x", 1), ("b", "x", 2), ("a", "x", 11), ("c", "x", 5), ("a", "x", 3), ("b", "x", 25), ("c", "x", 9),
        ])
        var rebuilt: [String: Int64] = [:]
        for record in driver.rawRecords("app-counts-changelog") {
            let stored = try #require(record.key)
            let (key, start) = try #require(WindowStoreKeyLayout.decode(stored))
            let name = "\(String(decoding: key, as: UTF8.self))@\(start)"
            rebuilt[name] = try record.value.map { try Serde<Int64>.int64.deserializeOptional($0) }
        }
        #expect(rebuilt == ["a@0": 2, "a@10": 1, "b@0": 1, "b@20": 1, "c@0": 2])
        let store = try driver.windowStore("counts", key: .string, value: .int64)
        #expect(rebuilt == Dictionary(uniqueKeysWithValues: store.map { ("\($0.key)@\($0.windowStart)", $0.value) }))
    }
}
