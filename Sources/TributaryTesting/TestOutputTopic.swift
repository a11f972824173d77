import TributaryCore

/// Reads typed records that a topology under a ``TopologyTestDriver`` wrote to one topic, oldest first.
///
/// Reading consumes: each record is returned once across all readers of the topic.
public struct TestOutputTopic<Key, Value> {
    let driver: TopologyTestDriver
    /// The topic name.
    public let topic: String
    let keySerde: Serde<Key>
    let valueSerde: Serde<Value>

    /// Records written and not yet read.
    public var queueSize: Int { driver.unreadCount(topic) }

    /// Whether every written record has been read.
    public var isEmpty: Bool { queueSize == 0 }

    /// The next unread record, or `nil`.
    public func readRecord() throws -> TestRecord<Key, Value>? {
        guard let raw = driver.readNext(topic) else { return nil }
        return TestRecord(
            key: try keySerde.deserializeOptional(raw.key), value: try valueSerde.deserializeOptional(raw.value),
            timestamp: raw.timestamp, headers: raw.headers, partition: raw.partition)
    }

    /// Every unread record.
    public func readRecords() throws -> [TestRecord<Key, Value>] {
        var records: [TestRecord<Key, Value>] = []
        while let record = try readRecord() { records.append(record) }
        return records
    }

    /// Every unread record as `(key, value)`.
    public func readKeyValues() throws -> [(Key, Value)] {
        try readRecords().map { ($0.key, $0.value) }
    }

    /// Every unread value.
    public func readValues() throws -> [Value] {
        try readRecords().map(\.value)
    }
}
