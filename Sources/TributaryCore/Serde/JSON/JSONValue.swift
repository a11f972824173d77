/// A read-only cursor on one value of a parsed, validated JSON document, for decoding by hand.
///
/// `Codable` decoding through ``Serde/json(_:maxBytes:)`` pays for generic containers, existentials and coding
/// paths on every field. On a hot path, write the decoding instead and use ``Serde/json(maxBytes:decoding:)``:
/// ```swift
/// extension Point {
///     init(json: JSONValue) throws {
///         x = try json.double("x")
///         y = try json.double("y")
///         label = try json.optionalString("label")
///     }
/// }
/// let points = Serde<Point>.json(maxBytes: 1 << 16, decoding: Point.init(json:))
/// ```
/// Reading behaves like `JSONDecoder` (and ``Serde/json(_:maxBytes:)``) does for the corresponding `Codable`
/// calls, including its errors: a missing key is `DecodingError.keyNotFound` with the object's coding path, a
/// value of the wrong type `typeMismatch` (or `valueNotFound` for null) with the value's path, a number that does
/// not fit `dataCorrupted`. For duplicate keys the first occurrence wins. Keys are compared against the document's
/// bytes in place and coding paths are only built when an error is thrown, so reading allocates nothing but the
/// strings it returns.
///
/// A value is a document reference and a position; copying it is cheap, and it keeps the document alive.
public struct JSONValue: Sendable {
    /// The JSON type of a value.
    public enum Kind: Sendable, Hashable {
        /// `{...}`.
        case object
        /// `[...]`.
        case array
        /// `"..."`.
        case string
        /// A number literal.
        case number
        /// `true` or `false`.
        case bool
        /// `null`.
        case null
    }

    let document: JSONDocument
    /// The value's token index in the document's tape.
    let index: Int

    init(document: JSONDocument, index: Int) {
        self.document = document
        self.index = index
    }

    /// Parses and validates the JSON document in `bytes` (strict RFC 8259, as ``Serde/json(_:maxBytes:)`` parses)
    /// and returns its top-level value.
    ///
    /// - Throws: `DecodingError.dataCorrupted` with an empty coding path if `bytes` is not valid JSON.
    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        do {
            return JSONValue(document: try JSONDocument(bytes), index: 0)
        } catch {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: [], debugDescription: "The given data was not valid JSON. \(error)"))
        }
    }

    @inline(__always)
    var token: JSONToken { document.tape[index] }

    /// The value's JSON type.
    public var kind: Kind {
        switch token.kind {
        case .object: .object
        case .array: .array
        case .string: .string
        case .number: .number
        case .true, .false: .bool
        case .null: .null
        }
    }

    /// Whether the value is `null`.
    public var isNull: Bool { token.kind == .null }

    /// The coding path from the document's top-level value to this one, as `JSONDecoder` reports it (object keys
    /// by name, array elements as `Index n`). Built by walking the document, so meant for errors, not hot paths.
    public var codingPath: [any CodingKey] { document.codingPath(to: index) }

    // MARK: Objects

    /// The value of `key` if this is an object that has it, otherwise `nil`. A `null` value is returned as a value
    /// (see ``isNull``); for duplicate keys the first occurrence wins.
    public subscript(key: String) -> JSONValue? {
        guard token.kind == .object, let found = find(key) else { return nil }
        return JSONValue(document: document, index: found)
    }

    /// The token index of `key`'s value in this object.
    @inline(__always)
    func find(_ key: String) -> Int? {
        if let found = key.utf8.withContiguousStorageIfAvailable({ document.find($0, inObject: index) }) { return found }
        return Array(key.utf8).withUnsafeBufferPointer { document.find($0, inObject: index) }
    }

    /// Throws `typeMismatch` (`valueNotFound` for null) unless this is an object, like a keyed container would.
    @inline(__always)
    func requireObject() throws {
        guard token.kind == .object else { throw containerMismatch([String: Any].self) }
    }

    @inline(never)
    func containerMismatch(_ type: Any.Type) -> DecodingError {
        mismatch(type, token, codingPath: codingPath, container: true)
    }

    /// The token index of `key`'s value; throws `keyNotFound` if this object does not have it.
    @inline(__always)
    func required(_ key: String) throws -> Int {
        try requireObject()
        guard let found = find(key) else { throw keyNotFound(key) }
        return found
    }

    /// The token index of `key`'s value, or `nil` if this object does not have it or it is null.
    @inline(__always)
    func present(_ key: String) throws -> Int? {
        try requireObject()
        guard let found = find(key), document.tape[found].kind != .null else { return nil }
        return found
    }

    @inline(never)
    func keyNotFound(_ key: String) -> DecodingError {
        let codingKey = JSONCodingKey(stringValue: key)
        return DecodingError.keyNotFound(
            codingKey,
            DecodingError.Context(codingPath: codingPath, debugDescription: "No value associated with key \(codingKey) (\"\(key)\")."))
    }

    /// The object value of `key`.
    ///
    /// - Throws: `keyNotFound` if this object has no `key`; `typeMismatch`/`valueNotFound` if the value is not an
    ///   object, or if this value is not an object.
    public func object(_ key: String) throws -> JSONValue {
        let value = JSONValue(document: document, index: try required(key))
        try value.requireObject()
        return value
    }

    /// The object value of `key`, or `nil` if the key is absent or null.
    ///
    /// - Throws: `typeMismatch` if the value is present but not an object, or if this value is not an object.
    public func optionalObject(_ key: String) throws -> JSONValue? {
        guard let found = try present(key) else { return nil }
        let value = JSONValue(document: document, index: found)
        try value.requireObject()
        return value
    }

    /// This value, checked to be an object (what `container(keyedBy:)` checks).
    ///
    /// - Throws: `typeMismatch`, or `valueNotFound` for null, if it is not an object.
    public func object() throws -> JSONValue {
        try requireObject()
        return self
    }

    // MARK: Arrays

    /// The elements of an array, in order.
    public struct Elements: Sequence, Sendable {
        let document: JSONDocument
        let array: Int

        /// The number of elements.
        public var count: Int { Int(document.tape[array].a) }

        /// An estimate of the number of elements: exactly ``count``.
        public var underestimatedCount: Int { count }

        /// Creates an iterator over the elements.
        public func makeIterator() -> Iterator { Iterator(document: document, position: array + 1, end: Int(document.tape[array].b)) }

        /// Iterates the elements of an array.
        public struct Iterator: IteratorProtocol {
            let document: JSONDocument
            var position: Int
            let end: Int

            /// The next element, or `nil` after the last one.
            public mutating func next() -> JSONValue? {
                guard position < end else { return nil }
                let value = JSONValue(document: document, index: position)
                position = document.next(after: position)
                return value
            }
        }
    }

    /// The elements of this array.
    ///
    /// - Throws: `typeMismatch`, or `valueNotFound` for null, if this is not an array.
    public var elements: Elements {
        get throws {
            guard token.kind == .array else { throw containerMismatch([Any].self) }
            return Elements(document: document, array: index)
        }
    }

    /// The elements of the array value of `key`.
    ///
    /// - Throws: `keyNotFound` if this object has no `key`; `typeMismatch`/`valueNotFound` if the value is not an
    ///   array, or if this value is not an object.
    public func array(_ key: String) throws -> Elements {
        try JSONValue(document: document, index: try required(key)).elements
    }

    /// The elements of the array value of `key`, or `nil` if the key is absent or null.
    ///
    /// - Throws: `typeMismatch` if the value is present but not an array, or if this value is not an object.
    public func optionalArray(_ key: String) throws -> Elements? {
        guard let found = try present(key) else { return nil }
        return try JSONValue(document: document, index: found).elements
    }

    // MARK: Scalars

    @inline(never)
    func scalarMismatch(_ type: Any.Type) -> DecodingError {
        mismatch(type, token, codingPath: codingPath)
    }

    /// This string's value, with escapes decoded.
    ///
    /// - Throws: `typeMismatch`, or `valueNotFound` for null, if this is not a string.
    public func string() throws -> String { try Self.string(document, index) }

    /// Calls `body` with this string's UTF-8 (escapes decoded), without building a `String` when the string has
    /// no escapes: for values that are parsed further, such as timestamps.
    ///
    /// - Throws: what ``string()`` throws if this is not a string, or what `body` throws.
    public func withUTF8<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) throws -> Result {
        try Self.withUTF8(document, index, body)
    }

    /// Checks that this is a string, throwing what ``string()`` throws, without building it.
    public func checkString() throws { try Self.checkString(document, index) }

    /// Whether this is a string equal to `text` (compared as UTF-8 after decoding escapes), without building it.
    public func isString(_ text: String) -> Bool {
        guard token.kind == .string else { return false }
        var text = text
        return text.withUTF8 { document.stringEquals(at: index, $0) }
    }

    /// This Boolean's value.
    ///
    /// - Throws: `typeMismatch`, or `valueNotFound` for null, if this is not `true` or `false`.
    public func bool() throws -> Bool { try Self.bool(document, index) }

    /// This number as an `Int`. As in `JSONDecoder`, an integral value written with a fraction or exponent (`1.0`,
    /// `1e2`) is accepted.
    ///
    /// - Throws: `typeMismatch`, or `valueNotFound` for null, if this is not a number; `dataCorrupted` if it is not
    ///   an integer or does not fit.
    public func int() throws -> Int { try Self.integer(document, index, Int.self) }

    /// This number as an `Int64`, like ``int()``.
    ///
    /// - Throws: as ``int()``.
    public func int64() throws -> Int64 { try Self.integer(document, index, Int64.self) }

    /// This number as a correctly rounded `Double`.
    ///
    /// - Throws: `typeMismatch`, or `valueNotFound` for null, if this is not a number; `dataCorrupted` if it is out
    ///   of `Double`'s range.
    public func double() throws -> Double { try Self.double(document, index) }

    // The scalar reads, on a document and token index: the keyed reads here and in JSONObjectFields read without
    // creating a JSONValue per value, whose reference to the document costs a retain and a release. Errors build
    // one (the coding path needs it).

    @inline(never)
    static func scalarMismatch(_ document: JSONDocument, _ index: Int, _ type: Any.Type) -> DecodingError {
        JSONValue(document: document, index: index).scalarMismatch(type)
    }

    @inline(never)
    static func notRepresentable(_ document: JSONDocument, _ index: Int, _ type: Any.Type) -> DecodingError {
        document.notRepresentable(index, type, codingPath: document.codingPath(to: index))
    }

    @inline(__always)
    static func string(_ document: JSONDocument, _ index: Int) throws -> String {
        guard document.tape[index].kind == .string else { throw scalarMismatch(document, index, String.self) }
        return document.string(at: index)
    }

    @inline(__always)
    static func withUTF8<Result>(
        _ document: JSONDocument, _ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) throws -> Result {
        let token = document.tape[index]
        guard token.kind == .string else { throw scalarMismatch(document, index, String.self) }
        if token.flag {
            var decoded = document.string(at: index)
            return try decoded.withUTF8(body)
        }
        return try document.bytes.withUnsafeBufferPointer { bytes in
            try body(UnsafeBufferPointer(rebasing: bytes[Int(token.a)..<Int(token.b)]))
        }
    }

    @inline(__always)
    static func checkString(_ document: JSONDocument, _ index: Int) throws {
        guard document.tape[index].kind == .string else { throw scalarMismatch(document, index, String.self) }
    }

    @inline(__always)
    static func bool(_ document: JSONDocument, _ index: Int) throws -> Bool {
        switch document.tape[index].kind {
        case .true: return true
        case .false: return false
        default: throw scalarMismatch(document, index, Bool.self)
        }
    }

    @inline(__always)
    static func double(_ document: JSONDocument, _ index: Int) throws -> Double {
        guard document.tape[index].kind == .number else { throw scalarMismatch(document, index, Double.self) }
        if let value = document.finiteFloat(at: index, Double.self) { return value }
        throw notRepresentable(document, index, Double.self)
    }

    @inline(__always)
    static func integer<T: FixedWidthInteger>(_ document: JSONDocument, _ index: Int, _ type: T.Type) throws -> T {
        guard document.tape[index].kind == .number else { throw scalarMismatch(document, index, T.self) }
        if let value = document.exactInteger(at: index, T.self) { return value }
        throw notRepresentable(document, index, T.self)
    }

    // MARK: Scalars by key

    /// The string value of `key`.
    ///
    /// - Throws: `keyNotFound` if this object has no `key`; `typeMismatch`/`valueNotFound` if the value is not a
    ///   string, or if this value is not an object.
    public func string(_ key: String) throws -> String {
        try Self.string(document, try required(key))
    }

    /// The string value of `key`, or `nil` if the key is absent or null.
    ///
    /// - Throws: `typeMismatch` if the value is present but not a string, or if this value is not an object.
    public func optionalString(_ key: String) throws -> String? {
        guard let found = try present(key) else { return nil }
        return try Self.string(document, found)
    }

    /// The Boolean value of `key`.
    ///
    /// - Throws: as ``string(_:)``, for a value that is not `true` or `false`.
    public func bool(_ key: String) throws -> Bool {
        try Self.bool(document, try required(key))
    }

    /// The Boolean value of `key`, or `nil` if the key is absent or null.
    ///
    /// - Throws: as ``optionalString(_:)``, for a value that is not `true` or `false`.
    public func optionalBool(_ key: String) throws -> Bool? {
        guard let found = try present(key) else { return nil }
        return try Self.bool(document, found)
    }

    /// The `Int` value of `key` (see ``int()``).
    ///
    /// - Throws: as ``string(_:)`` for a value that is not a number; `dataCorrupted` if it is not an `Int`.
    public func int(_ key: String) throws -> Int {
        try Self.integer(document, try required(key), Int.self)
    }

    /// The `Int` value of `key`, or `nil` if the key is absent or null.
    ///
    /// - Throws: as ``optionalString(_:)`` for a value that is not a number; `dataCorrupted` if it is not an `Int`.
    public func optionalInt(_ key: String) throws -> Int? {
        guard let found = try present(key) else { return nil }
        return try Self.integer(document, found, Int.self)
    }

    /// The `Int64` value of `key` (see ``int()``).
    ///
    /// - Throws: as ``string(_:)`` for a value that is not a number; `dataCorrupted` if it is not an `Int64`.
    public func int64(_ key: String) throws -> Int64 {
        try Self.integer(document, try required(key), Int64.self)
    }

    /// The `Int64` value of `key`, or `nil` if the key is absent or null.
    ///
    /// - Throws: as ``optionalString(_:)`` for a value that is not a number; `dataCorrupted` if it is not an `Int64`.
    public func optionalInt64(_ key: String) throws -> Int64? {
        guard let found = try present(key) else { return nil }
        return try Self.integer(document, found, Int64.self)
    }

    /// The `Double` value of `key`.
    ///
    /// - Throws: as ``string(_:)`` for a value that is not a number; `dataCorrupted` if it is out of range.
    public func double(_ key: String) throws -> Double {
        try Self.double(document, try required(key))
    }

    /// The `Double` value of `key`, or `nil` if the key is absent or null.
    ///
    /// - Throws: as ``optionalString(_:)`` for a value that is not a number; `dataCorrupted` if it is out of range.
    public func optionalDouble(_ key: String) throws -> Double? {
        guard let found = try present(key) else { return nil }
        return try Self.double(document, found)
    }
}

extension JSONDocument {
    /// The token index of the value of `key` (UTF-8) in the object at `object`, or `nil`. The first occurrence wins.
    @inline(__always)
    func find(_ key: UnsafeBufferPointer<UInt8>, inObject object: Int) -> Int? {
        var index = object + 1
        let end = Int(tape[object].b)
        while index < end {
            if stringEquals(at: index, key) { return index + 1 }
            index = next(after: index + 1)
        }
        return nil
    }

    /// The coding path of the value at token index `target`, found by descending from the top-level value.
    func codingPath(to target: Int) -> [any CodingKey] {
        var path: [any CodingKey] = []
        var index = 0
        while index < target {
            let token = tape[index]
            var child = index + 1
            if token.kind == .object {
                // `child` is a key; its value follows it.
                while !subtree(child + 1, contains: target) { child = next(after: child + 1) }
                path.append(JSONCodingKey(stringValue: string(at: child)))
                index = child + 1
            } else {
                var position = 0
                while !subtree(child, contains: target) {
                    child = next(after: child)
                    position += 1
                }
                path.append(JSONCodingKey(intValue: position))
                index = child
            }
        }
        return path
    }

    /// Whether `target` is the value at `index` or inside it.
    private func subtree(_ index: Int, contains target: Int) -> Bool {
        target >= index && target < next(after: index)
    }
}
