import Foundation
import Testing

@testable import TributaryCore

@Suite struct JSONByteEncoderTests {
    /// The same bytes from both encoders (or both throwing).
    func expectSameBytes<T: Encodable>(_ value: T, sourceLocation: SourceLocation = #_sourceLocation) {
        let expected = Result { try JSONReference.foundationEncode(value) }
        let actual = Result { try JSONByteEncoder().encode(value) }
        switch (expected, actual) {
        case (.success(let expected), .success(let actual)):
            #expect(
                String(decoding: actual, as: UTF8.self) == String(decoding: expected, as: UTF8.self), "\(value)",
                sourceLocation: sourceLocation)
            #expect(actual == expected, sourceLocation: sourceLocation)
        case (.failure(let expected), .failure(let actual)):
            #expect("\(type(of: actual))" == "\(type(of: expected))", sourceLocation: sourceLocation)
        case (.success(let expected), .failure(let actual)):
            Issue.record("\(value): Foundation wrote \(String(decoding: expected, as: UTF8.self)), bytes encoder threw \(actual)", sourceLocation: sourceLocation)
        case (.failure(let expected), .success(let actual)):
            Issue.record("\(value): Foundation threw \(expected), bytes encoder wrote \(String(decoding: actual, as: UTF8.self))", sourceLocation: sourceLocation)
        }
    }

    @Test func stringsAreEscapedAsFoundationEscapesThem() {
        var controls = ""
        for scalar in 0..<0x20 { controls.unicodeScalars.append(Unicode.Scalar(UInt8(scalar))) }
        let strings = [
            "", "plain", controls, "\"quoted\" and \\backslashed\\", "a/b</script>", "\u{7F}", "é", "日本語", "😀", "\u{2028}\u{2029}",
            "e\u{301}", "\u{FEFF}", "tab\there", "new\nline", "\u{10FFFF}", "mixed \"é\" \u{1}\u{1F}",
        ]
        for string in strings {
            expectSameBytes(string)
            expectSameBytes([string])
            expectSameBytes([string: string])
        }
    }

    @Test func numbersBoolsAndNullsAreWrittenAsFoundationWritesThem() {
        expectSameBytes([Int.min, -1, 0, 1, Int.max])
        expectSameBytes([Int8.min, Int8.max])
        expectSameBytes([Int16.min, Int16.max])
        expectSameBytes([Int32.min, Int32.max])
        expectSameBytes([Int64.min, Int64.max])
        expectSameBytes([UInt.max, 0])
        expectSameBytes([UInt8.max])
        expectSameBytes([UInt16.max])
        expectSameBytes([UInt32.max])
        expectSameBytes([UInt64.max])
        expectSameBytes([true, false])
        expectSameBytes([nil, 1, nil] as [Int?])
        expectSameBytes(Optional<Int>.none)
        expectSameBytes(17)
        expectSameBytes("top")
        let doubles: [Double] = [
            0, -0.0, 1, -1, 1.5, 0.1, 0.30000000000000004, 100, 1e15, 1e16, 1e17, 1e20, 1e21, 1e22, 1e-5, 1e-6, 1e-7,
            12345.678, -2.5e-8, 9007199254740992, 4.35, 2e-3, 1e300, .leastNonzeroMagnitude, .greatestFiniteMagnitude,
            .leastNormalMagnitude, .pi, 123456789012345683968, 0.5, 1 / 3,
        ]
        for value in doubles { expectSameBytes(value) }
        for value in [Float(0), 1, 0.1, 1e20, .greatestFiniteMagnitude, 1e-7, 16777216, .pi, 3.4e-38] { expectSameBytes(value) }
        for value in [Double.nan, .infinity, -.infinity] {
            expectSameBytes(value)
            expectSameBytes(["x": value])
        }
        expectSameBytes(Float.nan)
    }

    @Test func nonFiniteValuesThrowInvalidValueWithTheirPath() {
        #expect {
            try JSONByteEncoder().encode(["a": [1.0, .nan]])
        } throws: { error in
            guard case EncodingError.invalidValue(_, let context) = error else { return false }
            return context.codingPath.map(\.stringValue) == ["a", "Index 1"]
        }
    }

    @Test func keysAreSortedAsFoundationSortsThem() {
        let keys = [
            "b", "a", "B", "A", "a10", "a9", "_", "é", "z", "Z", "aa", "a-", "1", "10", "9", "ä", "e", "f", "ß", "日本", "😀", "",
            "ab", "Ab", "aB", "a b", "a\"", "\u{1}",
        ]
        expectSameBytes(Dictionary(uniqueKeysWithValues: keys.enumerated().map { ($1, $0) }))
        expectSameBytes([3: "c", 1: "a", 20: "t", -1: "m"])
    }

    struct Edit: Codable {
        var id: String?
        var wiki: String
        var title: String
        var user: String
        var anonymous: Bool
        var type: String
        var dt: String
        var byteDelta: Int64?
        var minor: Bool
        var revision: Int64?
        var serverURL: String?
    }

    struct Nested: Codable {
        struct Inner: Codable {
            var values: [Double]
            var label: String?
            var flags: [String: Bool]
        }
        var inner: Inner
        var list: [Inner?]
        var empty: [Int]
        var emptyObject: [String: Int]
        var nothing: Int?
    }

    @Test func structsWithOptionalsAndNestingMatchFoundation() {
        expectSameBytes(
            Edit(
                id: "e3b0", wiki: "enwiki", title: "Zürich \"Altstadt\"", user: "ip-0123456789abcdef", anonymous: true, type: "edit",
                dt: "2026-02-26T15:49:36Z", byteDelta: -120, minor: false, revision: 1_234_567_890, serverURL: "https://en.wikipedia.org"))
        expectSameBytes(
            Edit(
                id: nil, wiki: "dewiki", title: "T", user: "u", anonymous: false, type: "new", dt: "d", byteDelta: nil, minor: true,
                revision: nil, serverURL: nil))
        let inner = Nested.Inner(values: [1, 2.5, -0.0], label: nil, flags: ["b": true, "a": false])
        expectSameBytes(Nested(inner: inner, list: [inner, nil], empty: [], emptyObject: [:], nothing: nil))
    }

    /// Uses containers by hand: nested containers written out of order, super encoders, duplicate keys,
    /// and a value that encodes nothing.
    struct HandWritten: Encodable {
        enum Keys: String, CodingKey { case z, a, m, nested, list, `super`, nothing }
        struct Nothing: Encodable { func encode(to encoder: any Encoder) throws {} }
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            var nested = container.nestedContainer(keyedBy: Keys.self, forKey: .nested)
            var list = container.nestedUnkeyedContainer(forKey: .list)
            try container.encode(1, forKey: .z)
            try container.encode("first", forKey: .a)
            try container.encode("second", forKey: .a)
            try list.encode(1)
            try nested.encode(true, forKey: .m)
            var superEncoder = container.superEncoder().container(keyedBy: Keys.self)
            try superEncoder.encode(2, forKey: .a)
            try list.encodeNil()
            try list.encode(Nothing())
            var inner = list.nestedContainer(keyedBy: Keys.self)
            try inner.encode(3.5, forKey: .z)
            try container.encode(Nothing(), forKey: .nothing)
            try container.encode([1, 2], forKey: .m)
        }
    }

    @Test func handWrittenContainerUsageMatchesFoundation() {
        expectSameBytes(HandWritten())
    }

    @Test func foundationSpecialCasedTypesMatchFoundation() throws {
        struct Special: Codable, Equatable {
            var data: Data
            var url: URL
            var decimal: Decimal
            var date: Date
        }
        let value = Special(
            data: Data([0, 1, 2, 250, 255]), url: URL(string: "https://example.org/a?b=c")!, decimal: Decimal(string: "12.345")!,
            date: Date(timeIntervalSinceReferenceDate: 12345.5))
        expectSameBytes(value)
        let bytes = try JSONByteEncoder().encode(value)
        #expect(try JSONByteDecoder().decode(Special.self, from: bytes) == value)
        #expect(try JSONDecoder().decode(Special.self, from: Data(bytes)) == value)
    }

    struct Random: Codable, Equatable {
        var int: Int
        var int8: Int8
        var uint64: UInt64
        var double: Double
        var float: Float
        var string: String
        var optional: Int32?
        var bool: Bool
        var list: [Int16]
        var map: [String: String]
    }

    static func randomString(_ generator: inout SeededGenerator) -> String {
        let alphabet: [Unicode.Scalar] = ["a", "Z", " ", "\"", "\\", "/", "\u{0}", "\u{1F}", "\n", "\t", "é", "€", "😀", "\u{7F}", "\u{2028}"]
        var string = ""
        for _ in 0..<Int.random(in: 0..<12, using: &generator) {
            string.unicodeScalars.append(alphabet.randomElement(using: &generator)!)
        }
        return string
    }

    @Test func randomValuesEncodeLikeFoundationAndRoundTrip() throws {
        var generator = SeededGenerator(seed: 2026)
        for _ in 0..<500 {
            var map: [String: String] = [:]
            for _ in 0..<Int.random(in: 0..<5, using: &generator) {
                map[Self.randomString(&generator)] = Self.randomString(&generator)
            }
            var double = Double(bitPattern: generator.next())
            if !double.isFinite { double = 0 }
            var float = Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()))
            if !float.isFinite { float = 1 }
            let value = Random(
                int: Int(bitPattern: UInt(generator.next())), int8: Int8(truncatingIfNeeded: generator.next()),
                uint64: generator.next(), double: Bool.random(using: &generator) ? double : Double(Int32(truncatingIfNeeded: generator.next())) / 64,
                float: float, string: Self.randomString(&generator),
                optional: Bool.random(using: &generator) ? Int32(truncatingIfNeeded: generator.next()) : nil,
                bool: Bool.random(using: &generator),
                list: (0..<Int.random(in: 0..<4, using: &generator)).map { _ in Int16(truncatingIfNeeded: generator.next()) }, map: map)
            expectSameBytes(value)
            let bytes = try JSONByteEncoder().encode(value)
            #expect(try JSONByteDecoder().decode(Random.self, from: bytes) == value)
        }
    }
}
