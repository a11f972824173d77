import Foundation
import Testing

@testable import TributaryCore

/// Decode/encode timings against Foundation. Opt-in, and only meaningful in release builds:
/// `TRIBUTARY_JSON_BENCH=1 swift test -c release --filter JSONMicroBenchmarkTests`.
@Suite struct JSONMicroBenchmarkTests {
    static let enabled = ProcessInfo.processInfo.environment["TRIBUTARY_JSON_BENCH"] != nil

    func microseconds(_ rounds: Int, _ count: Int, _ body: () throws -> Void) rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<rounds {
            let start = ContinuousClock.now
            try body()
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            best = min(best, seconds * 1e6 / Double(count))
        }
        return best
    }

    @Test(.enabled(if: enabled)) func decodeAndEncodeTimesPerRecord() throws {
        let lines = try JSONReference.recordingLines(matching: "2018")
        let datas = lines.map { Data($0) }
        var sink = 0
        let foundation = try microseconds(5, lines.count) {
            for data in datas { sink &+= try JSONDecoder().decode(TestRecentChange.self, from: data).namespace }
        }
        let bytes = try microseconds(5, lines.count) {
            for line in lines { sink &+= try JSONByteDecoder().decode(TestRecentChange.self, from: line).namespace }
        }
        let handWritten = try microseconds(5, lines.count) {
            for line in lines { sink &+= try TestRecentChange(json: try JSONValue.parse(line)).namespace }
        }
        let parseOnly = try microseconds(5, lines.count) {
            for line in lines { sink &+= try JSONDocument(line).tape.count }
        }
        let values = try lines.map { try JSONByteDecoder().decode(TestRecentChange.self, from: $0) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let foundationEncode = try microseconds(5, values.count) {
            for value in values { sink &+= try encoder.encode(value).count }
        }
        let bytesEncode = try microseconds(5, values.count) {
            for value in values { sink &+= try JSONByteEncoder().encode(value).count }
        }
        print(String(format: "decode RecentChange (2018 recording, %d lines): Foundation %.2f µs, bytes %.2f µs, JSONValue by hand %.2f µs (tape only %.2f µs)", lines.count, foundation, bytes, handWritten, parseOnly))
        print(String(format: "encode RecentChange: Foundation %.2f µs, bytes %.2f µs", foundationEncode, bytesEncode))
        #expect(sink != 0)
    }
}

extension TestRecentChange {
    /// Hand-written decoding, as WikiEdits' `RecentChange(json:)` does it.
    init(json: JSONValue) throws {
        let meta = try json.object("meta")
        self.meta = Meta(dt: try meta.string("dt"), domain: try meta.optionalString("domain"), id: try meta.optionalString("id"))
        type = try json.string("type")
        namespace = try json.int("namespace")
        title = try json.string("title")
        user = try json.string("user")
        bot = try json.bool("bot")
        wiki = try json.string("wiki")
        minor = try json.optionalBool("minor")
        length = try json.optionalObject("length").map { OldNew(old: try $0.optionalInt64("old"), new: try $0.optionalInt64("new")) }
        revision = try json.optionalObject("revision").map { OldNew(old: try $0.optionalInt64("old"), new: try $0.optionalInt64("new")) }
        comment = try json.optionalString("comment")
        serverURL = try json.optionalString("server_url")
    }
}
