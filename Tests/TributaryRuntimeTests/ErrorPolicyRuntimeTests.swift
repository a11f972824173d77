import Foundation
import Testing
import TributaryCore
import TributaryKafka

@testable import TributaryRuntime

struct Reading: Codable, Sendable {
    var sensor: String
    var celsius: Double
}

/// Bad records on a real (embedded) cluster go to the dead-letter topic with headers; good ones all come out.
@Suite(.serialized) struct ErrorPolicyRuntimeTests {
    @Test(.timeLimit(.minutes(2)))
    func badRecordsAreDeadLetteredAndGoodRecordsAroundThemAllArrive() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        defer { cluster.shutdown() }
        for topic in ["readings", "fahrenheit", "readings.dlq"] { try cluster.createTopic(topic, partitions: 1) }

        var inputs: [(String, String)] = []
        var expectedGood: [String] = []
        var expectedBad: [(offset: Int64, stage: String, reason: String)] = []
        for index in 0..<300 {
            let offset = Int64(inputs.count)
            switch index % 50 {
            case 7:
                inputs.append(("s\(index)", #"{"sensor": "s1", "celsius": "#))
                expectedBad.append((offset, "deserialization", "invalid JSON"))
            case 13:
                inputs.append(("s\(index)", #"{"sensor": "s1", "celsius": "warm"}"#))
                expectedBad.append((offset, "deserialization", "type mismatch at 'celsius'"))
            case 21:
                inputs.append(("s\(index)", ""))
                expectedBad.append((offset, "deserialization", "empty value"))
            case 29:
                inputs.append(("s\(index)", #"{"sensor": "\#(String(repeating: "x", count: 3_000))", "celsius": 1}"#))
                expectedBad.append((offset, "deserialization", "too large"))
            case 37:
                // Valid input whose output is larger than the producer accepts: a production error.
                inputs.append(("s\(index)", #"{"sensor": "huge", "celsius": \#(index)}"#))
                expectedBad.append((offset, "production", "MSG_SIZE_TOO_LARGE"))
            default:
                let celsius = Double(index) / 2
                inputs.append(("s\(index)", #"{"sensor": "s\#(index)", "celsius": \#(celsius)}"#))
                expectedGood.append("s\(index)=\(celsius * 9 / 5 + 32)")
            }
        }
        try RuntimeHarness.produce(inputs, topic: "readings", cluster: cluster) { Int64(1_000 + $0) }

        let builder = StreamsBuilder()
        builder.stream("readings", key: .string, value: .json(Reading.self, maxBytes: 2_048))
            .mapValues { reading in
                reading.sensor == "huge"
                    ? String(repeating: "!", count: 50_000) : "\(reading.sensor)=\(reading.celsius * 9 / 5 + 32)"
            }
            .to("fahrenheit", key: .string, value: .string)
        var config = RuntimeHarness.config(cluster, app: "readings-app", threads: 1)
        config.errorPolicies = .deadLetter(topic: "readings.dlq")
        config.producerOverrides = ["message.max.bytes": "20000"]
        let app = StreamsApp(topology: try builder.build(), config: config)
        #expect(try RuntimeHarness.runUntilCaughtUp(app, topic: "readings", partitions: 1, cluster: cluster, timeout: .seconds(60)))

        let good = try RuntimeHarness.readAll("fahrenheit", cluster: cluster)
        #expect(good.map { String(decoding: $0.value ?? [], as: UTF8.self) } == expectedGood)
        let dead = try RuntimeHarness.readAll("readings.dlq", cluster: cluster)
        #expect(dead.count == expectedBad.count)
        for (record, expected) in zip(dead, expectedBad) {
            func header(_ name: String) -> String? {
                record.headers.last { $0.key == name }?.value.map { String(decoding: $0, as: UTF8.self) }
            }
            #expect(header(DeadLetterHeaders.offset) == String(expected.offset))
            #expect(header(DeadLetterHeaders.stage) == expected.stage)
            #expect(header(DeadLetterHeaders.message)?.contains(expected.reason) == true, "\(header(DeadLetterHeaders.message) ?? "nil")")
            #expect(header(DeadLetterHeaders.topic) == "readings")
            #expect(header(DeadLetterHeaders.partition) == "0")
            #expect(record.value == Array(inputs[Int(expected.offset)].1.utf8), "original bytes kept")
            #expect(record.timestamp == 1_000 + expected.offset)
        }
    }
}
