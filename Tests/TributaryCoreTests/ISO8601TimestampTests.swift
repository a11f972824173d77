import Testing
import TributaryCore

/// Expected epoch milliseconds computed with Python:
/// `d = datetime.fromisoformat(s.replace("Z", "+00:00")); (d - datetime(1970, 1, 1, tzinfo=timezone.utc))`
/// converted to whole milliseconds (fractions truncated).
@Suite struct ISO8601TimestampTests {
    static let valid: [(String, Int64)] = [
        ("2018-03-07T16:16:17+00:00", 1_520_439_377_000),  // Wikimedia 2018
        ("2022-12-11T04:27:02Z", 1_670_732_822_000),  // Wikimedia 2022
        ("2026-02-26T15:49:36.544Z", 1_772_120_976_544),  // Wikimedia 2026
        ("2026-02-26T21:19:36.544+05:30", 1_772_120_976_544),
        ("2026-02-26T17:19:36.544+01:30", 1_772_120_976_544),
        ("2026-02-26T10:49:36-05:00", 1_772_120_976_000),
        ("2026-02-26T15:49:36.544-0130", 1_772_126_376_544),  // offset without colon
        ("2026-02-26 15:49:36.544Z", 1_772_120_976_544),  // space instead of T
        ("2024-02-29T00:00:00Z", 1_709_164_800_000),  // leap day
        ("2000-02-29T00:00:00Z", 951_782_400_000),  // divisible by 400: leap
        ("1970-01-01T00:00:00Z", 0),
        ("1969-12-31T23:59:59.999Z", -1),
        ("2000-01-01T00:00:00.1Z", 946_684_800_100),
        ("2000-01-01T00:00:00.123456789Z", 946_684_800_123),  // truncated, not rounded
        ("2000-01-01T00:00:00.999999Z", 946_684_800_999),
    ]

    @Test(arguments: valid)
    func parsesValidTimestamps(text: String, expected: Int64) {
        #expect(ISO8601Timestamp.parse(text) == expected)
    }

    @Test(arguments: [
        "", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-02-30T00:00:00Z", "2023-02-29T00:00:00Z",
        "1900-02-29T00:00:00Z", "2026-04-31T00:00:00Z", "2026-02-26T24:00:00Z", "2026-02-26T12:60:00Z",
        "2026-02-26T15:49:36", "2026-02-26T15:49:36.544", "2026-02-26T15:49:36Zjunk", "2026-02-26T15:49:36Z ",
        "2026-02-26T15:49:36+00:00x", "2026-02-26T15:49:36.Z", "2026-02-26", "26-02-26T15:49:36Z",
        "2026-2-26T15:49:36Z", "2026-02-26T15:49Z", "2026-02-26t15:49:36Z", "2026-02-26T15:49:36+5:30",
        "2026-02-26T15:49:36z", "x2026-02-26T15:49:36Z", "2026/02/26T15:49:36Z",
    ])
    func rejectsInvalidTimestamps(text: String) {
        #expect(ISO8601Timestamp.parse(text) == nil)
    }

    @Test func parsesFromBytes() {
        let bytes = Array("2026-02-26T15:49:36.544Z".utf8)
        #expect(bytes.withUnsafeBufferPointer { ISO8601Timestamp.parse(bytes: $0) } == 1_772_120_976_544)
    }

    @Test(arguments: [
        (Int64(1_772_120_976_544), "2026-02-26T15:49:36.544Z"),
        (1_520_439_377_000, "2018-03-07T16:16:17.000Z"),
        (0, "1970-01-01T00:00:00.000Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"),
    ])
    func formatsAsUTCWithMilliseconds(millis: Int64, expected: String) {
        #expect(ISO8601Timestamp.format(millis) == expected)
        #expect(ISO8601Timestamp.parse(expected) == millis)
    }

    @Test(arguments: [Int64(0), 1, 999, 1_000, 86_399_999, 1_520_439_377_123, 4_102_444_799_999, -86_400_001, -62_135_596_800_000])
    func formatThenParseRoundTrips(millis: Int64) {
        #expect(ISO8601Timestamp.parse(ISO8601Timestamp.format(millis)) == millis)
    }

    @Test(
        arguments: ["2026-02-26T15:49:36+24:00", "2026-02-26T15:49:36+99:99", "2026-02-26T15:49:36-25:00"])
    func rejectsOutOfRangeOffsets(text: String) {
        // Python's datetime.fromisoformat rejects these: an offset must be strictly within ±24 hours.
        #expect(ISO8601Timestamp.parse(text) == nil)
    }
}
