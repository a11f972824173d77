import Testing

@testable import TributaryCore

@Suite struct SerdeTests {
    @Test func int64UsesBigEndianEightBytes() throws {
        #expect(try Serde<Int64>.int64.serializeOptional(258) == [0, 0, 0, 0, 0, 0, 1, 2])
        #expect(try Serde<Int64>.int64.deserializeOptional([0, 0, 0, 0, 0, 0, 1, 2]) == 258)
        #expect(try Serde<Int64>.int64.deserializeOptional([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]) == -1)
        #expect(throws: SerdeError.self) { try Serde<Int64>.int64.deserializeOptional([1, 2, 3]) }
    }

    @Test func doubleRoundTripsThroughItsBitPattern() throws {
        for value in [0.0, -1.5, Double.pi, 1e300] {
            let bytes = try #require(try Serde<Double>.double.serializeOptional(value))
            #expect(bytes.count == 8)
            #expect(try Serde<Double>.double.deserializeOptional(bytes) == value)
        }
    }

    @Test func stringRejectsInvalidUTF8AndNull() throws {
        #expect(try Serde<String>.string.deserializeOptional(Array("Störfix".utf8)) == "Störfix")
        #expect(throws: SerdeError.malformed("invalid UTF-8")) { try Serde<String>.string.deserializeOptional([0xC3]) }
        #expect(throws: SerdeError.unexpectedNull) { try Serde<String>.string.deserializeOptional(nil) }
    }

    @Test func optionalSerdeMapsNilToKafkaNull() throws {
        let serde = Serde<String?>.optional(.string)
        #expect(try serde.serializeOptional(nil) == nil)
        #expect(try serde.deserializeOptional(nil) == nil)
        #expect(try serde.deserializeOptional(Array("a".utf8)) == "a")
    }

    struct Point: Codable, Equatable { var x: Int; var label: String }

    @Test func jsonDecodesCodableAndExplainsFailures() throws {
        let serde = Serde<Point>.json(maxBytes: 64)
        let bytes = try #require(try serde.serializeOptional(Point(x: 1, label: "a")))
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"label":"a","x":1}"#)
        #expect(try serde.deserializeOptional(bytes) == Point(x: 1, label: "a"))
        #expect(throws: SerdeError.malformed("type mismatch at 'x': expected Int")) {
            try serde.deserializeOptional(Array(#"{"x":"one","label":"a"}"#.utf8))
        }
        #expect(throws: SerdeError.malformed("missing key 'label'")) { try serde.deserializeOptional(Array(#"{"x":1}"#.utf8)) }
        #expect(throws: SerdeError.malformed("empty value")) { try serde.deserializeOptional([]) }
        #expect(throws: SerdeError.tooLarge(size: 100, limit: 64)) {
            try serde.deserializeOptional(Array(repeating: 0x20, count: 100))
        }
    }
}
