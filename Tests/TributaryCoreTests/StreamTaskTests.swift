import Logging
import Testing

@testable import TributaryCore

/// A collector that keeps what sinks send.
final class CollectingCollector: RecordCollector {
    var sent: [(topic: String, value: [UInt8]?)] = []
    func send(
        topic: String, partition: Int32?, key: [UInt8]?, value: [UInt8]?, timestamp: Int64, headers: [Header]
    ) throws {
        sent.append((topic, value))
    }
}

final class FixedClock: WallClock {
    func nowMs() -> Int64 { 0 }
}

@Suite struct StreamTaskTests {
    func makeTask(collector: CollectingCollector) throws -> StreamTask {
        let builder = StreamsBuilder()
        builder.stream("in", key: .optional(.string), value: .int64).mapValues { $0 * 2 }
            .to("out", key: .optional(.string), value: .int64)
        let task = try StreamTask(
            id: TaskID(subtopology: 0, partition: 3), topology: try builder.build(), applicationID: "app",
            collector: collector, clock: FixedClock(), policies: .deadLetter(topic: "dlq"), maxTaskIdleMs: 0,
            logger: Logger(label: "test"))
        try task.initialize()
        return task
    }

    func raw(_ offset: Int64, _ value: [UInt8]) -> RawRecord {
        RawRecord(topic: "in", partition: 3, offset: offset, key: nil, value: value, timestamp: 100 + offset)
    }

    @Test func processCountsRecordsSkippedByTheErrorPolicyAndCommitsPastThem() throws {
        let collector = CollectingCollector()
        let task = try makeTask(collector: collector)
        let good = try #require(try Serde<Int64>.int64.serializeOptional(21))
        task.add([raw(40, good), raw(41, [1, 2, 3]), raw(42, good)], topic: "in")
        #expect(try task.process(maxRecords: 10) == 3)
        #expect(task.counters.processed == 2)
        #expect(task.counters.failed[.deserialization] == 1)
        #expect(collector.sent.map(\.topic) == ["out", "dlq", "out"])
        let offsets = task.committableOffsets()
        #expect(offsets.map(\.offset) == [43])
        task.markCommitted(offsets)
        #expect(task.committableOffsets().isEmpty)
        #expect(task.streamTime == 142)
    }

    @Test func maxRecordsBoundsProcessedAndSkippedRecordsTogether() throws {
        let task = try makeTask(collector: CollectingCollector())
        let good = try #require(try Serde<Int64>.int64.serializeOptional(1))
        task.add([raw(0, [9]), raw(1, [9]), raw(2, good), raw(3, good)], topic: "in")
        #expect(try task.process(maxRecords: 3) == 3)
        #expect(task.bufferedCount == 1)
        #expect(try task.process(maxRecords: 3) == 1)
    }
}
