/// A Kafka record header: a string key and an optional (nullable) byte value.
public struct KafkaHeader: Hashable, Sendable {
    /// The header key.
    public var key: String
    /// The header value; `nil` is a null value, distinct from an empty one.
    public var value: [UInt8]?

    /// Creates a header.
    public init(key: String, value: [UInt8]?) {
        self.key = key
        self.value = value
    }
}
