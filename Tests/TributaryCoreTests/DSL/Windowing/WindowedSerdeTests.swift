import Testing
import TributaryCore

@Suite struct WindowedSerdeTests {
    @Test func aTimeWindowedKeyIsTheKeyBytesThenTheStartBigEndianAndDecodesTheEndFromTheSize() throws {
        let serde = Serde<Windowed<String>>.windowed(.string, windowSize: .milliseconds(10))
        let key = Windowed(key: "ab", window: Window(start: 258, end: 268))
        let bytes = try #require(try serde.serializeOptional(key))
        #expect(bytes == [0x61, 0x62, 0, 0, 0, 0, 0, 0, 0x01, 0x02])
        #expect(try serde.deserializeOptional(bytes) == key)
        let negative = Windowed(key: "", window: Window(start: -1, end: 9))
        #expect(try serde.serializeOptional(negative) == [UInt8](repeating: 0xFF, count: 8))
        #expect(try serde.deserializeOptional([UInt8](repeating: 0xFF, count: 8)) == negative)
        #expect(throws: SerdeError.self) { try serde.deserializeOptional([1, 2, 3]) }
    }

    @Test func aSessionKeyIsTheKeyBytesThenStartThenEnd() throws {
        let serde = Serde<Windowed<String>>.sessionWindowed(.string)
        let key = Windowed(key: "k", window: Window(start: 1, end: 65_536))
        let bytes = try #require(try serde.serializeOptional(key))
        #expect(bytes == [0x6B, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0])
        #expect(try serde.deserializeOptional(bytes) == key)
    }
}
