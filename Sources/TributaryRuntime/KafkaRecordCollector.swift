import TributaryCore
import TributaryKafka

/// Sends the records of a stream thread's tasks through its producer.
final class KafkaRecordCollector: RecordCollector {
    let producer: KafkaProducer
    /// Records handed to the producer since start; the stream thread reads it around each task's batch.
    private(set) var sentCount = 0

    init(producer: KafkaProducer) { self.producer = producer }

    func send(
        topic: String, partition: Int32?, key: [UInt8]?, value: [UInt8]?, timestamp: Int64, headers: [Header]
    ) throws {
        try producer.send(
            topic: topic, partition: partition, key: key, value: value, timestamp: timestamp,
            headers: headers.isEmpty ? [] : headers.map { KafkaHeader(key: $0.key, value: $0.value) })
        sentCount &+= 1
    }
}
