/// Fixed-size windows aligned to the epoch: tumbling (advance == size) or hopping (advance < size).
///
/// A window is `[start, start + size)`; starts are the multiples of the advance that are `>= 0`, so a record at
/// time `t` belongs to every window with `start <= t < start + size` (exactly one when tumbling, up to
/// `size / advance` when hopping). A record exactly at `start + size` belongs to the next window, not this one.
///
/// **Grace.** A window is closed once the task's stream time reaches its end plus the grace period:
/// `start + size + grace <= streamTime`. Records for a closed window are late: dropped, counted and optionally
/// dead-lettered (see ``LateRecordPolicy``). Grace is always explicit; there is no default.
public struct TimeWindows: Sendable, Equatable {
    /// Window length in ms (> 0).
    public let sizeMs: Int64
    /// Distance between consecutive window starts in ms (0 < advance <= size).
    public let advanceMs: Int64
    /// How long after its end a window still accepts out-of-order records, in ms (>= 0).
    public let graceMs: Int64

    /// Tumbling windows of `size` that accept out-of-order records until `grace` after their end.
    public static func ofSizeAndGrace(size: Duration, grace: Duration) -> TimeWindows {
        let sizeMs = size.milliseconds
        precondition(sizeMs > 0, "window size must be positive")
        precondition(grace.milliseconds >= 0, "grace must not be negative")
        return TimeWindows(sizeMs: sizeMs, advanceMs: sizeMs, graceMs: grace.milliseconds)
    }

    /// The same as ``ofSizeAndGrace(size:grace:)``, under Kafka Streams' older name.
    public static func ofSizeWithGrace(size: Duration, grace: Duration) -> TimeWindows {
        ofSizeAndGrace(size: size, grace: grace)
    }

    /// Hopping windows: the same size and grace, a new window every `advance` (0 < advance <= size).
    public func advanceBy(_ advance: Duration) -> TimeWindows {
        let advanceMs = advance.milliseconds
        precondition(advanceMs > 0 && advanceMs <= sizeMs, "advance must be in (0, size]")
        return TimeWindows(sizeMs: sizeMs, advanceMs: advanceMs, graceMs: graceMs)
    }

    /// Starts of the windows containing `timestamp`, ascending (none for negative timestamps).
    func windowStarts(containing timestamp: Int64) -> [Int64] {
        guard timestamp >= 0 else { return [] }
        var start = max(0, timestamp - sizeMs + advanceMs) / advanceMs * advanceMs
        var starts: [Int64] = []
        while start <= timestamp {
            starts.append(start)
            start += advanceMs
        }
        return starts
    }

    /// How long the store keeps windows after the latest start: size + grace, so no open window expires.
    var retentionMs: Int64 { sizeMs + graceMs }
}
