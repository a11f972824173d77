/// A record read by `KafkaConsumer`.
public struct ConsumerMessage: Sendable {
    /// The topic name (interned by the consumer: equal names share storage).
    public var topic: String
    /// The partition number.
    public var partition: Int32
    /// The record's offset in its partition.
    public var offset: Int64
    /// The key, `nil` for a null key.
    public var key: [UInt8]?
    /// The value, `nil` for a null value (tombstone).
    public var value: [UInt8]?
    /// The record timestamp in milliseconds since the epoch, `-1` if unavailable.
    public var timestamp: Int64
    /// The record headers, in order; empty when the record has none.
    public var headers: [KafkaHeader]

    /// Creates a message (consumers build these; tests may too).
    public init(
        topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8]?,
        timestamp: Int64, headers: [KafkaHeader] = []
    ) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.headers = headers
    }
}
