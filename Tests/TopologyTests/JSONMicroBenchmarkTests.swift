import Foundation
import Testing

@testable import TributaryCore
@testable import WikiEditsTopology

/// Decode/encode timings against Foundation. Opt-in, and only meaningful in release builds:
/// `TRIBUTARY_JSON_BENCH=1 swift test -c release --filter JSONMicroBenchmarkTests`.
/// Times WikiEdits' own `RecentChange`: Foundation Codable, the byte decoder, and `RecentChange(json:)`.
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
        let lines = try fixtureLines("recentchange-20180307T1659Z-wikidatawiki-editgroups-qs_batch_with_reverts.jsonl")
        let datas = lines.map { Data($0) }
        var sink = 0
        let foundation = try microseconds(5, lines.count) {
            for data in datas { sink &+= try JSONDecoder().decode(RecentChange.self, from: data).namespace }
        }
        let bytes = try microseconds(5, lines.count) {
            for line in lines { sink &+= try JSONByteDecoder().decode(RecentChange.self, from: line).namespace }
        }
        let handWritten = try microseconds(5, lines.count) {
            for line in lines { sink &+= try RecentChange(json: try JSONValue.parse(line)).namespace }
        }
        let parseOnly = try microseconds(5, lines.count) {
            for line in lines { sink &+= try JSONDocument(line).tape.count }
        }
        let values = try lines.map { try JSONByteDecoder().decode(RecentChange.self, from: $0) }
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
