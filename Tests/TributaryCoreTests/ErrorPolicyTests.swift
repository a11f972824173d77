import Testing
import TributaryCore
import TributaryTesting

struct Reading: Codable, Sendable, Equatable {
    var name: String
    var n: Int
}

@Suite struct ErrorPolicyTests {
    /// in (JSON `Reading`, at most 64 bytes) → mapValues "explode" (throws for n < 0) → out.
    private func topology() throws -> Topology {
        let builder = StreamsBuilder()
        builder.stream("in", key: .optional(.string), value: .json(Reading.self, maxBytes: 64), named: "readings")
            .mapValues(named: "explode") { reading in
                if reading.n < 0 { throw Boom(reason: "negative n \(reading.n)") }
                return reading.name + "=" + String(reading.n)
            }
            .to("out", key: .optional(.string), value: .string, named: "out-sink")
        return try builder.build()
    }

    /// The bad inputs, each with a fragment its error message must contain.
    static let bad: [(value: [UInt8]?, reason: String)] = [
        (utf8(#"{"name": "x", "n": "#), "invalid JSON"),
        (utf8(#"{"name": "x", "n": "seven"}"#), "type mismatch at 'n'"),
        ([], "empty value"),
        (utf8(#"{"name": "\#(String(repeating: "y", count: 80))", "n": 1}"#), "too large: 100 bytes, limit 64"),
        (nil, "unexpected null"),
        (utf8(#"{"name": "x"}"#), "missing key 'n'"),
        (utf8("not json"), "invalid JSON"),
    ]

    /// Pipes valid, bad, valid, bad, ..., valid; returns the driver.
    private func pipeMixed(policies: ErrorPolicies) throws -> TopologyTestDriver {
        let driver = try TopologyTestDriver(try topology(), errorPolicies: policies)
        let input = driver.createInputTopic("in", key: .optional(.string), value: .json(Reading.self))
        let trace = [Header(key: "trace", string: "abc")]
        try input.pipeInput("good", Reading(name: "v", n: 0), timestamp: 1_000)
        for (index, bad) in Self.bad.enumerated() {
            try input.pipeRaw(
                key: utf8("bad-\(index)"), value: bad.value, timestamp: 2_000 + Int64(index), headers: trace)
            try input.pipeInput("good", Reading(name: "v", n: index + 1), timestamp: 3_000 + Int64(index))
        }
        return driver
    }

    @Test func deadLetterSendsEveryUndecodableRecordWithHeadersAndKeepsTheValidOnes() throws {
        let driver = try pipeMixed(policies: ErrorPolicies(deserialization: .deadLetter(topic: "dlq")))
        let out = try driver.createOutputTopic("out", key: .optional(.string), value: .string).readRecords()
        #expect(out.map(\.value) == (0...Self.bad.count).map { "v=\($0)" })
        #expect(out.map(\.timestamp) == [1_000] + (0..<Int64(Self.bad.count)).map { 3_000 + $0 })

        let dlq = driver.rawRecords("dlq")
        try #require(dlq.count == Self.bad.count)
        for (index, (record, bad)) in zip(dlq, Self.bad).enumerated() {
            #expect(record.key == utf8("bad-\(index)"))
            #expect(record.value == bad.value, "original bytes unchanged")
            #expect(record.timestamp == 2_000 + Int64(index))
            #expect(record.headers.first == Header(key: "trace", string: "abc"), "original headers kept first")
            #expect(headerText(record.headers, DeadLetterHeaders.stage) == "deserialization")
            let message = headerText(record.headers, DeadLetterHeaders.message) ?? ""
            #expect(message.contains(bad.reason), "message '\(message)' should mention '\(bad.reason)'")
            #expect(headerText(record.headers, DeadLetterHeaders.node) == "readings")
            #expect(headerText(record.headers, DeadLetterHeaders.topic) == "in")
            #expect(headerText(record.headers, DeadLetterHeaders.partition) == "0")
            // Input offsets: 0 is the first valid record, then bad and valid records alternate.
            #expect(headerText(record.headers, DeadLetterHeaders.offset) == String(1 + 2 * index))
            #expect(headerText(record.headers, DeadLetterHeaders.truncatedFrom) == nil)
        }
        #expect(driver.failedCount(.deserialization) == Self.bad.count)
        #expect(driver.failedCount(.processing) == 0)
        #expect(driver.deadLetteredCount == Self.bad.count)
    }

    @Test func logAndContinueSkipsAndCounts() throws {
        let driver = try pipeMixed(policies: ErrorPolicies(deserialization: .logAndContinue))
        #expect(try driver.createOutputTopic("out", key: .optional(.string), value: .string).readValues().count
            == Self.bad.count + 1)
        #expect(driver.rawRecords("dlq").isEmpty)
        #expect(driver.producedTopicNames == ["out"])
        #expect(driver.failedCount(.deserialization) == Self.bad.count)
        #expect(driver.deadLetteredCount == 0)
    }

    @Test(arguments: 0..<bad.count)
    func failMakesPipeInputThrow(badIndex: Int) throws {
        let driver = try TopologyTestDriver(try topology())  // every stage defaults to .fail
        let input = driver.createInputTopic("in", key: .optional(.string), value: .json(Reading.self))
        try input.pipeInput(nil, Reading(name: "ok", n: 1), timestamp: 1)
        let error = #expect(throws: StreamsError.self) {
            try input.pipeRaw(key: nil, value: Self.bad[badIndex].value, timestamp: 2)
        }
        #expect(error?.stage == .deserialization)
        #expect(error?.taskID == TaskID(subtopology: 0, partition: 0))
        #expect(position(error?.metadata) == "in/0@1")
        #expect(error.map { "\($0)" }?.contains(Self.bad[badIndex].reason) == true)
        #expect(try driver.createOutputTopic("out", key: .optional(.string), value: .string).readValues() == ["ok=1"])
    }

    @Test func aThrowingClosureGoesToTheProcessingPolicyWithItsNodeName() throws {
        let driver = try TopologyTestDriver(try topology(), errorPolicies: .deadLetter(topic: "dlq"))
        let input = driver.createInputTopic("in", key: .optional(.string), value: .json(Reading.self))
        try input.pipeInput("a", Reading(name: "a", n: 1), timestamp: 10)
        try input.pipeInput("b", Reading(name: "b", n: -5), timestamp: 20, headers: [Header(key: "h", string: "1")])
        try input.pipeInput("c", Reading(name: "c", n: 3), timestamp: 30)
        #expect(try driver.createOutputTopic("out", key: .optional(.string), value: .string).readValues() == ["a=1", "c=3"])
        let dlq = driver.rawRecords("dlq")
        try #require(dlq.count == 1)
        let record = dlq[0]
        #expect(record.key == utf8("b"))
        #expect(record.value == (try Serde<Reading>.json().serializeOptional(Reading(name: "b", n: -5))))
        #expect(record.timestamp == 20)
        #expect(headerText(record.headers, "h") == "1")
        #expect(headerText(record.headers, DeadLetterHeaders.stage) == "processing")
        #expect(headerText(record.headers, DeadLetterHeaders.node) == "explode")
        #expect(headerText(record.headers, DeadLetterHeaders.message) == "boom: negative n -5")
        #expect(headerText(record.headers, DeadLetterHeaders.offset) == "1")
        #expect(driver.failedCount(.processing) == 1)
        #expect(driver.failedCount(.deserialization) == 0)
    }

    @Test func aProcessingErrorUnderFailThrowsStreamsError() throws {
        let driver = try TopologyTestDriver(try topology(), errorPolicies: ErrorPolicies(deserialization: .logAndContinue))
        let input = driver.createInputTopic("in", key: .optional(.string), value: .json(Reading.self))
        let error = #expect(throws: StreamsError.self) {
            try input.pipeInput("b", Reading(name: "b", n: -1), timestamp: 20)
        }
        #expect(error?.stage == .processing)
        #expect((error?.underlying as? Boom)?.reason == "negative n -1")
    }

    @Test func aSinkSerializationErrorIsAProductionError() throws {
        let refusing = Serde<String>(
            serialize: { value in
                if value == "secret" { throw SerdeError.malformed("refused") }
                return utf8(value)
            },
            deserialize: { String(decoding: $0, as: UTF8.self) })
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string).to("out", key: .string, value: refusing, named: "the-sink")
        let driver = try TopologyTestDriver(
            try builder.build(), errorPolicies: ErrorPolicies(production: .deadLetter(topic: "dlq")))
        let input = driver.createInputTopic("in", key: .string, value: .string)
        for value in ["a", "secret", "b"] { try input.pipeInput("k", value, timestamp: 1) }
        #expect(try driver.createOutputTopic("out", key: .string, value: .string).readValues() == ["a", "b"])
        let dlq = driver.rawRecords("dlq")
        #expect(dlq.map(\.value) == [utf8("secret")])
        #expect(headerText(dlq.first?.headers ?? [], DeadLetterHeaders.stage) == "production")
        #expect(headerText(dlq.first?.headers ?? [], DeadLetterHeaders.node) == "the-sink")
        #expect(headerText(dlq.first?.headers ?? [], DeadLetterHeaders.message) == "malformed: refused")
        #expect(driver.failedCount(.production) == 1)
    }

    @Test func aRejectedTimestampIsADeserializationError() throws {
        let builder = StreamsBuilder()
        builder.stream(
            "in", key: .string, value: .string,
            timestampExtractor: .fromValue { value in value == "none" ? nil : Int64(value) }, named: "src"
        ).to("out", key: .string, value: .string)
        let driver = try TopologyTestDriver(try builder.build(), errorPolicies: .deadLetter(topic: "dlq"))
        let input = driver.createInputTopic("in", key: .string, value: .string)
        try input.pipeInput("k", "123", timestamp: 5)
        try input.pipeInput("k", "none", timestamp: 6)  // falls back to the record timestamp 6
        try input.pipeInput("k", "-4", timestamp: 7)
        let out = try driver.createOutputTopic("out", key: .string, value: .string).readRecords()
        #expect(out.map(\.timestamp) == [123, 6])
        let dlq = driver.rawRecords("dlq")
        #expect(dlq.map(\.value) == [utf8("-4")])
        #expect(headerText(dlq.first?.headers ?? [], DeadLetterHeaders.stage) == "deserialization")
        #expect(headerText(dlq.first?.headers ?? [], DeadLetterHeaders.message) == "invalid timestamp -4")
    }

    @Test func anExtractorReturningNilIsRejected() throws {
        let builder = StreamsBuilder()
        builder.stream(
            "in", key: .string, value: .string, timestampExtractor: TimestampExtractor { _, _ in nil }
        ).to("out", key: .string, value: .string)
        let driver = try TopologyTestDriver(try builder.build(), errorPolicies: .deadLetter(topic: "dlq"))
        try driver.createInputTopic("in", key: .string, value: .string).pipeInput("k", "v", timestamp: 5)
        #expect(driver.rawRecords("out").isEmpty)
        #expect(headerText(driver.rawRecords("dlq").first?.headers ?? [], DeadLetterHeaders.message)
            == "no timestamp could be extracted")
    }

    @Test func theTimestampExtractorSeesThePartitionTime() throws {
        let seen = Box<Int64>()
        let builder = StreamsBuilder()
        builder.stream(
            "in", key: .string, value: .string,
            timestampExtractor: TimestampExtractor { record, partitionTime in
                seen.append(partitionTime)
                return record.timestamp
            }
        ).to("out", key: .string, value: .string)
        let driver = try TopologyTestDriver(try builder.build())
        let input = driver.createInputTopic("in", key: .string, value: .string)
        for timestamp: Int64 in [10, 30, 20] { try input.pipeInput("k", "v", timestamp: timestamp) }
        #expect(seen.values == [Int64.min, 10, 30])
    }

    @Test func policiesDefaultToFailAndDeadLetterCoversEveryStage() {
        #expect(ErrorPolicies() == ErrorPolicies(deserialization: .fail, processing: .fail, production: .fail))
        #expect(ErrorPolicies.deadLetter(topic: "t") == ErrorPolicies(
            deserialization: .deadLetter(topic: "t"), processing: .deadLetter(topic: "t"),
            production: .deadLetter(topic: "t")))
    }
}
