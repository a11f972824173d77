import Testing
import TributaryCore
import TributaryTesting

/// Counts records per task and forwards the running count as the value, keeping key, timestamp and headers.
final class CountingProcessor: Processor {
    private var count: Int64 = 0
    private var context: ProcessorContext<String, Int64>!

    func initialize(context: ProcessorContext<String, Int64>) { self.context = context }

    func process(_ record: Record<String, String>) throws {
        count += 1
        try context.forward(record.withValue(count))
    }
}

/// Sends records whose value is an even number to child "evens", odd ones to "odds", others to "nowhere".
final class RoutingProcessor: Processor {
    private var context: ProcessorContext<String, String>!

    func initialize(context: ProcessorContext<String, String>) { self.context = context }

    func process(_ record: Record<String, String>) throws {
        guard let number = Int(record.value) else {
            try context.forward(record, to: "nowhere")
            return
        }
        try context.forward(record, to: number.isMultiple(of: 2) ? "evens" : "odds")
    }
}

/// Writes where each record came from (topic/partition/offset, stream time, wall clock) as its value.
final class MetadataProcessor: Processor {
    private var context: ProcessorContext<String, String>!

    func initialize(context: ProcessorContext<String, String>) { self.context = context }

    func process(_ record: Record<String, String>) throws {
        let metadata = context.recordMetadata
        let value = "\(metadata?.topic ?? "-")/\(metadata?.partition ?? -1)@\(metadata?.offset ?? -1)"
            + " task=\(context.taskID) stream=\(context.streamTime) wall=\(context.currentSystemTimeMs)"
            + " app=\(context.applicationID)"
        try context.forward(record.withValue(value))
    }
}

/// Schedules one punctuation at initialization; each firing forwards `("tick", "<time>|<metadata or nil>")`
/// stamped with the firing time. A record whose value is "cancel" cancels the punctuation.
final class PunctuatingProcessor: Processor {
    let interval: Duration
    let type: PunctuationType
    private var context: ProcessorContext<String, String>!
    private var handle: Cancellable?

    init(every interval: Duration, type: PunctuationType) {
        self.interval = interval
        self.type = type
    }

    func initialize(context: ProcessorContext<String, String>) {
        self.context = context
        handle = context.schedule(every: interval, type: type) { [unowned self] time in
            let inside = self.context.recordMetadata == nil ? "nil" : "set"
            try self.context.forward(Record(key: "tick", value: "\(time)|\(inside)", timestamp: time))
        }
    }

    func process(_ record: Record<String, String>) throws {
        if record.value == "cancel" { handle?.cancel() }
    }
}

@Suite struct ProcessorAPITests {
    /// Holds the processors a topology created, weakly.
    final class WeakProcessors: @unchecked Sendable {
        private(set) var processors: [() -> CountingProcessor?] = []
        func add(_ processor: CountingProcessor) { processors.append { [weak processor] in processor } }
    }

    @Test func aClosedDriverReleasesItsNodesAndProcessors() throws {
        let created = WeakProcessors()
        do {
            let builder = StreamsBuilder()
            builder.stream("in", key: .string, value: .string)
                .process(named: "count") {
                    let processor = CountingProcessor()
                    created.add(processor)
                    return processor
                }
                .to("out", key: .string, value: .int64)
            let driver = try TopologyTestDriver(try builder.build(), partitions: ["in": 2])
            try driver.createInputTopic("in", key: .string, value: .string).pipeInput("a", "x", timestamp: 1)
            #expect(created.processors.count == 2)
            #expect(created.processors.allSatisfy { $0() != nil })
            driver.close()
        }
        // A source node that kept its children alive (or any other cycle) would keep the processors too.
        #expect(created.processors.allSatisfy { $0() == nil })
    }

    @Test func aProcessorCountsPerTaskAndForwards() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string)
            .process(named: "count") { CountingProcessor() }
            .to("out", key: .string, value: .int64)
        let driver = try TopologyTestDriver(try builder.build(), partitions: ["in": 2])
        let input = driver.createInputTopic("in", key: .string, value: .string)
        let headers = [Header(key: "h", string: "1")]
        try input.pipeInput("a", "x", timestamp: 100, partition: 0, headers: headers)
        try input.pipeInput("b", "y", timestamp: 200, partition: 0)
        try input.pipeInput("c", "z", timestamp: 300, partition: 1)
        try input.pipeInput("d", "w", timestamp: 400, partition: 0)
        let out = try driver.createOutputTopic("out", key: .string, value: .int64).readRecords()
        // One processor instance per task: partition 1 counts from 1 again.
        #expect(out.map(\.key) == ["a", "b", "c", "d"])
        #expect(out.map(\.value) == [1, 2, 1, 3])
        #expect(out.map(\.timestamp) == [100, 200, 300, 400])
        #expect(out.first?.headers == headers)
    }

    @Test func forwardToSendsToTheNamedChildOnly() throws {
        let builder = StreamsBuilder()
        let routed = builder.stream("in", key: .string, value: .string).process(named: "router") { RoutingProcessor() }
        routed.mapValues(named: "evens") { "even:" + $0 }.to("evens", key: .string, value: .string)
        routed.mapValues(named: "odds") { "odd:" + $0 }.to("odds", key: .string, value: .string)
        let driver = try TopologyTestDriver(try builder.build())
        let input = driver.createInputTopic("in", key: .string, value: .string)
        for (index, value) in ["1", "2", "3", "4", "6"].enumerated() {
            try input.pipeInput("k\(index)", value, timestamp: Int64(index))
        }
        let evens = try driver.createOutputTopic("evens", key: .string, value: .string).readRecords()
        let odds = try driver.createOutputTopic("odds", key: .string, value: .string).readRecords()
        #expect(evens.map(\.value) == ["even:2", "even:4", "even:6"])
        #expect(evens.map(\.key) == ["k1", "k3", "k4"])
        #expect(odds.map(\.value) == ["odd:1", "odd:3"])
        #expect(odds.map(\.timestamp) == [0, 2])
    }

    @Test func forwardToAnUnknownChildIsAProcessingError() throws {
        let builder = StreamsBuilder()
        let routed = builder.stream("in", key: .string, value: .string).process(named: "router") { RoutingProcessor() }
        routed.mapValues(named: "evens") { $0 }.to("evens", key: .string, value: .string)
        routed.mapValues(named: "odds") { $0 }.to("odds", key: .string, value: .string)
        let driver = try TopologyTestDriver(try builder.build())
        let input = driver.createInputTopic("in", key: .string, value: .string)
        let error = #expect(throws: StreamsError.self) { try input.pipeInput("k", "not a number", timestamp: 5) }
        #expect(error?.stage == .processing)
        #expect(error?.underlying as? TopologyError == .unknownChild(processor: "router", child: "nowhere"))
        #expect(position(error?.metadata) == "in/0@0")
    }

    @Test func contextReportsRecordMetadataStreamTimeAndWallClock() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string)
            .process { MetadataProcessor() }
            .to("out", key: .string, value: .string)
        let driver = try TopologyTestDriver(
            try builder.build(), applicationID: "meta-app", partitions: ["in": 2], wallClockStartMs: 5_000)
        let input = driver.createInputTopic("in", key: .string, value: .string)
        try input.pipeInput("a", "", timestamp: 50, partition: 1)
        try input.pipeInput("b", "", timestamp: 30, partition: 1)
        try driver.advanceWallClockTime(by: .milliseconds(250))
        try input.pipeInput("c", "", timestamp: 10, partition: 0)
        #expect(try driver.createOutputTopic("out", key: .string, value: .string).readValues() == [
            "in/1@0 task=0_1 stream=50 wall=5000 app=meta-app",
            // Stream time is the largest timestamp so far; an earlier record does not move it back.
            "in/1@1 task=0_1 stream=50 wall=5000 app=meta-app",
            "in/0@0 task=0_0 stream=10 wall=5250 app=meta-app",
        ])
    }

    @Test func streamTimePunctuationIsAlignedAndFiresOncePerAdvance() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string)
            .process { PunctuatingProcessor(every: .milliseconds(10), type: .streamTime) }
            .to("out", key: .string, value: .string)
        let driver = try TopologyTestDriver(try builder.build())
        let input = driver.createInputTopic("in", key: .string, value: .string)
        let output = driver.createOutputTopic("out", key: .string, value: .string)

        try input.pipeInput("k", "", timestamp: 3)
        #expect(output.isEmpty)  // first due at 10, the first multiple of the interval after 0
        try input.pipeInput("k", "", timestamp: 12)
        // Fires with the stream time that passed the due time.
        #expect(try output.readRecs() == [Rec(key: "tick", value: "12|nil", timestamp: 12, headers: [], partition: 0)])
        try input.pipeInput("k", "", timestamp: 19)
        #expect(output.isEmpty)  // next due at 20, not 22
        try input.pipeInput("k", "", timestamp: 55)
        // Jumping over 20, 30, 40 and 50 fires once; the next due time is 60.
        #expect(try output.readValues() == ["55|nil"])
        try input.pipeInput("k", "", timestamp: 30)  // late record: stream time stays 55
        try input.pipeInput("k", "", timestamp: 59)
        #expect(output.isEmpty)
        try input.pipeInput("k", "", timestamp: 60)
        #expect(try output.readValues() == ["60|nil"])
        // Wall-clock time does not drive stream-time punctuation.
        try driver.advanceWallClockTime(by: .seconds(10))
        #expect(output.isEmpty)
        #expect(driver.streamTimes == [TaskID(subtopology: 0, partition: 0): 60])
    }

    @Test func wallClockPunctuationFiresAsTheClockAdvances() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string)
            .process { PunctuatingProcessor(every: .milliseconds(100), type: .wallClockTime) }
            .to("out", key: .string, value: .string)
        let driver = try TopologyTestDriver(try builder.build(), wallClockStartMs: 1_000)
        let output = driver.createOutputTopic("out", key: .string, value: .string)

        try driver.advanceWallClockTime(by: .milliseconds(99))
        #expect(output.isEmpty)
        try driver.advanceWallClockTime(by: .milliseconds(1))
        #expect(try output.readRecs() == [Rec(key: "tick", value: "1100|nil", timestamp: 1_100, headers: [], partition: 0)])
        try driver.advanceWallClockTime(by: .milliseconds(350))
        #expect(try output.readValues() == ["1450|nil"])  // once, though 1200, 1300 and 1400 passed
        try driver.advanceWallClockTime(by: .milliseconds(49))
        #expect(output.isEmpty)  // next due 1500
        try driver.advanceWallClockTime(by: .milliseconds(1))
        #expect(try output.readValues() == ["1500|nil"])
        // Records do not drive wall-clock punctuation.
        try driver.createInputTopic("in", key: .string, value: .string).pipeInput("k", "", timestamp: 1_000_000)
        #expect(output.isEmpty)
    }

    @Test(arguments: [PunctuationType.streamTime, .wallClockTime])
    func cancelStopsAPunctuation(type: PunctuationType) throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string)
            .process { PunctuatingProcessor(every: .milliseconds(10), type: type) }
            .to("out", key: .string, value: .string)
        let driver = try TopologyTestDriver(try builder.build())
        let input = driver.createInputTopic("in", key: .string, value: .string)
        let output = driver.createOutputTopic("out", key: .string, value: .string)
        try input.pipeInput("k", "", timestamp: 10)
        try driver.advanceWallClockTime(by: .milliseconds(10))
        #expect(try output.readValues() == ["10|nil"])
        try input.pipeInput("k", "cancel", timestamp: 15)
        try input.pipeInput("k", "", timestamp: 100)
        try driver.advanceWallClockTime(by: .milliseconds(100))
        #expect(output.isEmpty)
    }

    @Test func processorsAreInitializedOncePerTaskAndClosedWithTheDriver() throws {
        let events = Box<String>()
        final class Lifecycle: Processor {
            typealias KeyIn = String
            typealias ValueIn = String
            typealias KeyOut = String
            typealias ValueOut = String
            let events: Box<String>
            private var task = ""
            init(events: Box<String>) { self.events = events }
            func initialize(context: ProcessorContext<String, String>) {
                task = "\(context.taskID)"
                events.append("init \(task)")
            }
            func process(_ record: Record<String, String>) { events.append("process \(task) \(record.value)") }
            func close() { events.append("close \(task)") }
        }
        let builder = StreamsBuilder()
        _ = builder.stream("in", key: .string, value: .string).process { Lifecycle(events: events) }
        let driver = try TopologyTestDriver(try builder.build(), partitions: ["in": 2])
        try driver.createInputTopic("in", key: .string, value: .string).pipeInput("k", "v", timestamp: 1, partition: 1)
        driver.close()
        #expect(events.values == ["init 0_0", "init 0_1", "process 0_1 v", "close 0_0", "close 0_1"])
    }
}
