/// A record as read from a topic: bytes, with its position in the log.
///
/// Sources deserialize raw records into typed ``Record`` values. Error policies receive the raw record,
/// so a dead-letter topic gets the original bytes.
public struct RawRecord: Sendable, Equatable {
    // Stored in a different order from the public initializer's parameters, so that the compiler still
    // synthesizes the memberwise `init(topic:partition:offset:timestamp:key:value:headers:)`, which the public
    // one calls: Swift 6.3 compiles an explicit initializer of this many fields to build the record on the stack,
    // copy it (retaining every buffer) and destroy the original, while the synthesized one moves its arguments;
    // the copy was ~4% of a stream thread's time.

    /// The topic the record was read from.
    public var topic: String
    /// The partition the record was read from.
    public var partition: Int32
    /// The record's offset in its partition, or -1 when it has none (records piped into a test driver
    /// get consecutive offsets per partition).
    public var offset: Int64
    /// The record timestamp in milliseconds since the Unix epoch.
    public var timestamp: Int64
    /// Key bytes; `nil` for a null key.
    public var key: [UInt8]?
    /// Value bytes; `nil` for a null value (a tombstone).
    public var value: [UInt8]?
    /// The record headers.
    public var headers: [Header]
}

extension RawRecord {
    /// Creates a raw record.
    public init(
        topic: String, partition: Int32, offset: Int64, key: [UInt8]?, value: [UInt8]?, timestamp: Int64,
        headers: [Header] = []
    ) {
        self.init(
            topic: topic, partition: partition, offset: offset, timestamp: timestamp, key: key, value: value,
            headers: headers)
    }
}

/// Where the record being processed came from.
public struct RecordMetadata: Sendable, Equatable {
    /// Source topic.
    public var topic: String
    /// Source partition.
    public var partition: Int32
    /// Source offset.
    public var offset: Int64
}
