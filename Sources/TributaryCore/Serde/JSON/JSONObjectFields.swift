/// The members of one JSON object whose keys are in a ``JSONKeySet``, found in a single pass.
///
/// Reads the same values and throws the same errors as ``JSONValue``'s keyed reads (`keyNotFound` for a missing
/// key, `typeMismatch`/`valueNotFound` for a wrong type, with the same coding paths), so a hand-written decoder
/// can switch to it without changing behaviour. Every key read must be in the set the fields were found with.
/// As with `JSONValue`, the first occurrence of a duplicate key wins.
public struct JSONObjectFields: Sendable {
    /// The object.
    public let object: JSONValue
    let keys: JSONKeySet
    /// Token index of each key's value, by key position; 0 when the object does not have the key (index 0 is
    /// the document's top-level value, never a member).
    private let valueIndices: InlineArray<16, UInt32>

    /// The value of `key`, or `nil` if the object does not have it. A `null` value is returned as a value.
    public subscript(key: String) -> JSONValue? {
        let found = valueIndices[keys.position(of: key)]
        return found == 0 ? nil : JSONValue(document: object.document, index: Int(found))
    }

    /// The token index of `key`'s value; throws `keyNotFound` if the object does not have it.
    @inline(__always)
    private func requiredIndex(_ key: String) throws -> Int {
        let found = valueIndices[keys.position(of: key)]
        guard found != 0 else { throw object.keyNotFound(key) }
        return Int(found)
    }

    /// The token index of `key`'s value, or `nil` if the object does not have it or it is null.
    @inline(__always)
    private func presentIndex(_ key: String) -> Int? {
        let found = Int(valueIndices[keys.position(of: key)])
        guard found != 0, object.document.tape[found].kind != .null else { return nil }
        return found
    }

    // Scalars are read straight from the document (see JSONValue's static reads); values that are returned are
    // built as JSONValues.

    /// The object value of `key`; throws as ``JSONValue/object(_:)``.
    public func object(_ key: String) throws -> JSONValue {
        try JSONValue(document: object.document, index: try requiredIndex(key)).object()
    }

    /// The object value of `key`, or `nil` if absent or null; throws as ``JSONValue/optionalObject(_:)``.
    public func optionalObject(_ key: String) throws -> JSONValue? {
        try presentIndex(key).map { try JSONValue(document: object.document, index: $0).object() }
    }

    /// The elements of the array value of `key`; throws as ``JSONValue/array(_:)``.
    public func array(_ key: String) throws -> JSONValue.Elements {
        try JSONValue(document: object.document, index: try requiredIndex(key)).elements
    }

    /// The elements of the array value of `key`, or `nil` if absent or null; throws as ``JSONValue/optionalArray(_:)``.
    public func optionalArray(_ key: String) throws -> JSONValue.Elements? {
        try presentIndex(key).map { try JSONValue(document: object.document, index: $0).elements }
    }

    /// The string value of `key`; throws as ``JSONValue/string(_:)``.
    public func string(_ key: String) throws -> String { try JSONValue.string(object.document, try requiredIndex(key)) }

    /// The string value of `key`, or `nil` if absent or null; throws as ``JSONValue/optionalString(_:)``.
    public func optionalString(_ key: String) throws -> String? {
        try presentIndex(key).map { try JSONValue.string(object.document, $0) }
    }

    /// Calls `body` with the UTF-8 of `key`'s string value (see ``JSONValue/withUTF8(_:)``); throws what
    /// ``string(_:)`` throws, or what `body` throws.
    public func withUTF8<Result>(_ key: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) throws -> Result {
        try JSONValue.withUTF8(object.document, try requiredIndex(key), body)
    }

    /// Checks that `key` has a string value, throwing what ``string(_:)`` throws, without building the string
    /// (for a decoder that needs a string only sometimes but must reject a malformed document either way).
    public func checkString(_ key: String) throws { try JSONValue.checkString(object.document, try requiredIndex(key)) }

    /// Checks that `key` is absent, null or a string, throwing what ``optionalString(_:)`` throws, without building
    /// the string.
    public func checkOptionalString(_ key: String) throws {
        if let index = presentIndex(key) { try JSONValue.checkString(object.document, index) }
    }

    /// The Boolean value of `key`; throws as ``JSONValue/bool(_:)``.
    public func bool(_ key: String) throws -> Bool { try JSONValue.bool(object.document, try requiredIndex(key)) }

    /// The Boolean value of `key`, or `nil` if absent or null; throws as ``JSONValue/optionalBool(_:)``.
    public func optionalBool(_ key: String) throws -> Bool? {
        try presentIndex(key).map { try JSONValue.bool(object.document, $0) }
    }

    /// The `Int` value of `key`; throws as ``JSONValue/int(_:)``.
    public func int(_ key: String) throws -> Int { try JSONValue.integer(object.document, try requiredIndex(key), Int.self) }

    /// The `Int` value of `key`, or `nil` if absent or null; throws as ``JSONValue/optionalInt(_:)``.
    public func optionalInt(_ key: String) throws -> Int? {
        try presentIndex(key).map { try JSONValue.integer(object.document, $0, Int.self) }
    }

    /// The `Int64` value of `key`; throws as ``JSONValue/int64(_:)``.
    public func int64(_ key: String) throws -> Int64 {
        try JSONValue.integer(object.document, try requiredIndex(key), Int64.self)
    }

    /// The `Int64` value of `key`, or `nil` if absent or null; throws as ``JSONValue/optionalInt64(_:)``.
    public func optionalInt64(_ key: String) throws -> Int64? {
        try presentIndex(key).map { try JSONValue.integer(object.document, $0, Int64.self) }
    }

    /// The `Double` value of `key`; throws as ``JSONValue/double(_:)``.
    public func double(_ key: String) throws -> Double { try JSONValue.double(object.document, try requiredIndex(key)) }

    /// The `Double` value of `key`, or `nil` if absent or null; throws as ``JSONValue/optionalDouble(_:)``.
    public func optionalDouble(_ key: String) throws -> Double? {
        try presentIndex(key).map { try JSONValue.double(object.document, $0) }
    }
}

extension JSONObjectFields {
    /// Finds the members of `object` (an object) whose keys are in `keys`.
    init(scanning object: JSONValue, keys: JSONKeySet) {
        var valueIndices = InlineArray<16, UInt32>(repeating: 0)
        let document = object.document
        var index = object.index + 1
        let end = Int(document.tape[object.index].b)
        document.bytes.withUnsafeBufferPointer { bytes in
            while index < end {
                let key = document.tape[index]
                let position: Int?
                if key.flag {
                    var unescaped = document.string(at: index)
                    position = unescaped.withUTF8 { keys.position(of: $0, readable: $0.count) }
                } else {
                    let start = Int(key.a)
                    position = keys.position(
                        of: UnsafeBufferPointer(start: bytes.baseAddress! + start, count: Int(key.b) - start),
                        readable: bytes.count - start)
                }
                if let position, valueIndices[position] == 0 { valueIndices[position] = UInt32(index + 1) }
                index = document.next(after: index + 1)
            }
        }
        // The synthesized memberwise initializer (hence this extension): Swift 6.3 compiles an explicit initializer
        // that assigns the members to copy the whole value once.
        self.init(object: object, keys: keys, valueIndices: valueIndices)
    }
}

extension JSONValue {
    /// The members of this object whose keys are in `keys`, found in one pass (see ``JSONObjectFields``).
    ///
    /// - Throws: `typeMismatch`, or `valueNotFound` for null, if this is not an object.
    public func fields(_ keys: JSONKeySet) throws -> JSONObjectFields {
        try requireObject()
        return JSONObjectFields(scanning: self, keys: keys)
    }
}
