import Testing
import TributaryCore
import TributaryTesting

/// Order of processing: per partition, across partitions (one task each), and across merged topics.
@Suite struct TimestampOrderTests {
    private func mergeTopology() throws -> Topology {
        let builder = StreamsBuilder()
        let left = builder.stream("left", key: .string, value: .string)
        let right = builder.stream("right", key: .string, value: .string)
        left.merge(right, named: "merged").to("out", key: .string, value: .string)
        return try builder.build()
    }

    private func pipeInterleaved(_ driver: TopologyTestDriver) throws {
        let left = driver.createInputTopic("left", key: .string, value: .string)
        let right = driver.createInputTopic("right", key: .string, value: .string)
        for timestamp: Int64 in [1, 4, 6] { try left.pipeInput("k", "L\(timestamp)", timestamp: timestamp) }
        for timestamp: Int64 in [2, 3, 7] { try right.pipeInput("k", "R\(timestamp)", timestamp: timestamp) }
    }

    @Test func mergeWithMaxTaskIdleProcessesBothTopicsInTimestampOrder() throws {
        let driver = try TopologyTestDriver(try mergeTopology(), maxTaskIdle: .milliseconds(100))
        let output = driver.createOutputTopic("out", key: .string, value: .string)
        let left = driver.createInputTopic("left", key: .string, value: .string)
        let right = driver.createInputTopic("right", key: .string, value: .string)

        for timestamp: Int64 in [1, 4, 6] { try left.pipeInput("k", "L\(timestamp)", timestamp: timestamp) }
        // "right" is empty: the task waits, because right might still bring an earlier record.
        #expect(output.isEmpty)
        #expect(driver.bufferedCount == 3)

        for timestamp: Int64 in [2, 3, 7] { try right.pipeInput("k", "R\(timestamp)", timestamp: timestamp) }
        let merged = try output.readRecords()
        #expect(merged.map(\.value) == ["L1", "R2", "R3", "L4", "L6"])
        #expect(merged.map(\.timestamp) == [1, 2, 3, 4, 6])
        // R7 waits: "left" is now empty.
        #expect(driver.bufferedCount == 1)

        try driver.advanceWallClockTime(by: .milliseconds(99))
        #expect(output.isEmpty)
        try driver.advanceWallClockTime(by: .milliseconds(1))
        #expect(try output.readValues() == ["R7"])
        #expect(driver.bufferedCount == 0)
        #expect(driver.streamTimes == [TaskID(subtopology: 0, partition: 0): 7])
    }

    @Test func mergeWithoutMaxTaskIdleProcessesInPipeOrder() throws {
        let driver = try TopologyTestDriver(try mergeTopology())
        try pipeInterleaved(driver)
        let merged = try driver.createOutputTopic("out", key: .string, value: .string).readRecords()
        #expect(merged.map(\.value) == ["L1", "L4", "L6", "R2", "R3", "R7"])
        #expect(merged.map(\.timestamp) == [1, 4, 6, 2, 3, 7])
        #expect(driver.bufferedCount == 0)
    }

    @Test func mergeTiesGoToTheTopicThatSortsFirst() throws {
        let driver = try TopologyTestDriver(try mergeTopology(), maxTaskIdle: .milliseconds(100))
        let left = driver.createInputTopic("left", key: .string, value: .string)
        let right = driver.createInputTopic("right", key: .string, value: .string)
        try right.pipeInput("k", "R5", timestamp: 5)
        try left.pipeInput("k", "L5", timestamp: 5)
        try right.pipeInput("k", "R9", timestamp: 9)
        try left.pipeInput("k", "L9", timestamp: 9)
        try driver.advanceWallClockTime(by: .milliseconds(100))
        #expect(try driver.createOutputTopic("out", key: .string, value: .string).readValues() == ["L5", "R5", "L9", "R9"])
    }

    @Test func mergedTopicsWithDifferentPartitionCountsAreRejected() throws {
        let error = #expect(throws: TopologyError.self) {
            _ = try TopologyTestDriver(try mergeTopology(), partitions: ["left": 2, "right": 3])
        }
        #expect(error == .notCopartitioned(subtopology: 0, partitions: ["left": 2, "right": 3]))
        #expect(error?.description.contains("left: 2, right: 3") == true)
    }

    @Test func mergedTopicsWithEqualPartitionCountsRunOneTaskPerPartition() throws {
        let driver = try TopologyTestDriver(try mergeTopology(), partitions: ["left": 2, "right": 2, "out": 2])
        let left = driver.createInputTopic("left", key: .string, value: .string)
        let right = driver.createInputTopic("right", key: .string, value: .string)
        try left.pipeInput("x", "L", timestamp: 10, partition: 1)
        try right.pipeInput("y", "R", timestamp: 20, partition: 0)
        #expect(driver.streamTimes == [
            TaskID(subtopology: 0, partition: 0): 20, TaskID(subtopology: 0, partition: 1): 10,
        ])
    }

    @Test func fourPartitionsRunFourTasksWithIndependentStreamTimes() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string).mapValues { $0 + "'" }.to("out", key: .string, value: .string)
        let driver = try TopologyTestDriver(try builder.build(), partitions: ["in": 4, "out": 4])
        let input = driver.createInputTopic("in", key: .string, value: .string)
        #expect(driver.streamTimes.keys.sorted() == (0..<4).map { TaskID(subtopology: 0, partition: Int32($0)) })
        #expect(driver.streamTimes.values.allSatisfy { $0 == Int64.min })

        // murmur2 partitions among 4 (KeyPartitionerTests): a→0, enwiki→1, foobar→2, abc→3.
        try input.pipeInput("a", "a1", timestamp: 100)
        try input.pipeInput("enwiki", "e1", timestamp: 200)
        try input.pipeInput("foobar", "f1", timestamp: 300)
        try input.pipeInput("abc", "c1", timestamp: 50)
        try input.pipeInput("a", "a2", timestamp: 90)  // late on partition 0: its stream time stays 100
        try input.pipeInput("abc", "c2", timestamp: 400)
        try input.pipeInput("a", "forced", timestamp: 1_000, partition: 2)  // explicit partition wins over the key

        let raw = driver.rawRecords("out")
        #expect(raw.map { String(decoding: $0.value ?? [], as: UTF8.self) }
            == ["a1'", "e1'", "f1'", "c1'", "a2'", "c2'", "forced'"])
        // The sink partitions by key again: "a" goes to 0 even though it was read from partition 2.
        #expect(raw.map(\.partition) == [0, 1, 2, 3, 0, 3, 0])
        #expect(driver.streamTimes == [
            TaskID(subtopology: 0, partition: 0): 100,
            TaskID(subtopology: 0, partition: 1): 200,
            TaskID(subtopology: 0, partition: 2): 1_000,
            TaskID(subtopology: 0, partition: 3): 400,
        ])
        // Per output partition, records keep their input order.
        let byPartition = Dictionary(grouping: raw, by: \.partition).mapValues { $0.map(\.timestamp) }
        #expect(byPartition == [0: [100, 90, 1_000], 1: [200], 2: [300], 3: [50, 400]])
    }

    @Test func inputOffsetsArePerPartition() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string).process { MetadataProcessor() }
            .to("out", key: .string, value: .string)
        let driver = try TopologyTestDriver(try builder.build(), partitions: ["in": 4])
        let input = driver.createInputTopic("in", key: .string, value: .string)
        for key in ["a", "abc", "a", "enwiki", "abc", "a"] { try input.pipeInput(key, "", timestamp: 1) }
        let where_ = try driver.createOutputTopic("out", key: .string, value: .string).readValues()
            .map { String($0.prefix { $0 != " " }) }
        #expect(where_ == ["in/0@0", "in/3@0", "in/0@1", "in/1@0", "in/3@1", "in/0@2"])
    }

    @Test func aSinkWritingATopicTheTopologyReadsFeedsItBack() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string).selectKey { _, value in value }
            .to("rekeyed", key: .string, value: .string)
        builder.stream("rekeyed", key: .string, value: .string).mapValues { $0.uppercased() }
            .to("out", key: .string, value: .string)
        let topology = try builder.build()
        #expect(topology.subtopologies.map(\.sourceTopics) == [["in"], ["rekeyed"]])
        let driver = try TopologyTestDriver(topology, partitions: ["rekeyed": 4])
        try driver.createInputTopic("in", key: .string, value: .string).pipeInput("x", "enwiki", timestamp: 7)
        let out = try driver.createOutputTopic("out", key: .string, value: .string).readRecs()
        #expect(out == [Rec(key: "enwiki", value: "ENWIKI", timestamp: 7, headers: [], partition: 0)])
        #expect(driver.streamTimes[TaskID(subtopology: 1, partition: 1)] == 7)  // enwiki → partition 1 of 4
    }

    @Test
    func outputOffsetsArePerPartition() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string).to("out", key: .string, value: .string)
        let driver = try TopologyTestDriver(try builder.build(), partitions: ["out": 4])
        let input = driver.createInputTopic("in", key: .string, value: .string)
        for key in ["a", "abc", "a", "enwiki"] { try input.pipeInput(key, "", timestamp: 1) }
        let raw = driver.rawRecords("out")
        #expect(raw.map(\.partition) == [0, 3, 0, 1])
        // RawRecord.offset is "the record's offset in its partition".
        #expect(raw.map(\.offset) == [0, 0, 1, 0])
    }
}
