import Foundation
import Testing

@testable import TributaryHTTP

/// Parses a whole stream given as a string, in one chunk.
private func parse(_ text: String, dispatchIncomplete: Bool = false) -> [ServerSentEvent] {
    parse(bytes: Array(text.utf8), dispatchIncomplete: dispatchIncomplete)
}

/// Parses a whole stream in one chunk.
private func parse(bytes: [UInt8], dispatchIncomplete: Bool = false) -> [ServerSentEvent] {
    var parser = ServerSentEventsParser()
    return parser.feed(bytes) + parser.finish(dispatchIncomplete: dispatchIncomplete)
}

/// Parses a stream fed in the given chunks.
private func parse(chunks: [ArraySlice<UInt8>], dispatchIncomplete: Bool = false) -> [ServerSentEvent] {
    var parser = ServerSentEventsParser()
    var events: [ServerSentEvent] = []
    for chunk in chunks { events += parser.feed(chunk) }
    return events + parser.finish(dispatchIncomplete: dispatchIncomplete)
}

/// The recorded Wikimedia capture (3 events, no final newline), read next to this source file.
private func captureBytes() throws -> [UInt8] {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/recentchange-20221211T0427Z-raw-sse-wiki_visualizer.events")
    return Array(try Data(contentsOf: url))
}

@Suite struct ServerSentEventsParserTests {
    /// One case of the spec table: a stream and the events it must give.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var stream: String
        var events: [ServerSentEvent]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "single data line", stream: "data: hello\n\n", events: [.init(data: "hello")]),
        Case(name: "multi-line data joined with LF", stream: "data: a\ndata: b\ndata\n\n", events: [.init(data: "a\nb\n")]),
        Case(name: "event type", stream: "event: add\ndata: x\n\n", events: [.init(type: "add", data: "x")]),
        Case(name: "empty event type means message", stream: "event\ndata: x\n\n", events: [.init(data: "x")]),
        Case(name: "type does not leak to the next event", stream: "event: a\ndata: 1\n\ndata: 2\n\n",
             events: [.init(type: "a", data: "1"), .init(data: "2")]),
        Case(name: "only one leading space stripped", stream: "data:  two\ndata:none\n\n", events: [.init(data: " two\nnone")]),
        Case(name: "colon in value kept", stream: "data: a:b: c\n\n", events: [.init(data: "a:b: c")]),
        Case(name: "field without colon has empty value", stream: "data\ndata\n\n", events: [.init(data: "\n")]),
        Case(name: "comments ignored", stream: ": keep-alive\n:\ndata: x\n: more\n\n", events: [.init(data: "x")]),
        Case(name: "unknown fields ignored", stream: "foo: bar\nData: no\nDATA: no\ndata: yes\n\n", events: [.init(data: "yes")]),
        Case(name: "empty data not dispatched", stream: "event: a\n\n: c\n\n", events: []),
        Case(name: "id persists across events", stream: "id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\n",
             events: [.init(data: "a", lastEventID: "1"), .init(data: "b", lastEventID: "1"), .init(data: "c", lastEventID: "2")]),
        Case(name: "id updates even without data", stream: "id: 7\n\ndata: x\n\n", events: [.init(data: "x", lastEventID: "7")]),
        Case(name: "empty id resets", stream: "id: 7\ndata: a\n\nid\ndata: b\n\n",
             events: [.init(data: "a", lastEventID: "7"), .init(data: "b", lastEventID: "")]),
        Case(name: "id with NUL ignored", stream: "id: 1\n\nid: a\u{0}b\ndata: x\n\n", events: [.init(data: "x", lastEventID: "1")]),
        Case(name: "retry digits", stream: "retry: 1500\ndata: x\n\ndata: y\n\n",
             events: [.init(data: "x", retry: 1500), .init(data: "y")]),
        Case(name: "retry non-digits ignored", stream: "retry: 15a\ndata: x\n\nretry: -1\ndata: y\n\nretry:\ndata: z\n\nretry:  5\ndata: w\n\n",
             events: [.init(data: "x"), .init(data: "y"), .init(data: "z"), .init(data: "w")]),
        Case(name: "CRLF line ends", stream: "event: e\r\ndata: a\r\ndata: b\r\n\r\n", events: [.init(type: "e", data: "a\nb")]),
        Case(name: "CR line ends", stream: "data: a\rdata: b\r\rdata: c\r\r", events: [.init(data: "a\nb"), .init(data: "c")]),
        Case(name: "mixed line ends", stream: "data: a\r\ndata: b\rdata: c\n\r\n", events: [.init(data: "a\nb\nc")]),
        Case(name: "LF CR is two line ends", stream: "data: a\n\rdata: b\n\n", events: [.init(data: "a"), .init(data: "b")]),
        Case(name: "BOM skipped once", stream: "\u{FEFF}data: a\n\n\u{FEFF}data: b\n\n", events: [.init(data: "a")]),
        Case(name: "leading BOM then field name", stream: "\u{FEFF}id: 3\ndata: a\n\n", events: [.init(data: "a", lastEventID: "3")]),
        Case(name: "spec example: two events, one ignored block", stream: "data: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n",
             events: [.init(data: "first event", lastEventID: "1"), .init(data: "second event"), .init(data: " third event")]),
        Case(name: "unterminated event dropped at EOF", stream: "data: a\n\ndata: b\n", events: [.init(data: "a")]),
        Case(name: "Unicode data", stream: "data: Störfix ✓ \u{200E}𝄞\n\n", events: [.init(data: "Störfix ✓ \u{200E}𝄞")]),
    ]

    @Test(arguments: cases) func specTable(_ testCase: Case) {
        #expect(parse(testCase.stream) == testCase.events)
    }

    /// The spec example "data\n\ndata\ndata\n\ndata:": the first block has one empty data line (data "" after
    /// removing the LF, which is not an empty buffer, so it is dispatched); the second gives "\n"; the last is
    /// incomplete.
    @Test func specExampleEmptyDataLines() {
        #expect(parse("data\n\ndata\ndata\n\ndata:") == [.init(data: ""), .init(data: "\n")])
        #expect(parse("data\n\ndata\ndata\n\ndata:", dispatchIncomplete: true) == [.init(data: ""), .init(data: "\n"), .init(data: "")])
    }

    @Test func invalidUTF8BecomesReplacementCharacter() {
        let bytes = Array("data: a".utf8) + [0xFF, 0xC3] + Array("\ndata: \u{E9}".utf8) + [0xE2, 0x82] + Array("\n\n".utf8)
        #expect(parse(bytes: bytes) == [.init(data: "a\u{FFFD}\u{FFFD}\n\u{E9}\u{FFFD}")])
    }

    @Test func partialBOMIsText() {
        // EF BB then a non-BOM byte: the two bytes are kept (and decode to U+FFFD as an incomplete sequence).
        let bytes: [UInt8] = [0xEF, 0xBB] + Array(":x\ndata: a\n\n".utf8)
        #expect(parse(bytes: bytes) == [.init(data: "a")])
        let field: [UInt8] = [0xEF, 0xBB] + Array("data: a\n\n".utf8)
        #expect(parse(bytes: field) == [])  // field name is "\u{FFFD}data", unknown
        #expect(parse(bytes: [0xEF, 0xBB]) == [])
        #expect(parse(bytes: [0xEF, 0xBB, 0xBF]) == [])
    }

    @Test func bomSplitAcrossChunks() {
        let bytes = Array("\u{FEFF}data: a\n\n".utf8)
        #expect(parse(chunks: [bytes[0..<1], bytes[1..<2], bytes[2...]]) == [.init(data: "a")])
    }

    @Test func crAtChunkEndAndLFAtNextStartIsOneLineEnd() {
        let bytes = Array("data: a\r\n\r\ndata: b\r\n\r\n".utf8)
        // Split right after each CR.
        let chunks = [bytes[0..<8], bytes[8..<10], bytes[10...]]
        #expect(parse(chunks: chunks) == [.init(data: "a"), .init(data: "b")])
        #expect(parse(chunks: bytes.indices.map { bytes[$0...$0] }) == [.init(data: "a"), .init(data: "b")])
    }

    @Test func utf8SplitInsideMultiByteSequence() {
        let text = "event: Störfix\ndata: Störfix → 𝄞 Ö\n\n"
        let bytes = Array(text.utf8)
        let expected = [ServerSentEvent(type: "Störfix", data: "Störfix → 𝄞 Ö")]
        // "ö" is C3 B6: split between its two bytes.
        let oIndex = bytes.firstIndex(of: 0xC3)!
        #expect(parse(chunks: [bytes[...oIndex], bytes[(oIndex + 1)...]]) == expected)
        // Byte by byte splits every multi-byte sequence.
        #expect(parse(chunks: bytes.indices.map { bytes[$0...$0] }) == expected)
    }

    @Test func crOnlyFile() {
        let text = "event: a\rid: 9\rdata: one\rdata: two\r\r:c\rdata: three\r\r"
        let expected = [ServerSentEvent(type: "a", data: "one\ntwo", lastEventID: "9"), .init(data: "three", lastEventID: "9")]
        #expect(parse(text) == expected)
        let bytes = Array(text.utf8)
        #expect(parse(chunks: bytes.indices.map { bytes[$0...$0] }) == expected)
    }

    /// A sample stream with every feature: every split point must give the same events.
    static let sample = "\u{FEFF}: hello\r\nretry: 3000\r\nevent: edit\r\nid: 1\r\ndata: {\"title\":\"Störfix\"}\r\n\r\n"
        + "data: two\rdata: lines\r\rid: 2\n\nid: 3\ndata: €𝄞\n: tail\n\ndata: cut"

    @Test func everySplitGivesTheSameEvents() {
        let bytes = Array(Self.sample.utf8)
        let expected = parse(bytes: bytes)
        #expect(expected == [
            .init(type: "edit", data: "{\"title\":\"Störfix\"}", lastEventID: "1", retry: 3000),
            .init(data: "two\nlines", lastEventID: "1"),
            .init(data: "€𝄞", lastEventID: "3"),
        ])
        #expect(parse(chunks: bytes.indices.map { bytes[$0...$0] }) == expected)
        for split in 0...bytes.count {
            #expect(parse(chunks: [bytes[..<split], bytes[split...]]) == expected, "split at \(split)")
        }
        let withIncomplete = expected + [.init(data: "cut", lastEventID: "3")]
        #expect(parse(bytes: bytes, dispatchIncomplete: true) == withIncomplete)
        for split in 0...bytes.count {
            #expect(parse(chunks: [bytes[..<split], bytes[split...]], dispatchIncomplete: true) == withIncomplete)
        }
    }

    @Test func randomChunkingOfTheCapture() throws {
        let bytes = try captureBytes()
        let expected = parse(bytes: bytes, dispatchIncomplete: true)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var chunks: [ArraySlice<UInt8>] = []
            var start = 0
            while start < bytes.count {
                let end = min(bytes.count, start + Int.random(in: 1...300, using: &generator))
                chunks.append(bytes[start..<end])
                start = end
            }
            #expect(parse(chunks: chunks, dispatchIncomplete: true) == expected)
        }
    }

    @Test func recordedCaptureGivesThreeEventsWithIncompleteAndTwoWithout() throws {
        let bytes = try captureBytes()
        #expect(bytes.last != 0x0A)
        let strict = parse(bytes: bytes)
        let lenient = parse(bytes: bytes, dispatchIncomplete: true)
        #expect(strict.count == 2)
        #expect(lenient.count == 3)
        #expect(Array(lenient.prefix(2)) == strict)
        let id = #"[{"topic":"eqiad.mediawiki.recentchange","partition":0,"timestamp":1670732822001},{"topic":"codfw.mediawiki.recentchange","partition":0,"offset":-1}]"#
        let expectedTitles = ["File:LL-Q1860 (eng)-StuckInLagToad-indiscretion.wav", "thought", "Q67921346"]
        let expectedWikis = ["commonswiki", "enwiktionary", "wikidatawiki"]
        for (index, event) in lenient.enumerated() {
            #expect(event.type == "message")
            #expect(event.lastEventID == id)
            #expect(event.retry == nil)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any])
            #expect(object["title"] as? String == expectedTitles[index])
            #expect(object["wiki"] as? String == expectedWikis[index])
            let meta = try #require(object["meta"] as? [String: Any])
            #expect(meta["dt"] as? String == "2022-12-11T04:27:02Z")
            #expect((meta["offset"] as? NSNumber)?.intValue == 4_369_496_612 + index)
        }
        // The data is the JSON exactly as sent: the third `data:` line of the file minus its field prefix.
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lenient[2].data == String(lines[10].dropFirst("data: ".count)))
        #expect(lenient[0].data.contains("\u{200E}") || lenient[1].data.contains("\u{200E}") || lenient[2].data.contains("\u{200E}"))
    }

    @Test func lastEventIDCommittedOnlyAtBlankLineAndKeptAcrossFinish() {
        var parser = ServerSentEventsParser(lastEventID: "seed")
        #expect(parser.feed(Array("data: a\n\n".utf8)) == [.init(data: "a", lastEventID: "seed")])
        _ = parser.feed(Array("id: 5\ndata: b\n".utf8))
        #expect(parser.lastEventID == "seed")
        #expect(parser.finish() == [])
        #expect(parser.lastEventID == "seed")  // the incomplete block's id was discarded with it
        #expect(parser.feed(Array("id: 6\n\n".utf8)) == [])
        #expect(parser.lastEventID == "6")
        #expect(parser.finish() == [])
        // A new stream: BOM detection starts again, the id stays.
        #expect(parser.feed(Array("\u{FEFF}data: c\n\n".utf8)) == [.init(data: "c", lastEventID: "6")])
    }

    @Test func reconnectionTimePersists() {
        var parser = ServerSentEventsParser()
        #expect(parser.reconnectionTime == nil)
        _ = parser.feed(Array("retry: 250\n\nretry: x\n\n".utf8))
        #expect(parser.reconnectionTime == 250)
        _ = parser.feed(Array("retry: 99999999999999999999999\n\n".utf8))
        #expect(parser.reconnectionTime == 250)
    }
}
