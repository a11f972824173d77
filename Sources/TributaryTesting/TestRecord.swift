import TributaryCore

/// A record read from a test output topic, with the partition the key would land on.
public struct TestRecord<Key, Value> {
    /// The key.
    public var key: Key
    /// The value.
    public var value: Value
    /// The record timestamp (event time).
    public var timestamp: Int64
    /// The headers.
    public var headers: [Header]
    /// The partition the record was written to.
    public var partition: Int32
}

extension TestRecord: Equatable where Key: Equatable, Value: Equatable {}
