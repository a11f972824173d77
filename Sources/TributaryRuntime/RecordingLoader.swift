import Foundation
import TributaryKafka

/// Produces the lines of a recording (for example Wikimedia JSON lines) to a topic, one record per line.
package enum RecordingLoader {
    /// Produces every non-empty line of `file` as a value to `topic` and waits for all acknowledgements.
    /// With `keyField`, the key is that top-level string field of the line's JSON object (null if absent or the
    /// line is not JSON: such lines still go in, so the topology's error policy sees them).
    /// Returns the number of records produced.
    package static func load(file: String, topic: String, keyField: String?, bootstrapServers: String) throws -> Int {
        let data = try Data(contentsOf: URL(fileURLWithPath: file))
        let producer = try KafkaProducer(config: ["bootstrap.servers": bootstrapServers, "linger.ms": "20"])
        defer { producer.close() }
        var count = 0
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            var key: [UInt8]?
            if let keyField,
                let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                let field = object[keyField] as? String
            {
                key = Array(field.utf8)
            }
            try producer.send(topic: topic, key: key, value: Array(line))
            count += 1
        }
        try producer.flush(timeout: .seconds(60))
        return count
    }
}

/// Prints what output topics hold: a count and the first records of each.
package enum OutputSummary {
    package static func print(topics: [String], bootstrapServers: String, sample: Int) throws {
        let admin = try KafkaAdmin(config: ["bootstrap.servers": bootstrapServers])
        let metadata = try admin.metadata(timeout: .seconds(10))
        for topic in topics {
            guard let found = metadata.topic(named: topic), found.partitionCount > 0 else {
                Swift.print("\(topic): 0 records")
                continue
            }
            let records = try TopicReader.readAll(
                topic: topic, partitions: found.partitionCount, bootstrapServers: bootstrapServers)
            Swift.print("\(topic): \(records.count) records")
            for message in records.prefix(sample) {
                let key = message.key.map { String(decoding: $0, as: UTF8.self) } ?? "null"
                let value = message.value.map { String(decoding: $0.prefix(300), as: UTF8.self) } ?? "null"
                let reason = message.headers.last { $0.key == "tributary.error.message" }?.value
                    .map { "  [error: \(String(decoding: $0, as: UTF8.self))]" } ?? ""
                Swift.print("  \(key) => \(value)\(reason)")
            }
        }
    }
}

/// Reads a whole topic from the beginning to its current end.
package enum TopicReader {
    /// Every record of `topic` up to the high watermarks at the time of the call, partition by partition.
    package static func readAll(topic: String, partitions: Int, bootstrapServers: String) throws -> [ConsumerMessage] {
        let consumer = try KafkaConsumer(config: [
            "bootstrap.servers": bootstrapServers, "group.id": "tributary-reader-\(UUID().uuidString)",
            "enable.partition.eof": "false",
        ])
        defer { try? consumer.close() }
        var ends: [Int32: Int64] = [:]
        for partition in 0..<Int32(partitions) {
            let marks = try consumer.watermarks(topic: topic, partition: partition, timeout: .seconds(10))
            if marks.high > marks.low { ends[partition] = marks.high }
        }
        guard !ends.isEmpty else { return [] }
        try consumer.assign(ends.keys.sorted().map {
            TopicPartitionOffset(topic: topic, partition: $0, offset: TopicPartitionOffset.beginning)
        })
        var byPartition: [Int32: [ConsumerMessage]] = [:]
        var remaining = Set(ends.keys)
        let deadline = Date().addingTimeInterval(120)
        while !remaining.isEmpty && Date() < deadline {
            for message in try consumer.poll(maxMessages: 10_000, timeout: .milliseconds(200)) {
                guard let end = ends[message.partition], message.offset < end else { continue }
                byPartition[message.partition, default: []].append(message)
                if message.offset == end - 1 { remaining.remove(message.partition) }
            }
        }
        return ends.keys.sorted().flatMap { byPartition[$0] ?? [] }
    }
}
