import Testing
import TributaryCore
import TributaryTesting
import WordCountTopology

/// WordCount through the test driver: running totals, final per-minute counts, idle close, several partitions.
@Suite struct WordCountTopologyTests {
    static let minute: Int64 = 60_000

    func driver(partitions: Int = 1) throws -> TopologyTestDriver {
        try TopologyTestDriver(
            try WordCountTopology.make(), applicationID: "wordcount", partitions: [WordCountTopology.inputTopic: partitions])
    }

    @Test func wordsAreLowerCasedRunsOfLettersAndDigits() {
        #expect(WordCountTopology.words("Hello, hello WORLD! 42 times—again") == ["hello", "hello", "world", "42", "times", "again"])
        #expect(WordCountTopology.words(" ... ").isEmpty)
    }

    @Test func totalsAreRunningDecimalStringsPerWord() throws {
        let driver = try driver()
        let input = driver.createInputTopic(WordCountTopology.inputTopic, key: .optional(.bytes), value: .string)
        try input.pipeInput(nil, "the cat and the hat", timestamp: 1_000)
        let totals = try driver.createOutputTopic(WordCountTopology.totalsTopic, key: .string, value: .optional(.string))
            .readRecords().map { "\($0.key)=\($0.value ?? "nil")" }
        #expect(totals == ["the=1", "cat=1", "and=1", "the=2", "hat=1"])
        let store = try driver.keyValueStore(WordCountTopology.totalsStore, key: .string, value: .int64)
        #expect(Dictionary(uniqueKeysWithValues: store.map { ($0.key, $0.value) }) == ["the": 2, "cat": 1, "and": 1, "hat": 1])
    }

    @Test func eachMinuteIsEmittedOnceWhenStreamTimePassesItsEndPlusGrace() throws {
        let driver = try driver()
        let input = driver.createInputTopic(WordCountTopology.inputTopic, key: .optional(.bytes), value: .string)
        let windowed = driver.createOutputTopic(WordCountTopology.windowedTopic, key: .string, value: .optional(.json(WindowedCount.self)))
        try input.pipeInput(nil, "a b a", timestamp: 10 * Self.minute + 5_000)
        try input.pipeInput(nil, "b", timestamp: 10 * Self.minute + 59_999)
        try input.pipeInput(nil, "c", timestamp: 11 * Self.minute + 9_999)  // end + grace not reached yet
        #expect(try windowed.readRecords().isEmpty)
        try input.pipeInput(nil, "a", timestamp: 10 * Self.minute + 30_000)  // out of order, inside grace: counted
        try input.pipeInput(nil, "d", timestamp: 11 * Self.minute + 10_000)  // end + grace reached: minute 10 closes
        let first = try windowed.readRecords().map { "\($0.key)=\($0.value!.count)@\($0.value!.startMs / Self.minute)" }
        #expect(first.sorted() == ["a=3@10", "b=2@10"])
        try input.pipeInput(nil, "a", timestamp: 10 * Self.minute + 1)  // late for a closed window: dropped
        try input.pipeInput(nil, "e", timestamp: 12 * Self.minute + 10_000)  // closes minute 11
        let second = try windowed.readRecords().map { "\($0.key)=\($0.value!.count)@\($0.value!.startMs / Self.minute)" }
        #expect(second.sorted() == ["c=1@11", "d=1@11"])
        #expect(driver.counters.values.reduce(0) { $0 + $1.lateDropped } == 1)
    }

    @Test func anIdleInputClosesItsLastWindowByWallClock() throws {
        let driver = try driver()
        let input = driver.createInputTopic(WordCountTopology.inputTopic, key: .optional(.bytes), value: .string)
        let windowed = driver.createOutputTopic(WordCountTopology.windowedTopic, key: .string, value: .optional(.json(WindowedCount.self)))
        try input.pipeInput(nil, "last words", timestamp: 5 * Self.minute + 1_000)
        try driver.advanceWallClockTime(by: .seconds(20))
        #expect(try windowed.readRecords().isEmpty, "idle for less than the idle-close delay")
        // Idle 30 s (idle close starts) + 69 s (the window's end + grace after the last record's time).
        try driver.advanceWallClockTime(by: .seconds(80))
        #expect(try windowed.readRecords().map { "\($0.key)=\($0.value!.count)" }.sorted() == ["last=1", "words=1"])
    }

    @Test func internalTopicsAreTheRepartitionTopicAndCompactedChangelogsWithWindowRetention() throws {
        let specs = try WordCountTopology.make().internalTopicSpecs(
            applicationID: "wc", externalPartitionCounts: [WordCountTopology.inputTopic: 4])
        let byTopic = Dictionary(uniqueKeysWithValues: specs.map { ($0.topic, $0) })
        #expect(Set(byTopic.keys) == [
            "wc-words-repartition", "wc-word-totals-changelog", "wc-word-counts-1m-changelog",
            "wc-final-per-minute-store-changelog",
        ])
        #expect(specs.allSatisfy { $0.partitions == 4 })
        #expect(byTopic["wc-word-totals-changelog"]?.config == ["cleanup.policy": "compact"])
        // Window size 60 s + grace 10 s, plus one day.
        #expect(byTopic["wc-word-counts-1m-changelog"]?.config
            == ["cleanup.policy": "compact,delete", "retention.ms": String(70_000 + 86_400_000)])
    }

    @Test func countsAreExactOverThreeInputPartitions() throws {
        let driver = try driver(partitions: 3)
        let input = driver.createInputTopic(WordCountTopology.inputTopic, key: .optional(.bytes), value: .string)
        var expected: [String: Int64] = [:]
        for index in 0..<300 {
            let line = "w\(index % 7) w\(index % 11) common"
            for word in line.split(separator: " ") { expected[String(word), default: 0] += 1 }
            try input.pipeInput(Array("line\(index)".utf8), line, timestamp: Int64(index) * 1_000)
        }
        let store = try driver.keyValueStore(WordCountTopology.totalsStore, key: .string, value: .int64)
        #expect(Dictionary(uniqueKeysWithValues: store.map { ($0.key, $0.value) }) == expected)
        #expect(expected["common"] == 300)
    }
}
