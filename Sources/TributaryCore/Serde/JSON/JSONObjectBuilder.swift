/// Writes one flat JSON object member by member, straight into bytes: for hot paths where a `Codable` encoding
/// costs too much.
///
/// Strings and integers are written exactly as ``Serde/json(_:maxBytes:)`` writes them. To produce the same bytes
/// as that serde for a type with a synthesized `Encodable` conformance, add the members sorted by key and leave
/// out `nil` optionals (the `add` overloads taking optionals do), as that encoding does; then use it through
/// ``Serde/serializing(with:)``.
///
/// ```swift
/// var object = JSONObjectBuilder()
/// object.add("count", edit.count)
/// object.add("title", edit.title)
/// let bytes = object.finish()
/// ```
public struct JSONObjectBuilder {
    private var output: [UInt8]
    private var isEmpty = true

    /// Starts an object, reserving `capacity` bytes.
    public init(capacity: Int = 256) {
        output = []
        output.reserveCapacity(capacity)
        output.append(UInt8(ascii: "{"))
    }

    /// Adds a string member.
    public mutating func add(_ key: StaticString, _ value: String) {
        appendKey(key)
        JSONEncodeContext.appendString(value, to: &output)
    }

    /// Adds a string member, or nothing for `nil`.
    public mutating func add(_ key: StaticString, _ value: String?) {
        if let value { add(key, value) }
    }

    /// Adds a Boolean member.
    public mutating func add(_ key: StaticString, _ value: Bool) {
        appendKey(key)
        output.append(contentsOf: value ? Self.trueBytes : Self.falseBytes)
    }

    /// Adds a Boolean member, or nothing for `nil`.
    public mutating func add(_ key: StaticString, _ value: Bool?) {
        if let value { add(key, value) }
    }

    /// Adds an integer member.
    public mutating func add(_ key: StaticString, _ value: Int64) {
        appendKey(key)
        JSONEncodeContext.appendInteger(value, to: &output)
    }

    /// Adds an integer member, or nothing for `nil`.
    public mutating func add(_ key: StaticString, _ value: Int64?) {
        if let value { add(key, value) }
    }

    /// Closes the object and returns its bytes; the builder must not be used afterwards.
    public mutating func finish() -> [UInt8] {
        output.append(UInt8(ascii: "}"))
        return output
    }

    private mutating func appendKey(_ key: StaticString) {
        if !isEmpty { output.append(UInt8(ascii: ",")) }
        isEmpty = false
        key.withUTF8Buffer { JSONEncodeContext.appendString(utf8: $0, to: &output) }
        output.append(UInt8(ascii: ":"))
    }

    private static let trueBytes: [UInt8] = Array("true".utf8)
    private static let falseBytes: [UInt8] = Array("false".utf8)
}
