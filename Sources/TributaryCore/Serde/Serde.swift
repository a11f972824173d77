/// Converts values to and from the bytes stored in Kafka.
///
/// A serde is a pair of closures, so custom formats need no new types:
/// ```swift
/// let celsius = Serde<Double>(
///     serialize: { Array(String($0).utf8) },
///     deserialize: { bytes in guard let d = Double(String(decoding: bytes, as: UTF8.self)) else {
///         throw SerdeError.malformed("not a number") }; return d })
/// ```
/// Serializers see only non-null values and deserializers only non-null bytes: a Kafka null (a missing key
/// or a tombstone) is handled by ``optional(_:)`` and is an error for a non-optional serde.
/// Deserialization failures go to the topology's error policy; they never stop a stream thread unless
/// that policy is ``ErrorPolicy/fail``.
public struct Serde<Value>: Sendable {
    /// Encodes a value as bytes; `nil` means Kafka null.
    public let serializeOptional: @Sendable (Value) throws -> [UInt8]?
    /// Decodes bytes (or Kafka null) into a value.
    public let deserializeOptional: @Sendable ([UInt8]?) throws -> Value
    /// What the bytes are; ``SerdeFormat/opaque`` unless the serde is a built-in one.
    public private(set) var format: SerdeFormat = .opaque

    /// Creates a serde for values that are never null.
    public init(
        serialize: @escaping @Sendable (Value) throws -> [UInt8],
        deserialize: @escaping @Sendable ([UInt8]) throws -> Value
    ) {
        self.serializeOptional = { try serialize($0) }
        self.deserializeOptional = { bytes in
            guard let bytes else { throw SerdeError.unexpectedNull }
            return try deserialize(bytes)
        }
    }

    /// Creates a serde that handles Kafka nulls itself.
    public init(
        serializeOptional: @escaping @Sendable (Value) throws -> [UInt8]?,
        deserializeOptional: @escaping @Sendable ([UInt8]?) throws -> Value
    ) {
        self.serializeOptional = serializeOptional
        self.deserializeOptional = deserializeOptional
    }

    /// A serde for optional values, mapping `nil` to Kafka null and back.
    public static func optional<Wrapped>(_ wrapped: Serde<Wrapped>) -> Serde<Wrapped?> where Value == Wrapped? {
        Serde<Wrapped?>(
            serializeOptional: { value in try value.flatMap { try wrapped.serializeOptional($0) } },
            deserializeOptional: { bytes in try bytes.map { try wrapped.deserializeOptional($0) } }
        ).formatted(wrapped.format)
    }

    /// This serde, declaring that its bytes are in `format`.
    package func formatted(_ format: SerdeFormat) -> Serde<Value> {
        var copy = self
        copy.format = format
        return copy
    }

    /// This serde with another serializer: same format and deserializer. For a hand-written encoding on a hot path
    /// (for example with ``JSONObjectBuilder``) that must write what this serde writes:
    /// ```swift
    /// static let serde = Serde<Edit>.json().serializing { $0.jsonBytes() }
    /// ```
    public func serializing(with serialize: @escaping @Sendable (Value) throws -> [UInt8]) -> Serde<Value> {
        var copy = Serde(serializeOptional: { try serialize($0) }, deserializeOptional: deserializeOptional)
        copy.format = format
        return copy
    }

    /// A serde for another type, converting through this one.
    public func map<Other>(
        _ decode: @escaping @Sendable (Value) throws -> Other, _ encode: @escaping @Sendable (Other) throws -> Value
    ) -> Serde<Other> {
        let base = self
        return Serde<Other>(
            serializeOptional: { try base.serializeOptional(try encode($0)) },
            deserializeOptional: { try decode(try base.deserializeOptional($0)) })
    }
}

/// Why bytes could not become a value, or a value could not become bytes.
public enum SerdeError: Error, Equatable, CustomStringConvertible {
    /// A null key or value reached a serde that has no null.
    case unexpectedNull
    /// The bytes do not have the expected size or shape.
    case malformed(String)
    /// The bytes are larger than the serde accepts.
    case tooLarge(size: Int, limit: Int)

    public var description: String {
        switch self {
        case .unexpectedNull: "unexpected null"
        case .malformed(let reason): "malformed: \(reason)"
        case .tooLarge(let size, let limit): "too large: \(size) bytes, limit \(limit)"
        }
    }
}
