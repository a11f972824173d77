import Foundation
import Testing
@testable import TributaryConnectors

/// The fast field reader must agree with `JSONDecoder` whenever it answers, and must not answer for invalid JSON.
@Suite struct RecentChangeScannerTests {
    private func scan(_ text: String) -> RecentChangeHead? {
        Array(text.utf8).withUnsafeBufferPointer(RecentChangeScanner.scan)
    }

    private func decode(_ text: String) -> RecentChangeHead? {
        try? JSONDecoder().decode(RecentChangeHead.self, from: Data(text.utf8))
    }

    @Test func agreesWithJSONDecoderOnEveryRecordedEvent() throws {
        var lines: [String] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: TestSupport.data("wikimedia")) where file.hasSuffix(".jsonl") {
            lines += try String(contentsOfFile: TestSupport.data("wikimedia/\(file)"), encoding: .utf8)
                .split(separator: "\n").map(String.init)
        }
        #expect(lines.count == 1839)
        var answered = 0
        for line in lines {
            let expected = try #require(decode(line))
            if let scanned = scan(line) {
                answered += 1
                #expect(scanned == expected)
            }
        }
        #expect(answered == lines.count)  // none of the recorded events needs the fallback
    }

    @Test(arguments: [
        "{\"meta\": ", "{\"wiki\": \"a\",}", "{\"wiki\": \"a\"} x", "[1]", "{\"a\": 01}", "{\"a\": tru}", "{\"a\": \"\u{01}\"}",
        "{\"a\": \"\\x\"}", "{\"a\": 1.}", "{\"a\": -}", "{\"a\" 1}", "{\"a\": [1,]}", "",
    ])
    func doesNotAnswerForInvalidJSON(_ text: String) {
        // The connector then asks JSONDecoder, which decides (it is lenient about some of these, e.g. `[1,]`).
        #expect(scan(text) == nil)
    }

    @Test func rejectsInvalidUTF8() {
        let bytes: [UInt8] = Array("{\"title\": \"".utf8) + [0xC3, 0x28] + Array("\"}".utf8)
        #expect(bytes.withUnsafeBufferPointer(RecentChangeScanner.scan) == nil)
    }

    @Test func fallsBackForEscapesAndWrongTypesButReadsTheRest() {
        #expect(scan(#"{"wiki": "en\u0077iki", "meta": {"dt": "2026-01-01T00:00:00Z"}}"#) == nil)
        #expect(decode(#"{"wiki": "en\u0077iki"}"#)?.wiki == "enwiki")
        #expect(scan(#"{"wiki": 5}"#) == nil)
        #expect(scan(#"{"meta": {"offset": 1.5}}"#) == nil)
        let head = scan(#"{"x": [{"y": [true, false, null, -1.5e3, "\"q\""]}], "wiki": "dewiki", "type": "edit", "meta": {"dt": "2026-01-01T00:00:00Z", "domain": "canary", "topic": "t", "partition": 0, "offset": 42, "z": {}}}"#)
        #expect(head == decode(#"{"wiki": "dewiki", "type": "edit", "meta": {"dt": "2026-01-01T00:00:00Z", "domain": "canary", "topic": "t", "partition": 0, "offset": 42}}"#))
        #expect(head?.meta?.offset == 42)
    }
}
