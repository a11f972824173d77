/// A partition with an offset: a position to read from or a committed position.
///
/// Committed offsets follow the Kafka convention: they are the offset of the
/// NEXT record to read. `offset` may also be one of the logical values
/// `beginning`, `end`, `stored` or `invalid`.
public struct TopicPartitionOffset: Hashable, Sendable, CustomStringConvertible {
    /// The earliest available offset (`RD_KAFKA_OFFSET_BEGINNING`).
    public static let beginning: Int64 = -2
    /// The offset after the last record (`RD_KAFKA_OFFSET_END`).
    public static let end: Int64 = -1
    /// The group's committed offset (`RD_KAFKA_OFFSET_STORED`).
    public static let stored: Int64 = -1000
    /// No offset (`RD_KAFKA_OFFSET_INVALID`), e.g. nothing committed yet.
    public static let invalid: Int64 = -1001

    /// The topic name.
    public var topic: String
    /// The partition number.
    public var partition: Int32
    /// An absolute offset or one of the logical values above.
    public var offset: Int64

    /// Creates a topic-partition-offset.
    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }

    /// Creates a topic-partition-offset from a `TopicPartition`.
    public init(_ topicPartition: TopicPartition, offset: Int64) {
        self.init(topic: topicPartition.topic, partition: topicPartition.partition, offset: offset)
    }

    /// The topic-partition without the offset.
    public var topicPartition: TopicPartition { TopicPartition(topic: topic, partition: partition) }

    /// `topic-partition@offset`.
    public var description: String { "\(topic)-\(partition)@\(offset)" }
}
