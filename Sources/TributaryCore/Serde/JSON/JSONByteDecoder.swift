/// Decodes `Decodable` values from UTF-8 JSON bytes, without Foundation.
///
/// One validating pass indexes the document (``JSONDocument``); decoding then reads only the values the type
/// asks for. Behaviour follows Foundation's `JSONDecoder` with default strategies, including its error cases and
/// coding paths, with these deliberate differences:
/// - Strict RFC 8259: trailing commas (which Foundation accepts) are syntax errors; only UTF-8 input is accepted.
/// - Unknown keys are ignored but must still be valid JSON. For duplicate keys the first occurrence wins, as in
///   Foundation on Linux.
/// - A number decoded as an integer may have a fraction or exponent if its value is an integer (`1.0`, `1e2`),
///   as in Foundation; otherwise, or if it does not fit the type, it is a `dataCorrupted` error.
/// - `Float` is parsed directly from the literal (correctly rounded), not via `Double`.
struct JSONByteDecoder {
    /// Decodes a `T` from the JSON document in `bytes`.
    func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws -> T {
        let document: JSONDocument
        do {
            document = try JSONDocument(bytes)
        } catch {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: [], debugDescription: "The given data was not valid JSON. \(error)"))
        }
        let decoder = JSONValueDecoder(document: document, index: 0, parent: nil, key: nil)
        return try decoder.unwrap(T.self)
    }
}

/// A coding key for array indices and dictionary entries.
struct JSONCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        self.stringValue = "Index \(intValue)"
        self.intValue = intValue
    }
    static let `super` = JSONCodingKey(stringValue: "super")
}

/// The `Decoder` for one value of a document. Its coding path is kept as a parent link and built only on demand.
final class JSONValueDecoder: Decoder, SingleValueDecodingContainer {
    let document: JSONDocument
    let index: Int
    let parent: JSONValueDecoder?
    let key: (any CodingKey)?

    init(document: JSONDocument, index: Int, parent: JSONValueDecoder?, key: (any CodingKey)?) {
        self.document = document
        self.index = index
        self.parent = parent
        self.key = key
    }

    var codingPath: [any CodingKey] {
        var path: [any CodingKey] = []
        var node: JSONValueDecoder? = self
        while let current = node {
            if let key = current.key { path.append(key) }
            node = current.parent
        }
        return path.reversed()
    }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        let token = document.tape[index]
        guard token.kind == .object else {
            throw mismatch([String: Any].self, token, codingPath: codingPath, container: true)
        }
        return KeyedDecodingContainer(JSONKeyedDecodingContainer<Key>(decoder: self, object: index))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        let token = document.tape[index]
        guard token.kind == .array else { throw mismatch([Any].self, token, codingPath: codingPath, container: true) }
        return JSONUnkeyedDecodingContainer(decoder: self, array: index)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    // MARK: Single value

    func decodeNil() -> Bool { document.tape[index].kind == .null }
    func decode(_ type: Bool.Type) throws -> Bool { try document.bool(index, path: self, key: nil) }
    func decode(_ type: String.Type) throws -> String { try document.string(index, path: self, key: nil) }
    func decode(_ type: Double.Type) throws -> Double { try document.float(index, Double.self, path: self, key: nil) }
    func decode(_ type: Float.Type) throws -> Float { try document.float(index, Float.self, path: self, key: nil) }
    func decode(_ type: Int.Type) throws -> Int { try document.integer(index, Int.self, path: self, key: nil) }
    func decode(_ type: Int8.Type) throws -> Int8 { try document.integer(index, Int8.self, path: self, key: nil) }
    func decode(_ type: Int16.Type) throws -> Int16 { try document.integer(index, Int16.self, path: self, key: nil) }
    func decode(_ type: Int32.Type) throws -> Int32 { try document.integer(index, Int32.self, path: self, key: nil) }
    func decode(_ type: Int64.Type) throws -> Int64 { try document.integer(index, Int64.self, path: self, key: nil) }
    func decode(_ type: UInt.Type) throws -> UInt { try document.integer(index, UInt.self, path: self, key: nil) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try document.integer(index, UInt8.self, path: self, key: nil) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try document.integer(index, UInt16.self, path: self, key: nil) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try document.integer(index, UInt32.self, path: self, key: nil) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try document.integer(index, UInt64.self, path: self, key: nil) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try unwrap(T.self) }

    /// Decodes this decoder's value as a `T`, special-casing the Foundation types `JSONDecoder` special-cases.
    func unwrap<T: Decodable>(_ type: T.Type) throws -> T {
        if let special = try decodeFoundationType(T.self) { return special }
        return try T(from: self)
    }

    /// A child decoder for the value at `index`.
    @inline(__always)
    func child(_ index: Int, key: any CodingKey) -> JSONValueDecoder {
        JSONValueDecoder(document: document, index: index, parent: self, key: key)
    }
}

/// Builds `typeMismatch`/`valueNotFound` errors as Foundation does.
func mismatch(_ type: Any.Type, _ token: JSONToken, codingPath: [any CodingKey], container: Bool = false) -> DecodingError {
    if token.kind == .null {
        let what = container ? (type == [Any].self ? "unkeyed container" : "keyed container") : "value of type \(type)"
        return .valueNotFound(
            type, DecodingError.Context(codingPath: codingPath, debugDescription: "Cannot get \(what) -- found null value instead"))
    }
    let found: String
    switch token.kind {
    case .null: found = "null"
    case .true, .false: found = "bool"
    case .string: found = "a string"
    case .number: found = "number"
    case .array: found = "an array"
    case .object: found = "a dictionary"
    }
    return .typeMismatch(
        type, DecodingError.Context(codingPath: codingPath, debugDescription: "Expected to decode \(type) but found \(found) instead."))
}

extension JSONDocument {
    /// The path of a value: `path`'s coding path plus `key` when given.
    @inline(never)
    func codingPath(_ path: JSONValueDecoder, _ key: (any CodingKey)?) -> [any CodingKey] {
        var codingPath = path.codingPath
        if let key { codingPath.append(key) }
        return codingPath
    }

    @inline(__always)
    func bool(_ index: Int, path: JSONValueDecoder, key: (any CodingKey)?) throws -> Bool {
        switch tape[index].kind {
        case .true: return true
        case .false: return false
        default: throw mismatch(Bool.self, tape[index], codingPath: codingPath(path, key))
        }
    }

    @inline(__always)
    func string(_ index: Int, path: JSONValueDecoder, key: (any CodingKey)?) throws -> String {
        guard tape[index].kind == .string else { throw mismatch(String.self, tape[index], codingPath: codingPath(path, key)) }
        return string(at: index)
    }

    func integer<T: FixedWidthInteger>(_ index: Int, _ type: T.Type, path: JSONValueDecoder, key: (any CodingKey)?) throws -> T {
        guard tape[index].kind == .number else { throw mismatch(T.self, tape[index], codingPath: codingPath(path, key)) }
        if let value = exactInteger(at: index, T.self) { return value }
        throw notRepresentable(index, T.self, codingPath: codingPath(path, key))
    }

    func float<T: BinaryFloatingPoint & LosslessStringConvertible>(
        _ index: Int, _ type: T.Type, path: JSONValueDecoder, key: (any CodingKey)?
    ) throws -> T {
        guard tape[index].kind == .number else { throw mismatch(T.self, tape[index], codingPath: codingPath(path, key)) }
        if let value = finiteFloat(at: index, T.self) { return value }
        throw notRepresentable(index, T.self, codingPath: codingPath(path, key))
    }

    /// The number token at `index` as a `T`, or `nil` if its value is not exactly a `T`.
    @inline(__always)
    func exactInteger<T: FixedWidthInteger>(at index: Int, _ type: T.Type) -> T? {
        if let (negative, magnitude) = integerLiteral(at: index) {
            if !negative {
                if let value = T(exactly: magnitude) { return value }
            } else if T.isSigned {
                if magnitude <= UInt64(Int64.max) {
                    if let value = T(exactly: -Int64(magnitude)) { return value }
                } else if magnitude == UInt64(Int64.max) + 1, let value = T(exactly: Int64.min) {
                    return value
                }
            } else if magnitude == 0 {
                return 0
            }
        } else if tape[index].flag {
            // Foundation accepts a fraction or exponent when the value is integral (`1.0`, `1e2`).
            let value = double(at: index)
            if value.isFinite, value.rounded(.towardZero) == value, let exact = T(exactly: value) { return exact }
        }
        return nil
    }

    /// The number token at `index` as a `T`, or `nil` if it is out of `T`'s range.
    func finiteFloat<T: BinaryFloatingPoint & LosslessStringConvertible>(at index: Int, _ type: T.Type) -> T? {
        let value: T
        if T.self == Double.self {
            value = T(double(at: index))
        } else {
            value = T(numberText(at: index)) ?? .nan
        }
        // Like Foundation, a nonzero literal that underflows to zero (`1e-400`) is out of range.
        guard value.isFinite, value != 0 || !hasNonzeroDigit(at: index) else { return nil }
        return value
    }

    /// The `dataCorrupted` error for a number that does not fit `type`.
    @inline(never)
    func notRepresentable(_ index: Int, _ type: Any.Type, codingPath: [any CodingKey]) -> DecodingError {
        DecodingError.dataCorrupted(
            DecodingError.Context(
                codingPath: codingPath, debugDescription: "Number \(numberText(at: index)) is not representable in \(type)."))
    }
}

extension JSONDocument {
    /// Whether the significand of the number token at `index` has a nonzero digit.
    func hasNonzeroDigit(at index: Int) -> Bool {
        let token = tape[index]
        return bytes.withUnsafeBufferPointer { buffer in
            for byte in buffer[Int(token.a)..<Int(token.b)] {
                if byte | 0x20 == UInt8(ascii: "e") { return false }
                if byte >= UInt8(ascii: "1") && byte <= UInt8(ascii: "9") { return true }
            }
            return false
        }
    }
}

/// A keyed container over an object token; keys are looked up by scanning the object's keys in document order.
struct JSONKeyedDecodingContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: JSONValueDecoder
    let object: Int
    var document: JSONDocument { decoder.document }

    var codingPath: [any CodingKey] { decoder.codingPath }

    var allKeys: [Key] {
        var keys: [Key] = []
        var seen = Set<String>()
        var index = object + 1
        let end = Int(document.tape[object].b)
        while index < end {
            let name = document.string(at: index)
            if seen.insert(name).inserted, let key = Key(stringValue: name) { keys.append(key) }
            index = document.next(after: index + 1)
        }
        return keys
    }

    /// The token index of `key`'s value, or `nil` if the object does not have it. The first occurrence wins.
    @inline(__always)
    func find(_ key: Key) -> Int? {
        let name = key.stringValue
        if let found = name.utf8.withContiguousStorageIfAvailable({ find(bytes: $0) }) { return found }
        return Array(name.utf8).withUnsafeBufferPointer { find(bytes: $0) }
    }

    private func find(bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let document = self.document
        var index = object + 1
        let end = Int(document.tape[object].b)
        while index < end {
            if document.stringEquals(at: index, bytes) { return index + 1 }
            index = document.next(after: index + 1)
        }
        return nil
    }

    @inline(__always)
    func value(_ key: Key) throws -> Int {
        guard let index = find(key) else {
            throw DecodingError.keyNotFound(
                key,
                DecodingError.Context(
                    codingPath: codingPath, debugDescription: "No value associated with key \(key) (\"\(key.stringValue)\")."))
        }
        return index
    }

    /// The value's index, or `nil` when the key is absent or its value is null.
    @inline(__always)
    func present(_ key: Key) -> Int? {
        guard let index = find(key), document.tape[index].kind != .null else { return nil }
        return index
    }

    func contains(_ key: Key) -> Bool { find(key) != nil }
    func decodeNil(forKey key: Key) throws -> Bool { document.tape[try value(key)].kind == .null }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool {
        try document.bool(try value(key), path: decoder, key: key)
    }
    func decode(_ type: String.Type, forKey key: Key) throws -> String {
        try document.string(try value(key), path: decoder, key: key)
    }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double {
        try document.float(try value(key), Double.self, path: decoder, key: key)
    }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float {
        try document.float(try value(key), Float.self, path: decoder, key: key)
    }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try integer(key) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try integer(key) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try integer(key) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try integer(key) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try integer(key) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try integer(key) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try integer(key) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try integer(key) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try integer(key) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try integer(key) }

    @inline(__always)
    private func integer<T: FixedWidthInteger>(_ key: Key) throws -> T {
        try document.integer(try value(key), T.self, path: decoder, key: key)
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decoder.child(try value(key), key: key).unwrap(T.self)
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? {
        guard let index = present(key) else { return nil }
        return try document.bool(index, path: decoder, key: key)
    }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? {
        guard let index = present(key) else { return nil }
        return try document.string(index, path: decoder, key: key)
    }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? {
        guard let index = present(key) else { return nil }
        return try document.float(index, Double.self, path: decoder, key: key)
    }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? {
        guard let index = present(key) else { return nil }
        return try document.float(index, Float.self, path: decoder, key: key)
    }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try integerIfPresent(key) }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try integerIfPresent(key) }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try integerIfPresent(key) }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try integerIfPresent(key) }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try integerIfPresent(key) }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try integerIfPresent(key) }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try integerIfPresent(key) }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try integerIfPresent(key) }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try integerIfPresent(key) }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try integerIfPresent(key) }

    @inline(__always)
    private func integerIfPresent<T: FixedWidthInteger>(_ key: Key) throws -> T? {
        guard let index = present(key) else { return nil }
        return try document.integer(index, T.self, path: decoder, key: key)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let index = present(key) else { return nil }
        return try decoder.child(index, key: key).unwrap(T.self)
    }

    func nestedContainer<NestedKey: CodingKey>(
        keyedBy type: NestedKey.Type, forKey key: Key
    ) throws -> KeyedDecodingContainer<NestedKey> {
        try decoder.child(try value(key), key: key).container(keyedBy: NestedKey.self)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try decoder.child(try value(key), key: key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { superDecoder(JSONCodingKey.super) }
    func superDecoder(forKey key: Key) throws -> any Decoder { superDecoder(key) }

    private func superDecoder(_ key: any CodingKey) -> any Decoder {
        if let index = find(bytes: key.stringValue) { return decoder.child(index, key: key) }
        // Like Foundation, a missing super key decodes as null.
        return JSONValueDecoder(document: JSONDocument.null, index: 0, parent: decoder, key: key)
    }

    private func find(bytes name: String) -> Int? {
        Array(name.utf8).withUnsafeBufferPointer { find(bytes: $0) }
    }
}

extension JSONDocument {
    /// A document holding only `null`, for absent super keys.
    static let null: JSONDocument = try! JSONDocument(Array("null".utf8))
}

/// An unkeyed container over an array token.
struct JSONUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    let decoder: JSONValueDecoder
    let array: Int
    let count: Int?
    var currentIndex = 0
    /// The token index of the next element.
    var position: Int
    var document: JSONDocument { decoder.document }

    init(decoder: JSONValueDecoder, array: Int) {
        self.decoder = decoder
        self.array = array
        self.count = Int(decoder.document.tape[array].a)
        self.position = array + 1
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var isAtEnd: Bool { currentIndex >= count! }

    private var key: JSONCodingKey { JSONCodingKey(intValue: currentIndex) }

    /// The next element's token index; throws `valueNotFound` at the end of the array.
    @inline(__always)
    private func peek(_ type: Any.Type) throws -> Int {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type,
                DecodingError.Context(codingPath: document.codingPath(decoder, key), debugDescription: "Unkeyed container is at end."))
        }
        return position
    }

    @inline(__always)
    private mutating func advance() {
        position = document.next(after: position)
        currentIndex += 1
    }

    mutating func decodeNil() throws -> Bool {
        let index = try peek(Any?.self)
        guard document.tape[index].kind == .null else { return false }
        advance()
        return true
    }

    private mutating func read<T>(_ type: T.Type, _ body: (JSONValueDecoder, Int, JSONCodingKey) throws -> T) throws -> T {
        let index = try peek(T.self)
        let value = try body(decoder, index, key)
        advance()
        return value
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool {
        try read(Bool.self) { try $0.document.bool($1, path: $0, key: $2) }
    }
    mutating func decode(_ type: String.Type) throws -> String {
        try read(String.self) { try $0.document.string($1, path: $0, key: $2) }
    }
    mutating func decode(_ type: Double.Type) throws -> Double {
        try read(Double.self) { try $0.document.float($1, Double.self, path: $0, key: $2) }
    }
    mutating func decode(_ type: Float.Type) throws -> Float {
        try read(Float.self) { try $0.document.float($1, Float.self, path: $0, key: $2) }
    }
    mutating func decode(_ type: Int.Type) throws -> Int { try integer() }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try integer() }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try integer() }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try integer() }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try integer() }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try integer() }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try integer() }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try integer() }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try integer() }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try integer() }

    private mutating func integer<T: FixedWidthInteger>() throws -> T {
        try read(T.self) { try $0.document.integer($1, T.self, path: $0, key: $2) }
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try read(T.self) { try $0.child($1, key: $2).unwrap(T.self) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try read(KeyedDecodingContainer<NestedKey>.self) { try $0.child($1, key: $2).container(keyedBy: NestedKey.self) }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try read((any UnkeyedDecodingContainer).self) { try $0.child($1, key: $2).unkeyedContainer() }
    }

    mutating func superDecoder() throws -> any Decoder {
        try read((any Decoder).self) { $0.child($1, key: $2) }
    }
}
