import TributaryCore

/// The test driver's output log: every record sinks sent, per topic, with a read cursor per topic.
final class InMemoryTopics: RecordCollector {
    private(set) var records: [String: [RawRecord]] = [:]
    private var readPositions: [String: Int] = [:]
    private var feedbackPositions: [String: Int] = [:]
    private var nextOffsets: [String: [Int32: Int64]] = [:]
    var partitionCounts: [String: Int] = [:]

    func send(
        topic: String, partition: Int32?, key: [UInt8]?, value: [UInt8]?, timestamp: Int64, headers: [Header]
    ) throws {
        let chosen = partition ?? KeyPartitioner.partition(key: key, count: partitionCounts[topic] ?? 1)
        let offset = nextOffsets[topic, default: [:]][chosen, default: 0]
        nextOffsets[topic, default: [:]][chosen] = offset + 1
        records[topic, default: []].append(
            RawRecord(
                topic: topic, partition: chosen, offset: offset, key: key, value: value, timestamp: timestamp,
                headers: headers))
    }

    func unreadCount(_ topic: String) -> Int { (records[topic]?.count ?? 0) - readPositions[topic, default: 0] }

    func readNext(_ topic: String) -> RawRecord? {
        let position = readPositions[topic, default: 0]
        guard let log = records[topic], position < log.count else { return nil }
        readPositions[topic] = position + 1
        return log[position]
    }

    /// Records written to topics the topology reads, not yet fed back.
    func takeFeedback(sourceTopics: Set<String>) -> [RawRecord] {
        var result: [RawRecord] = []
        for topic in sourceTopics.sorted() {
            guard let log = records[topic] else { continue }
            let position = feedbackPositions[topic, default: 0]
            if position < log.count {
                result += log[position...]
                feedbackPositions[topic] = log.count
            }
        }
        return result
    }
}
