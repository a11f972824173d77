import Foundation
import Testing

@testable import TributaryCore

@Suite struct JSONByteDecoderTests {
    /// The same outcome from both decoders: equal values, or errors with the same case and coding path.
    func expectSameOutcome<T: Decodable & Equatable>(
        _ type: T.Type, _ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let text = String(decoding: bytes, as: UTF8.self)
        switch (JSONReference.foundationDecode(T.self, bytes), JSONReference.bytesDecode(T.self, bytes)) {
        case (.success(let expected), .success(let actual)):
            #expect(actual == expected, "\(text)", sourceLocation: sourceLocation)
        case (.failure(let expected), .failure(let actual)):
            #expect(JSONReference.summary(actual) == JSONReference.summary(expected), "\(text)", sourceLocation: sourceLocation)
        case (.success(let expected), .failure(let actual)):
            Issue.record("\(text): Foundation decoded \(expected), bytes decoder threw \(actual)", sourceLocation: sourceLocation)
        case (.failure(let expected), .success(let actual)):
            Issue.record("\(text): Foundation threw \(expected), bytes decoder decoded \(actual)", sourceLocation: sourceLocation)
        }
    }

    @Test func everyRecordedEventDecodesAsFoundationDecodesIt() throws {
        let lines = try JSONReference.recordingLines()
        #expect(lines.count > 1_800)
        var decoded = 0
        for line in lines {
            expectSameOutcome(TestRecentChange.self, line)
            if case .success = JSONReference.bytesDecode(TestRecentChange.self, line) { decoded += 1 }
        }
        #expect(decoded == lines.count)
    }

    @Test func everyRecordedEventDecodesWithAllFieldsAsFoundationDoes() throws {
        for line in try JSONReference.recordingLines() {
            expectSameOutcome(TestFullRecentChange.self, line)
            expectSameOutcome(TestScalar.self, line)
        }
    }

    @Test func malformedDocumentsAreDataCorrupted() {
        let inputs: [String] = [
            "", " ", "not json", "{", "}", "[", "]", "[1,]", "[,1]", #"{"a":1,}"#, #"{"a":1"#, #"{"a" 1}"#, #"{a:1}"#,
            #"{'a':1}"#, #"{"a":1} x"#, #"{"a":1}{"#, "[1 2]", "[1] [2]", "01", "-", "-01", "1.", ".5", "1e", "1e+", "+1",
            "0x10", "NaN", "Infinity", "-Infinity", "tru", "True", "nul", "nulll", #""abc"#, #""\x""#, #""\u12""#,
            #""\u00G0""#, #""\ud800""#, #""\udc00""#, #""\ud800x""#, #""\ud800\u0041""#, #""\ud800\ud800""#, "\"a\tb\"",
            "\"a\nb\"", "\"\u{0}\"", "[1]\u{0}", "\u{0}", #"{"a":}"#, #"{"a"}"#, #"{"a":1 "b":2}"#, #"{,}"#, "[\"a\",]",
            "/* c */ 1", "// c\n1", "1 // c", "'a'", #""\'""#, "\u{00A0}1", "[" + String(repeating: "[", count: 600) + "]",
        ]
        for input in inputs {
            let result = JSONReference.bytesDecode(TestScalar.self, Array(input.utf8))
            guard case .failure(let error) = result else {
                Issue.record("accepted malformed \(input.debugDescription)")
                continue
            }
            #expect(JSONReference.summary(error) == "dataCorrupted", "\(input.debugDescription)")
            if case DecodingError.dataCorrupted(let context) = error { #expect(context.codingPath.isEmpty) }
        }
    }

    @Test func invalidUTF8AnywhereIsRejected() throws {
        let prefix = Array(#"{"a":""#.utf8)
        let suffix = Array(#""}"#.utf8)
        let sequences: [[UInt8]] = [
            [0xC3], [0xC3, 0x28], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF0, 0x80, 0x80, 0x80],
            [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF], [0x80], [0xE2, 0x82], [0xF0, 0x9F, 0x98],
        ]
        for sequence in sequences {
            let inValue = prefix + sequence + suffix
            #expect(throws: DecodingError.self, "\(sequence)") { try JSONByteDecoder().decode(TestScalar.self, from: inValue) }
            let inKey = Array(#"{""#.utf8) + sequence + Array(#"":1}"#.utf8)
            #expect(throws: DecodingError.self, "\(sequence)") { try JSONByteDecoder().decode([String: Int].self, from: inKey) }
            let inUnknownKey = Array(#"{"x":""#.utf8) + sequence + Array(#"","v":1}"#.utf8)
            #expect(throws: DecodingError.self) { try JSONByteDecoder().decode(IntBox.self, from: inUnknownKey) }
        }
        // Valid multi-byte sequences at every length.
        let valid = prefix + Array("é€😀\u{10FFFF}\u{7F}".utf8) + suffix
        #expect(try JSONByteDecoder().decode([String: String].self, from: valid) == ["a": "é€😀\u{10FFFF}\u{7F}"])
    }

    struct IntBox: Codable, Equatable { var v: Int }
    struct UInt8Box: Codable, Equatable { var v: UInt8 }
    struct Int8Box: Codable, Equatable { var v: Int8 }
    struct UInt64Box: Codable, Equatable { var v: UInt64 }
    struct DoubleBox: Codable, Equatable { var v: Double }
    struct FloatBox: Codable, Equatable { var v: Float }
    struct StringBox: Codable, Equatable { var v: String }
    struct BoolBox: Codable, Equatable { var v: Bool }
    struct OptionalBox: Codable, Equatable { var v: Int? }

    @Test func numbersDecodeAsFoundationDecodesThem() {
        let literals = [
            "0", "-0", "1", "-1", "1.0", "1e2", "1E+2", "1.5", "-1.5", "127", "128", "-128", "-129", "255", "256", "1e400",
            "-1e400", "0.1e-400", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
            "-9223372036854775809", "18446744073709551615", "18446744073709551616", "0.1", "0.30000000000000004",
            "1.7976931348623157e308", "1.7976931348623159e308", "5e-324", "2.2250738585072014e-308", "123456789012345678901234567890",
            "3.141592653589793238462643383279", "1e22", "1e23", "9007199254740993", "4.35", "0.000001", "1.23456789012345e-7",
            "-2.5e-8", "100000000000000000000000", "1e-22", "8.98846567431158e307", "3.4028235e38", "3.4028236e38", "1e39",
        ]
        for literal in literals {
            let bytes = Array(#"{"v":\#(literal)}"#.utf8)
            expectSameOutcome(IntBox.self, bytes)
            expectSameOutcome(UInt8Box.self, bytes)
            expectSameOutcome(Int8Box.self, bytes)
            expectSameOutcome(UInt64Box.self, bytes)
            expectSameOutcome(DoubleBox.self, bytes)
            expectSameOutcome(FloatBox.self, bytes)
        }
    }

    @Test func randomDoublesRoundTripThroughTheirShortestText() throws {
        var generator = SeededGenerator(seed: 42)
        for _ in 0..<2_000 {
            let value = Double(bitPattern: generator.next())
            guard value.isFinite else { continue }
            for text in [value.description, String(format: "%.17g", value), String(format: "%.6e", value)] {
                expectSameOutcome(DoubleBox.self, Array(#"{"v":\#(text)}"#.utf8))
            }
        }
    }

    @Test func typeMismatchesReportFoundationsCasesAndCodingPaths() {
        let cases: [(String, any DecodableEquatableCheck)] = [
            (#"{"v":"1"}"#, Check<IntBox>()), (#"{"v":true}"#, Check<IntBox>()), (#"{"v":null}"#, Check<IntBox>()),
            (#"{}"#, Check<IntBox>()), (#"[1]"#, Check<IntBox>()), (#"null"#, Check<IntBox>()), (#""x""#, Check<IntBox>()),
            (#"{"v":1}"#, Check<StringBox>()), (#"{"v":[]}"#, Check<StringBox>()), (#"{"v":{}}"#, Check<BoolBox>()),
            (#"{"v":"a"}"#, Check<OptionalBox>()), (#"{"v":null}"#, Check<OptionalBox>()), (#"{}"#, Check<OptionalBox>()),
            (#"[{"v":1},{"v":"a"}]"#, Check<[IntBox]>()), (#"[{"v":1},{}]"#, Check<[IntBox]>()), (#"[1,null]"#, Check<[Int]>()),
            (#"{"a":[1,2,"x"]}"#, Check<[String: [Int]]>()), (#"{"a":{"b":null}}"#, Check<[String: [String: Int]]>()),
            (#"{"a":1}"#, Check<[String]>()), (#"[1]"#, Check<[String: Int]>()), (#"{"v":1}"#, Check<[IntBox?]>()),
            (#"[null, {"v":2}]"#, Check<[IntBox?]>()), (#"{"meta":[],"type":"edit"}"#, Check<TestRecentChange>()),
            (#"{"meta":{"dt":5}}"#, Check<TestRecentChange>()), (#"{"meta":{"dt":"x"},"type":"edit"}"#, Check<TestRecentChange>()),
            (#"{"meta":{"dt":"x"},"type":"e","namespace":0,"title":"t","user":"u","bot":false,"wiki":"w","length":{"old":"1"}}"#,
             Check<TestRecentChange>()),
            (#"{"meta":null,"type":"e"}"#, Check<TestRecentChange>()), (#"{"v":2}"#, Check<Sign>()), (#""up""#, Check<Sign>()),
            (#"[1,2]"#, Check<Pair>()), (#"[1]"#, Check<Pair>()), (#"[1,"2"]"#, Check<Pair>()),
        ]
        for (input, check) in cases { check.check(Array(input.utf8), self) }
    }

    enum Sign: String, Codable, Equatable { case plus, minus }

    /// Decodes from an unkeyed container by hand.
    struct Pair: Codable, Equatable {
        var first: Int
        var second: Int
        init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            first = try container.decode(Int.self)
            second = try container.decode(Int.self)
        }
    }

    @Test func validDocumentsOfEveryShapeDecodeAsFoundationDecodesThem() {
        let documents = [
            #"{"a":[1,2,{"b":null}],"c":"d","e":-0.5,"f":true,"g":{}}"#, "[]", "{}", "  [ 1 , 2 ]  ", "\"x\"", "17",
            "null", "true", "\u{FEFF}[1]", "[[[[]]]]", #"{"\u0041":1,"A":2}"#, #"{"a":1,"a":2}"#,
            #"["\"\\\/\b\f\n\r\t\u0000\u001f\u00e9\u20AC\ud83d\ude00\uDBFF\uDFFF"]"#, "[\"\u{7F}\"]",
            "[" + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "]",
            "\r\n\t [\"tab\\tand\\u0020space\"]\n",
        ]
        for document in documents { expectSameOutcome(TestScalar.self, Array(document.utf8)) }
        expectSameOutcome([String: Int].self, Array(#"{"a":1,"a":2,"b":3}"#.utf8))
        expectSameOutcome(Sign.self, Array(#""plus""#.utf8))
    }

    @Test func unicodeEscapesDecodeIncludingSurrogatePairs() throws {
        let cases: [(String, String)] = [
            (#""\u00e9""#, "é"), (#""\u00E9""#, "é"), (#""\ud83d\ude00""#, "😀"), (#""\uD83D\uDE00!""#, "😀!"),
            (#""a\u0000b""#, "a\u{0}b"), (#""\u2028\u2029""#, "\u{2028}\u{2029}"), (#""\/""#, "/"),
            (#""e\u0301""#, "e\u{301}"),
        ]
        for (input, expected) in cases {
            #expect(try JSONByteDecoder().decode(String.self, from: Array(input.utf8)) == expected)
            expectSameOutcome(String.self, Array(input.utf8))
        }
        for lone in [#""\ud800""#, #""\udfff""#, #""\ud800\n""#, #""\ud83d\ud83d""#, #""\ude00\ud83d""#] {
            expectSameOutcome(String.self, Array(lone.utf8))
        }
    }

    @Test func containersSupportContainsAllKeysNilAndSuperDecoders() throws {
        let bytes = Array(#"{"b":1,"a":null,"super":{"x":2},"list":[null,3,"s",[4],{"k":5}]}"#.utf8)
        let result = try JSONByteDecoder().decode(Probe.self, from: bytes)
        // Document order here; Foundation's order is its dictionary's, so the comparison below sorts.
        #expect(result.keys == ["b", "a", "super", "list"])
        #expect(result.containsA && !result.containsZ && result.aIsNil)
        #expect(result.superX == 2)
        #expect(result.list == "nil,3,s,4,5,end")
        var expected = try JSONDecoder().decode(Probe.self, from: Data(bytes))
        var actual = result
        expected.keys.sort()
        actual.keys.sort()
        #expect(actual == expected)
    }

    struct Probe: Decodable, Equatable {
        enum Keys: String, CodingKey { case a, b, z, list, `super` }
        struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
        enum X: String, CodingKey { case x }
        enum K: String, CodingKey { case k }
        var keys: [String]
        var containsA: Bool
        var containsZ: Bool
        var aIsNil: Bool
        var superX: Int
        var list: String

        init(from decoder: any Decoder) throws {
            keys = try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue)
            let container = try decoder.container(keyedBy: Keys.self)
            containsA = container.contains(.a)
            containsZ = container.contains(.z)
            aIsNil = try container.decodeNil(forKey: .a)
            superX = try container.superDecoder().container(keyedBy: X.self).decode(Int.self, forKey: .x)
            var list = try container.nestedUnkeyedContainer(forKey: .list)
            var parts: [String] = []
            if try list.decodeNil() { parts.append("nil") }
            parts.append(String(try list.decode(Int.self)))
            parts.append(try list.decode(String.self))
            var inner = try list.nestedUnkeyedContainer()
            parts.append(String(try inner.decode(Int.self)))
            parts.append(String(try list.nestedContainer(keyedBy: K.self).decode(Int.self, forKey: .k)))
            if list.isAtEnd { parts.append("end") }
            self.list = parts.joined(separator: ",")
        }
    }
}

/// A type-erased "decode as T with both decoders and compare" check.
protocol DecodableEquatableCheck {
    func check(_ bytes: [UInt8], _ tests: JSONByteDecoderTests)
}

struct Check<T: Decodable & Equatable>: DecodableEquatableCheck {
    func check(_ bytes: [UInt8], _ tests: JSONByteDecoderTests) { tests.expectSameOutcome(T.self, bytes) }
}
