import Glibc
import TributaryCore

/// UTC time conversions the connectors need, without Foundation's formatters (which are slow and locale-bound).
/// ISO-8601 parsing and formatting are `TributaryCore.ISO8601Timestamp`'s, plus bare dates and a space separator
/// for command-line input.
public enum EventTime {
    /// Milliseconds since the epoch of an ISO-8601 time as EventStreams writes `meta.dt`:
    /// `2018-03-07T16:16:17+00:00`, `2022-12-11T04:27:02Z`, `2026-02-26T15:49:36.544Z` (any number of
    /// fraction digits, `Z` or a `±HH:MM` offset). A bare date `2026-02-26` means midnight UTC.
    /// Returns nil for anything else.
    public static func parseISO8601(_ text: some StringProtocol) -> Int64? {
        var normalized = String(text)
        if normalized.utf8.count == 10 { normalized += "T00:00:00Z" }
        if normalized.utf8.count > 10, Array(normalized.utf8)[10] == UInt8(ascii: " ") {
            normalized = String(normalized.prefix(10)) + "T" + String(normalized.dropFirst(11))
        }
        return ISO8601Timestamp.parse(normalized)
    }

    /// Formats milliseconds since the epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    public static func formatISO8601(_ milliseconds: Int64) -> String { ISO8601Timestamp.format(milliseconds) }

    /// The current wall-clock time in milliseconds since the epoch.
    public static func nowMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    static func civilMilliseconds(_ y: Int, _ m: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int, _ ms: Int) -> Int64 {
        Int64(daysFromCivil(y, m, d)) * 86_400_000 + Int64(h * 3_600_000 + mi * 60_000 + s * 1000 + ms)
    }

    /// Howard Hinnant's days_from_civil: days since 1970-01-01 of a proleptic Gregorian date.
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The inverse of ``daysFromCivil(_:_:_:)``.
    static func civilFromDays(_ days: Int64) -> (Int, Int, Int) {
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int) {
        var q = a / b
        var r = a % b
        if r < 0 {
            q -= 1
            r += b
        }
        return (q, Int(r))
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

/// GDELT 15-minute slots written as `YYYYMMDDHHMMSS` integers (DATEADDED, file names), in UTC.
public enum GDELTSlot {
    /// Fifteen minutes in milliseconds: the spacing of GDELT 2.0 batches.
    public static let intervalMilliseconds: Int64 = 900_000

    /// Milliseconds since the epoch of `YYYYMMDDHHMMSS`, or nil if it is not a valid date and time.
    public static func milliseconds(_ slot: Int64) -> Int64? {
        guard slot >= 10_000_101_000_000, slot <= 99_991_231_235_959 else { return nil }
        let s = Int(slot % 100), mi = Int(slot / 100 % 100), h = Int(slot / 10_000 % 100)
        let d = Int(slot / 1_000_000 % 100), m = Int(slot / 100_000_000 % 100), y = Int(slot / 10_000_000_000)
        guard (1...12).contains(m), (1...31).contains(d), h < 24, mi < 60, s < 60 else { return nil }
        let days = EventTime.daysFromCivil(y, m, d)
        // Reject dates such as 20190231 that roll into the next month.
        guard EventTime.civilFromDays(Int64(days)) == (y, m, d) else { return nil }
        return EventTime.civilMilliseconds(y, m, d, h, mi, s, 0)
    }

    /// Milliseconds since the epoch of a slot written as text (`20190121220000`), or nil.
    public static func milliseconds(_ text: some StringProtocol) -> Int64? {
        guard text.utf8.count == 14, let value = Int64(text) else { return nil }
        return milliseconds(value)
    }

    /// The `YYYYMMDDHHMMSS` integer of a time (whole seconds; milliseconds are dropped).
    public static func slot(_ milliseconds: Int64) -> Int64 {
        let (days, msOfDay) = EventTime.floorDivide(milliseconds, 86_400_000)
        let (y, m, d) = EventTime.civilFromDays(days)
        let seconds = msOfDay / 1000
        return Int64(y) * 10_000_000_000 + Int64(m) * 100_000_000 + Int64(d) * 1_000_000
            + Int64(seconds / 3600) * 10_000 + Int64(seconds / 60 % 60) * 100 + Int64(seconds % 60)
    }
}

#if canImport(Glibc)
#endif
