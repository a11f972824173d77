import Logging
import TributaryKafka

/// Where a connector's records go: the main topic and its dead-letter topic `<topic>.dlq`, through one producer.
public final class RecordOutput: @unchecked Sendable {
    /// The main topic.
    public let topic: String
    /// The dead-letter topic, `<topic>.dlq`.
    public var deadLetterTopic: String { topic + ".dlq" }
    /// The producer (shared with nobody else).
    let producer: KafkaProducer
    /// How long ``flush()`` waits for acknowledgements.
    let flushTimeout: Duration

    /// A producer for `bootstrapServers` (idempotent, 20 ms linger, lz4) writing to `topic`.
    public init(
        topic: String, bootstrapServers: String, config: [String: String] = [:], flushTimeout: Duration = .seconds(60)
    ) throws {
        self.topic = topic
        self.flushTimeout = flushTimeout
        producer = try KafkaProducer(
            config: ["bootstrap.servers": bootstrapServers, "linger.ms": "20", "compression.type": "lz4"].merging(config) {
                $1
            })
    }

    /// Enqueues one record to the main topic.
    func send(key: String?, value: [UInt8], timestamp: Int64?, headers: [KafkaHeader] = []) throws {
        try producer.send(topic: topic, key: key.map { Array($0.utf8) }, value: value, timestamp: timestamp, headers: headers)
    }

    /// Enqueues a rejected input to `<topic>.dlq`: the raw bytes as the value, headers `tributary.dlq.reason`
    /// (e.g. `malformed-json`), `tributary.dlq.error` (the message), `tributary.dlq.source` (file or URL) and
    /// `tributary.dlq.position` (line number, or empty).
    func sendDeadLetter(raw: [UInt8], reason: String, error: String, source: String, position: Int?) throws {
        let headers = [
            KafkaHeader(key: "tributary.dlq.reason", value: Array(reason.utf8)),
            KafkaHeader(key: "tributary.dlq.error", value: Array(error.utf8)),
            KafkaHeader(key: "tributary.dlq.source", value: Array(source.utf8)),
            KafkaHeader(key: "tributary.dlq.position", value: Array((position.map(String.init) ?? "").utf8)),
        ]
        try producer.send(topic: deadLetterTopic, key: nil, value: raw, timestamp: nil, headers: headers)
    }

    /// Waits until every record sent so far is acknowledged; throws the first delivery error.
    public func flush() throws {
        try producer.flush(timeout: flushTimeout)
    }

    /// Flushes (best effort) and closes the producer.
    public func close() {
        try? producer.flush(timeout: flushTimeout)
        producer.close()
    }
}
