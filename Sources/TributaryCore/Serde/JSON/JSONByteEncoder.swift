/// Encodes `Encodable` values as UTF-8 JSON bytes, without Foundation's `JSONEncoder`.
///
/// The output equals Foundation's `JSONEncoder` with `outputFormatting = [.sortedKeys, .withoutEscapingSlashes]`
/// and default strategies, byte for byte: keys sorted by `String` comparison, `"`, `\` and control characters
/// escaped (`\b \f \n \r \t`, others as lowercase `\u00xx`), everything else (including `/`, DEL and non-ASCII)
/// written as is, integral floating-point values without `.0`, and NaN or infinity an
/// `EncodingError.invalidValue`. A value that encodes nothing is `{}`, as in Foundation.
///
/// Scalars are written straight into one byte buffer as they are encoded; objects and arrays only record where
/// their members' bytes are (or which nested container holds them), so the document is assembled once, with
/// each object's members sorted, after the value has finished encoding.
struct JSONByteEncoder {
    /// Encodes `value` as JSON.
    func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let context = JSONEncodeContext()
        let root = JSONEncodeStorage(isObject: false)
        root.entries.append(JSONEncodeEntry(key: ""))
        let encoder = JSONValueEncoder(context: context, storage: root, entry: 0, parent: nil, key: nil)
        try encoder.encodeValue(value)
        var output: [UInt8] = []
        output.reserveCapacity(context.scratch.count + 64)
        context.write(root.entries[0], into: &output)
        return output
    }
}

/// Shared state of one encoding: the bytes of every scalar written so far.
final class JSONEncodeContext {
    var scratch: [UInt8] = []

    init() { scratch.reserveCapacity(512) }

    /// Appends the final JSON of `entry`'s value to `output`.
    func write(_ entry: JSONEncodeEntry, into output: inout [UInt8]) {
        if let child = entry.child {
            write(child, into: &output)
        } else if entry.start < 0 {
            output.append(UInt8(ascii: "{"))
            output.append(UInt8(ascii: "}"))
        } else {
            scratch.withUnsafeBufferPointer { output.append(contentsOf: $0[entry.start..<entry.end]) }
        }
    }

    func write(_ storage: JSONEncodeStorage, into output: inout [UInt8]) {
        let entries = storage.entries
        guard storage.isObject else {
            output.append(UInt8(ascii: "["))
            for (offset, entry) in entries.enumerated() {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                write(entry, into: &output)
            }
            output.append(UInt8(ascii: "]"))
            return
        }
        output.append(UInt8(ascii: "{"))
        withUnsafeTemporaryAllocation(of: Int.self, capacity: entries.count) { buffer in
            var order = buffer
            for index in 0..<entries.count { order[index] = index }
            // Sorted by key; equal keys keep encoding order so that the last one written wins.
            order.sort { entries[$0].key < entries[$1].key || (entries[$0].key == entries[$1].key && $0 < $1) }
            var first = true
            for position in 0..<order.count {
                let entry = entries[order[position]]
                if position + 1 < order.count && entries[order[position + 1]].key == entry.key { continue }
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                JSONEncodeContext.appendString(entry.key, to: &output)
                output.append(UInt8(ascii: ":"))
                write(entry, into: &output)
            }
        }
        output.append(UInt8(ascii: "}"))
    }

    /// Appends `string` as a quoted, escaped JSON string.
    static func appendString(_ string: String, to output: inout [UInt8]) {
        var string = string
        string.withUTF8 { appendString(utf8: $0, to: &output) }
    }

    static func appendString(utf8: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<utf8.count {
            let byte = utf8[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            runStart = index + 1
            output.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): output.append(byte)
            case 0x08: output.append(UInt8(ascii: "b"))
            case 0x0C: output.append(UInt8(ascii: "f"))
            case 0x0A: output.append(UInt8(ascii: "n"))
            case 0x0D: output.append(UInt8(ascii: "r"))
            case 0x09: output.append(UInt8(ascii: "t"))
            default:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                output.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            }
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        output.append(UInt8(ascii: "\""))
    }
}

/// One member of an object or element of an array under construction.
struct JSONEncodeEntry {
    /// The object key; empty for array elements.
    var key: String
    /// The value's bytes in the context's scratch buffer; `start < 0` while nothing is encoded (written as `{}`).
    var start = -1
    var end = -1
    /// The nested container holding the value, if it is an object or array.
    var child: JSONEncodeStorage?

    init(key: String) { self.key = key }
    init(key: String, start: Int, end: Int) {
        self.key = key
        self.start = start
        self.end = end
    }
}

/// An object or array under construction.
final class JSONEncodeStorage {
    let isObject: Bool
    var entries: [JSONEncodeEntry] = []

    init(isObject: Bool) { self.isObject = isObject }
}

/// The `Encoder` for one value: it fills entry `entry` of `storage`. Its coding path is a parent link, built only
/// on demand.
final class JSONValueEncoder: Encoder, SingleValueEncodingContainer {
    let context: JSONEncodeContext
    let storage: JSONEncodeStorage
    let entry: Int
    let parent: JSONValueEncoder?
    let key: (any CodingKey)?

    init(context: JSONEncodeContext, storage: JSONEncodeStorage, entry: Int, parent: JSONValueEncoder?, key: (any CodingKey)?) {
        self.context = context
        self.storage = storage
        self.entry = entry
        self.parent = parent
        self.key = key
    }

    var codingPath: [any CodingKey] {
        var path: [any CodingKey] = []
        var node: JSONValueEncoder? = self
        while let current = node {
            if let key = current.key { path.append(key) }
            node = current.parent
        }
        return path.reversed()
    }

    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// Encodes `value` into this encoder's entry, special-casing the Foundation types `JSONEncoder` special-cases.
    func encodeValue<T: Encodable>(_ value: T) throws {
        if try encodeFoundationType(value) { return }
        try value.encode(to: self)
    }

    /// The container this encoder's value is, creating it on first use (later requests share it, as in Foundation).
    private func containerStorage(isObject: Bool) -> JSONEncodeStorage {
        if let existing = storage.entries[entry].child, existing.isObject == isObject { return existing }
        let child = JSONEncodeStorage(isObject: isObject)
        storage.entries[entry].child = child
        storage.entries[entry].start = -1
        return child
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(JSONKeyedEncodingContainer<Key>(encoder: self, storage: containerStorage(isObject: true)))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        JSONUnkeyedEncodingContainer(encoder: self, storage: containerStorage(isObject: false))
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { self }

    /// Sets this encoder's value to `bytes`.
    func writeRaw(_ bytes: [UInt8]) {
        let start = context.scratch.count
        context.scratch.append(contentsOf: bytes)
        setScalar(start)
    }

    @inline(__always)
    private func setScalar(_ start: Int) {
        storage.entries[entry].child = nil
        storage.entries[entry].start = start
        storage.entries[entry].end = context.scratch.count
    }

    func encodeNil() throws {
        let start = context.scratch.count
        context.appendNull()
        setScalar(start)
    }
    func encode(_ value: Bool) throws { try scalar { $0.append(value) } }
    func encode(_ value: String) throws { try scalar { $0.append(value) } }
    func encode(_ value: Double) throws { try scalar { try $0.append(value, path: self, key: nil) } }
    func encode(_ value: Float) throws { try scalar { try $0.append(value, path: self, key: nil) } }
    func encode(_ value: Int) throws { try scalar { $0.append(value) } }
    func encode(_ value: Int8) throws { try scalar { $0.append(value) } }
    func encode(_ value: Int16) throws { try scalar { $0.append(value) } }
    func encode(_ value: Int32) throws { try scalar { $0.append(value) } }
    func encode(_ value: Int64) throws { try scalar { $0.append(value) } }
    func encode(_ value: UInt) throws { try scalar { $0.append(value) } }
    func encode(_ value: UInt8) throws { try scalar { $0.append(value) } }
    func encode(_ value: UInt16) throws { try scalar { $0.append(value) } }
    func encode(_ value: UInt32) throws { try scalar { $0.append(value) } }
    func encode(_ value: UInt64) throws { try scalar { $0.append(value) } }
    func encode<T: Encodable>(_ value: T) throws { try encodeValue(value) }

    @inline(__always)
    private func scalar(_ body: (JSONEncodeContext) throws -> Void) throws {
        let start = context.scratch.count
        try body(context)
        setScalar(start)
    }

    /// A child encoder for entry `entry` of `storage`.
    func child(_ storage: JSONEncodeStorage, _ entry: Int, key: any CodingKey) -> JSONValueEncoder {
        JSONValueEncoder(context: context, storage: storage, entry: entry, parent: self, key: key)
    }
}

extension JSONEncodeContext {
    @inline(__always)
    func appendNull() { scratch.append(contentsOf: [UInt8(ascii: "n"), UInt8(ascii: "u"), UInt8(ascii: "l"), UInt8(ascii: "l")]) }

    @inline(__always)
    func append(_ value: Bool) {
        if value {
            scratch.append(contentsOf: [UInt8(ascii: "t"), UInt8(ascii: "r"), UInt8(ascii: "u"), UInt8(ascii: "e")])
        } else {
            scratch.append(contentsOf: [UInt8(ascii: "f"), UInt8(ascii: "a"), UInt8(ascii: "l"), UInt8(ascii: "s"), UInt8(ascii: "e")])
        }
    }

    @inline(__always)
    func append(_ value: String) { JSONEncodeContext.appendString(value, to: &scratch) }

    func append<T: FixedWidthInteger>(_ value: T) { JSONEncodeContext.appendInteger(value, to: &scratch) }

    /// Appends `value` in decimal, as Foundation writes integers.
    static func appendInteger<T: FixedWidthInteger>(_ value: T, to output: inout [UInt8]) {
        if value == 0 {
            output.append(UInt8(ascii: "0"))
            return
        }
        var magnitude = UInt64(truncatingIfNeeded: value.magnitude)
        if value < 0 { output.append(UInt8(ascii: "-")) }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var count = 0
            while magnitude > 0 {
                digits[19 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: digits[(20 - count)...]))
        }
    }

    /// Appends a floating-point value as Foundation does: its shortest round-trip `description`, without a
    /// trailing `.0`.
    func append<T: BinaryFloatingPoint & CustomStringConvertible>(_ value: T, path: JSONValueEncoder, key: (any CodingKey)?) throws {
        guard value.isFinite else {
            var codingPath = path.codingPath
            if let key { codingPath.append(key) }
            let name = value.isNaN ? "\(T.self).nan" : value < 0 ? "-\(T.self).infinity" : "\(T.self).infinity"
            throw EncodingError.invalidValue(
                value, EncodingError.Context(codingPath: codingPath, debugDescription: "Unable to encode \(name) directly in JSON."))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        scratch.append(contentsOf: text.utf8)
    }
}

/// A keyed container writing into an object's storage.
struct JSONKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: JSONValueEncoder
    let storage: JSONEncodeStorage

    var codingPath: [any CodingKey] { encoder.codingPath }

    @inline(__always)
    private func scalar(_ key: Key, _ body: (JSONEncodeContext) throws -> Void) rethrows {
        let context = encoder.context
        let start = context.scratch.count
        try body(context)
        storage.entries.append(JSONEncodeEntry(key: key.stringValue, start: start, end: context.scratch.count))
    }

    mutating func encodeNil(forKey key: Key) throws { scalar(key) { $0.appendNull() } }
    mutating func encode(_ value: Bool, forKey key: Key) throws { scalar(key) { $0.append(value) } }
    mutating func encode(_ value: String, forKey key: Key) throws { scalar(key) { $0.append(value) } }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        try scalar(key) { try $0.append(value, path: encoder, key: key) }
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        try scalar(key) { try $0.append(value, path: encoder, key: key) }
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { scalar(key) { $0.append(value) } }
    mutating func encode(_ value: Int8, forKey key: Key) throws { scalar(key) { $0.append(value) } }
    mutating func encode(_ value: Int16, forKey key: Key) throws { scalar(key) { $0.append(value) } }
    mutating func encode(_ value: Int32, forKey key: Key) throws { scalar(key) { $0.append(value) } }
    mutating func encode(_ value: Int64, forKey key: Key) throws { scalar(key) { $0.append(value) } }
    mutating func encode(_ value: UInt, forKey key: Key) throws { scalar(key) { $0.append(value) } }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { scalar(key) { $0.append(value) } }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { scalar(key) { $0.append(value) } }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { scalar(key) { $0.append(value) } }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { scalar(key) { $0.append(value) } }

    /// Reserves an entry for `key` and returns an encoder that fills it.
    private func reserve(_ key: Key) -> JSONValueEncoder {
        storage.entries.append(JSONEncodeEntry(key: key.stringValue))
        return encoder.child(storage, storage.entries.count - 1, key: key)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try reserve(key).encodeValue(value)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        reserve(key).container(keyedBy: NestedKey.self)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        reserve(key).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        storage.entries.append(JSONEncodeEntry(key: "super"))
        return encoder.child(storage, storage.entries.count - 1, key: JSONCodingKey.super)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder { reserve(key) }
}

/// An unkeyed container appending to an array's storage.
struct JSONUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let encoder: JSONValueEncoder
    let storage: JSONEncodeStorage

    var codingPath: [any CodingKey] { encoder.codingPath }
    var count: Int { storage.entries.count }

    @inline(__always)
    private func scalar(_ body: (JSONEncodeContext) throws -> Void) rethrows {
        let context = encoder.context
        let start = context.scratch.count
        try body(context)
        storage.entries.append(JSONEncodeEntry(key: "", start: start, end: context.scratch.count))
    }

    mutating func encodeNil() throws { scalar { $0.appendNull() } }
    mutating func encode(_ value: Bool) throws { scalar { $0.append(value) } }
    mutating func encode(_ value: String) throws { scalar { $0.append(value) } }
    mutating func encode(_ value: Double) throws {
        let key = JSONCodingKey(intValue: count)
        try scalar { try $0.append(value, path: encoder, key: key) }
    }
    mutating func encode(_ value: Float) throws {
        let key = JSONCodingKey(intValue: count)
        try scalar { try $0.append(value, path: encoder, key: key) }
    }
    mutating func encode(_ value: Int) throws { scalar { $0.append(value) } }
    mutating func encode(_ value: Int8) throws { scalar { $0.append(value) } }
    mutating func encode(_ value: Int16) throws { scalar { $0.append(value) } }
    mutating func encode(_ value: Int32) throws { scalar { $0.append(value) } }
    mutating func encode(_ value: Int64) throws { scalar { $0.append(value) } }
    mutating func encode(_ value: UInt) throws { scalar { $0.append(value) } }
    mutating func encode(_ value: UInt8) throws { scalar { $0.append(value) } }
    mutating func encode(_ value: UInt16) throws { scalar { $0.append(value) } }
    mutating func encode(_ value: UInt32) throws { scalar { $0.append(value) } }
    mutating func encode(_ value: UInt64) throws { scalar { $0.append(value) } }

    private func reserve() -> JSONValueEncoder {
        let key = JSONCodingKey(intValue: count)
        storage.entries.append(JSONEncodeEntry(key: ""))
        return encoder.child(storage, storage.entries.count - 1, key: key)
    }

    mutating func encode<T: Encodable>(_ value: T) throws { try reserve().encodeValue(value) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        reserve().container(keyedBy: NestedKey.self)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { reserve().unkeyedContainer() }

    mutating func superEncoder() -> any Encoder { reserve() }
}
