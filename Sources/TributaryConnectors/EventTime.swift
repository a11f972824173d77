/// UTC time conversions the connectors need, without Foundation's formatters (which are slow and locale-bound).
public enum EventTime {
    /// Milliseconds since the epoch of an ISO-8601 time as EventStreams writes `meta.dt`:
    /// `2018-03-07T16:16:17+00:00`, `2022-12-11T04:27:02Z`, `2026-02-26T15:49:36.544Z` (any number of
    /// fraction digits, `Z` or a `±HH:MM` offset). A bare date `2026-02-26` means midnight UTC.
    /// Returns nil for anything else.
    public static func parseISO8601(_ text: some StringProtocol) -> Int64? {
        let b = Array(text.utf8)
        func digits(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= b.count else { return nil }
            var value = 0
            for i in start..<(start + count) {
                guard b[i] >= 48, b[i] <= 57 else { return nil }
                value = value * 10 + Int(b[i] - 48)
            }
            return value
        }
        guard let year = digits(0, 4), b.count >= 10, b[4] == 45, let month = digits(5, 2), b[7] == 45,
            let day = digits(8, 2), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        if b.count == 10 { return civilMilliseconds(year, month, day, 0, 0, 0, 0) }
        guard b.count >= 20, b[10] == 84 || b[10] == 32, let hour = digits(11, 2), b[13] == 58,
            let minute = digits(14, 2), b[16] == 58, let second = digits(17, 2),
            hour < 24, minute < 60, second < 61
        else { return nil }
        var i = 19
        var millis = 0
        if b[i] == 46 {
            i += 1
            var scale = 100
            let start = i
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                millis += Int(b[i] - 48) * scale
                scale /= 10
                i += 1
            }
            guard i > start else { return nil }
        }
        guard i < b.count else { return nil }
        var offsetMinutes = 0
        if b[i] == 90 {  // Z
            guard i + 1 == b.count else { return nil }
        } else if b[i] == 43 || b[i] == 45 {  // + or -
            guard i + 6 == b.count, let oh = digits(i + 1, 2), b[i + 3] == 58, let om = digits(i + 4, 2) else {
                return nil
            }
            offsetMinutes = (oh * 60 + om) * (b[i] == 45 ? -1 : 1)
        } else {
            return nil
        }
        return civilMilliseconds(year, month, day, hour, minute, second, millis) - Int64(offsetMinutes) * 60_000
    }

    /// Formats milliseconds since the epoch as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    public static func formatISO8601(_ milliseconds: Int64) -> String {
        let (days, msOfDay) = floorDivide(milliseconds, 86_400_000)
        let (y, m, d) = civilFromDays(days)
        let h = msOfDay / 3_600_000, mi = msOfDay / 60_000 % 60, s = msOfDay / 1000 % 60, ms = msOfDay % 1000
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2)).\(pad(ms, 3))Z"
    }

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
import Glibc
#endif
