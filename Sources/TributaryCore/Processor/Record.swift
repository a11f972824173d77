/// A key-value record flowing through a topology, with its event time and headers.
///
/// Records are values: operators return new records rather than mutating shared ones.
public struct Record<Key, Value> {
    /// The record key. Keys decide partitioning and grouping.
    public var key: Key
    /// The record value.
    public var value: Value
    /// Event time in milliseconds since the Unix epoch.
    public var timestamp: Int64
    /// Headers carried along with the record.
    public var headers: [Header]

    /// Creates a record.
    @inlinable @inline(__always)
    public init(key: Key, value: Value, timestamp: Int64, headers: [Header] = []) {
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.headers = headers
    }

    /// The same record with another key.
    @inlinable @inline(__always)
    public func withKey<NewKey>(_ key: NewKey) -> Record<NewKey, Value> {
        Record<NewKey, Value>(key: key, value: value, timestamp: timestamp, headers: headers)
    }

    /// The same record with another value.
    @inlinable @inline(__always)
    public func withValue<NewValue>(_ value: NewValue) -> Record<Key, NewValue> {
        Record<Key, NewValue>(key: key, value: value, timestamp: timestamp, headers: headers)
    }

    /// The same record with another timestamp.
    public func withTimestamp(_ timestamp: Int64) -> Record {
        var copy = self
        copy.timestamp = timestamp
        return copy
    }
}

extension Record: Equatable where Key: Equatable, Value: Equatable {}
extension Record: Sendable where Key: Sendable, Value: Sendable {}

/// A Kafka record header: a name and optional bytes.
public struct Header: Hashable, Sendable {
    /// The header name.
    public var key: String
    /// The header bytes, or `nil` for a header without a value.
    public var value: [UInt8]?

    /// Creates a header.
    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value
    }

    /// Creates a header whose value is the UTF-8 encoding of `string`.
    public init(key: String, string: String) {
        self.init(key: key, value: Array(string.utf8))
    }

    /// The value decoded as UTF-8, if it is present and valid.
    public var stringValue: String? {
        value.flatMap { String(validating: $0, as: UTF8.self) }
    }
}

extension Array where Element == Header {
    /// The value of the last header named `key`, as Kafka Streams' `lastHeader` returns it.
    public func last(named key: String) -> Header? {
        last { $0.key == key }
    }
}
