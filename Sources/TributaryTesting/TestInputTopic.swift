import TributaryCore

/// Pipes typed records into one input topic of a ``TopologyTestDriver``.
///
/// Records are serialized with the topic's serdes, appended to the chosen partition with the next offset, and
/// processed before `pipeInput` returns (unless the driver was created with a `maxTaskIdle`).
public struct TestInputTopic<Key, Value> {
    let driver: TopologyTestDriver
    /// The topic name.
    public let topic: String
    let keySerde: Serde<Key>
    let valueSerde: Serde<Value>

    /// Pipes one record.
    ///
    /// - Parameters:
    ///   - timestamp: event time in ms; the driver's wall-clock time when `nil`.
    ///   - partition: the partition to append to; chosen from the key as Kafka's default partitioner would when `nil`.
    public func pipeInput(
        _ key: Key, _ value: Value, timestamp: Int64? = nil, partition: Int32? = nil, headers: [Header] = []
    ) throws {
        try driver.pipe(
            topic: topic, key: try keySerde.serializeOptional(key), value: try valueSerde.serializeOptional(value),
            timestamp: timestamp, partition: partition, headers: headers)
    }

    /// Pipes records in order; each is `(key, value, timestamp)`.
    public func pipeInputs(_ records: [(Key, Value, Int64)], partition: Int32? = nil) throws {
        for (key, value, timestamp) in records { try pipeInput(key, value, timestamp: timestamp, partition: partition) }
    }

    /// Pipes raw bytes unchanged, for testing how a topology handles input its serdes reject.
    public func pipeRaw(
        key: [UInt8]?, value: [UInt8]?, timestamp: Int64? = nil, partition: Int32? = nil, headers: [Header] = []
    ) throws {
        try driver.pipe(topic: topic, key: key, value: value, timestamp: timestamp, partition: partition, headers: headers)
    }
}
