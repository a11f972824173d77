/// Chooses a record's event time when a source reads it.
///
/// The extractor sees the deserialized record (whose `timestamp` is the Kafka record timestamp) and the
/// partition time (the largest event time taken from that partition so far, `Int64.min` before the first).
/// Returning `nil` or a negative time rejects the record: it goes to the deserialization error policy.
public struct TimestampExtractor<Key, Value>: Sendable {
    let extract: @Sendable (Record<Key, Value>, Int64) throws -> Int64?
    /// Whether `extract` returns the record timestamp, so sources can read it from the raw record directly.
    let isRecordTimestamp: Bool

    /// Creates an extractor from a closure of the record and the partition time.
    public init(_ extract: @escaping @Sendable (_ record: Record<Key, Value>, _ partitionTime: Int64) throws -> Int64?) {
        self.extract = extract
        self.isRecordTimestamp = false
    }

    /// The Kafka record timestamp (producer or log-append time).
    public static var recordTimestamp: TimestampExtractor {
        TimestampExtractor({ record, _ in record.timestamp }, isRecordTimestamp: true)
    }

    private init(_ extract: @escaping @Sendable (Record<Key, Value>, Int64) throws -> Int64?, isRecordTimestamp: Bool) {
        self.extract = extract
        self.isRecordTimestamp = isRecordTimestamp
    }

    /// The event time from the value, falling back to the record timestamp when the closure returns `nil`.
    public static func fromValue(_ time: @escaping @Sendable (Value) -> Int64?) -> TimestampExtractor {
        TimestampExtractor { record, _ in time(record.value) ?? record.timestamp }
    }
}

/// A record the timestamp extractor rejected.
public struct InvalidTimestampError: Error, CustomStringConvertible {
    /// What the extractor returned.
    public var extracted: Int64?
    public var description: String {
        extracted.map { "invalid timestamp \($0)" } ?? "no timestamp could be extracted"
    }
}
