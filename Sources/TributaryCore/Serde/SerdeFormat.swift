/// What a serde's bytes are, so tools outside the topology (the query port) can read and write them.
///
/// Built-in serdes carry their format; serdes made with ``Serde/init(serialize:deserialize:)``,
/// ``Serde/init(serializeOptional:deserializeOptional:)`` or ``Serde/map(_:_:)`` are ``opaque``.
public enum SerdeFormat: String, Sendable, Equatable, Codable {
    /// UTF-8 text (``Serde/string``).
    case string
    /// A 64-bit integer as 8 big-endian bytes (``Serde/int64``).
    case int64
    /// A double as its 8 big-endian IEEE 754 bytes (``Serde/double``).
    case double
    /// Bytes passed through unchanged (``Serde/bytes``).
    case bytes
    /// A JSON document (``Serde/json(_:maxBytes:)``).
    case json
    /// Any other encoding: only the topology's own serde can read it.
    case opaque
}
