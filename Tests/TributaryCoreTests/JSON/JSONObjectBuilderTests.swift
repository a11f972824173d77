import Foundation
import Testing

@testable import TributaryCore

/// `JSONObjectBuilder` writes what the `Codable` JSON serde writes, when members are added sorted and `nil`s left
/// out; `serializing(with:)` swaps only the serializer.
@Suite struct JSONObjectBuilderTests {
    struct Sample: Codable, Equatable {
        var count: Int64
        var delta: Int64?
        var flag: Bool
        var maybe: Bool?
        var name: String
        var note: String?

        func handWritten() -> [UInt8] {
            var object = JSONObjectBuilder(capacity: 8)
            object.add("count", count)
            object.add("delta", delta)
            object.add("flag", flag)
            object.add("maybe", maybe)
            object.add("name", name)
            object.add("note", note)
            return object.finish()
        }
    }

    static let samples = [
        Sample(count: 0, delta: nil, flag: false, maybe: nil, name: "", note: nil),
        Sample(count: Int64.min, delta: Int64.max, flag: true, maybe: false, name: "plain", note: "x"),
        Sample(
            count: -7, delta: 12, flag: false, maybe: true,
            name: "quote \" backslash \\ slash / controls \u{0} \u{08} \u{0C} \n \r \t \u{1F} del \u{7F} é 日本 🙂",
            note: ""),
    ]

    @Test(arguments: samples)
    func writesWhatTheCodableSerdeWrites(sample: Sample) throws {
        let codable = Serde<Sample>.json()
        #expect(sample.handWritten() == (try codable.serializeOptional(sample)))
    }

    @Test func anEmptyObjectIsBraces() {
        var object = JSONObjectBuilder()
        #expect(object.finish() == Array("{}".utf8))
    }

    @Test func serializingKeepsTheFormatAndTheDeserializer() throws {
        let codable = Serde<Sample>.json(maxBytes: 256)
        let handWritten = codable.serializing { $0.handWritten() }
        #expect(handWritten.format == codable.format)
        let sample = Self.samples[1]
        let bytes = try #require(try handWritten.serializeOptional(sample))
        #expect(try handWritten.deserializeOptional(bytes) == sample)
        #expect(throws: SerdeError.tooLarge(size: 257, limit: 256)) {
            try handWritten.deserializeOptional(Array(repeating: UInt8(ascii: " "), count: 257))
        }
        #expect(throws: SerdeError.unexpectedNull) { try handWritten.deserializeOptional(nil) }
    }
}
