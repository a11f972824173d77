#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension Serde where Value == String {
    /// UTF-8 text. Invalid UTF-8 is a deserialization error, not a silent repair.
    public static var string: Serde<String> {
        Serde(
            serialize: { Array($0.utf8) },
            deserialize: { bytes in
                // ASCII is valid UTF-8 as it is; only other bytes need the (generic, costlier) validating decoder.
                if bytes.withUnsafeBufferPointer({ $0.reduce(0, |) < 0x80 }) {
                    return String(decoding: bytes, as: UTF8.self)
                }
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    throw SerdeError.malformed("invalid UTF-8")
                }
                return text
            }
        ).formatted(.string)
    }
}

extension Serde where Value == Int64 {
    /// A 64-bit integer as 8 big-endian bytes (Kafka's `LongSerializer` format).
    public static var int64: Serde<Int64> {
        Serde(
            serialize: { value in withUnsafeBytes(of: value.bigEndian) { Array($0) } },
            deserialize: { bytes in
                guard bytes.count == 8 else { throw SerdeError.malformed("expected 8 bytes, got \(bytes.count)") }
                return bytes.reduce(Int64(0)) { ($0 << 8) | Int64($1) }
            }
        ).formatted(.int64)
    }
}

extension Serde where Value == Double {
    /// A double as its 8 big-endian IEEE 754 bytes (Kafka's `DoubleSerializer` format).
    public static var double: Serde<Double> {
        Serde<Int64>.int64.map(
            { Double(bitPattern: UInt64(bitPattern: $0)) }, { Int64(bitPattern: $0.bitPattern) }
        ).formatted(.double)
    }
}

extension Serde where Value == [UInt8] {
    /// Bytes passed through unchanged.
    public static var bytes: Serde<[UInt8]> {
        Serde(serialize: { $0 }, deserialize: { $0 }).formatted(.bytes)
    }
}

extension Serde {
    /// JSON through `Codable`. Objects that do not match `Value` are deserialization errors.
    ///
    /// Output is byte for byte what Foundation's `JSONEncoder` writes with `[.sortedKeys, .withoutEscapingSlashes]`;
    /// input is parsed strictly (RFC 8259) by a byte-level decoder that behaves like `JSONDecoder`.
    ///
    /// - Parameter maxBytes: values larger than this are rejected before parsing (``SerdeError/tooLarge(size:limit:)``),
    ///   so one oversized record cannot stall a thread. `nil` accepts any size.
    public static func json(_ type: Value.Type = Value.self, maxBytes: Int? = nil) -> Serde<Value>
    where Value: Codable & SendableMetatype {
        Serde(
            serialize: { value in try JSONByteEncoder().encode(value) },
            deserialize: { bytes in
                try Self.checkJSONInput(bytes, maxBytes: maxBytes)
                do {
                    return try JSONByteDecoder().decode(Value.self, from: bytes)
                } catch let error as DecodingError {
                    throw SerdeError.malformed(Self.describe(error))
                }
            }
        ).formatted(.json)
    }

    /// JSON decoded by hand from a ``JSONValue``, encoded through `Encodable`.
    ///
    /// Use it on hot paths, where `Codable`'s generic decoding machinery costs several times the parse itself, and
    /// to read only part of large documents. The document is parsed and validated exactly as
    /// ``json(_:maxBytes:)`` parses it, the same size and empty-value checks apply, and a `DecodingError` thrown by
    /// `decoding` (as ``JSONValue``'s accessors throw) becomes the same ``SerdeError/malformed(_:)`` message, so a
    /// hand-written `decoding` that reads like the `Codable` conformance fails with identical errors:
    /// ```swift
    /// let changes = Serde<RecentChange>.json(maxBytes: 1 << 20, decoding: RecentChange.init(json:))
    /// ```
    /// Output is what ``json(_:maxBytes:)`` writes.
    ///
    /// - Parameters:
    ///   - maxBytes: values larger than this are rejected before parsing (``SerdeError/tooLarge(size:limit:)``).
    ///     `nil` accepts any size.
    ///   - decoding: builds a value from the document's top-level value. Errors other than `DecodingError`
    ///     propagate unchanged.
    public static func json(
        maxBytes: Int? = nil, decoding: @escaping @Sendable (JSONValue) throws -> Value
    ) -> Serde<Value> where Value: Encodable & SendableMetatype {
        Serde(
            serialize: { value in try JSONByteEncoder().encode(value) },
            deserialize: { bytes in
                try Self.checkJSONInput(bytes, maxBytes: maxBytes)
                do {
                    return try decoding(try JSONValue.parse(bytes))
                } catch let error as DecodingError {
                    throw SerdeError.malformed(Self.describe(error))
                }
            }
        ).formatted(.json)
    }

    /// The checks before parsing: the size limit, then emptiness.
    @inline(__always)
    private static func checkJSONInput(_ bytes: [UInt8], maxBytes: Int?) throws {
        if let maxBytes, bytes.count > maxBytes { throw SerdeError.tooLarge(size: bytes.count, limit: maxBytes) }
        if bytes.isEmpty { throw SerdeError.malformed("empty value") }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .typeMismatch(let type, let context): return "type mismatch at '\(path(context))': expected \(type)"
        case .valueNotFound(let type, let context): return "missing value at '\(path(context))': expected \(type)"
        case .keyNotFound(let key, let context):
            let prefix = path(context)
            return "missing key '\(prefix.isEmpty ? "" : prefix + ".")\(key.stringValue)'"
        case .dataCorrupted(let context): return "invalid JSON: \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
