/// Sliding windows of a maximum time difference between records, with Kafka Streams' semantics (KIP-450).
///
/// Windows are `[start, start + timeDifference]`, **both ends inclusive**, and exist only where records are: each
/// record at `t` creates its left window `[t - timeDifference, t]` and, when some record of the key falls in it,
/// its right window `[t + 1, t + 1 + timeDifference]`. Each window aggregates exactly the records whose
/// timestamps it contains, so two records are aggregated together iff they are at most `timeDifference` apart.
///
/// Unlike Kafka Streams, windows are not clamped at time 0: a record at `t < timeDifference` has the left window
/// `[t - timeDifference, t]`.
///
/// **Grace.** A window is closed once `start + timeDifference + grace <= streamTime`. A record whose own left
/// window is closed (`t + grace <= streamTime`) is late: dropped, counted and optionally dead-lettered.
public struct SlidingWindows: Sendable, Equatable {
    /// The largest time difference between two records in one window, in ms (> 0).
    public let timeDifferenceMs: Int64
    /// How long after its end a window still accepts out-of-order records, in ms (>= 0).
    public let graceMs: Int64

    /// Sliding windows of `timeDifference` that accept out-of-order records until `grace` after their end.
    public static func ofTimeDifferenceAndGrace(_ timeDifference: Duration, _ grace: Duration) -> SlidingWindows {
        precondition(timeDifference.milliseconds > 0, "time difference must be positive")
        precondition(grace.milliseconds >= 0, "grace must not be negative")
        return SlidingWindows(timeDifferenceMs: timeDifference.milliseconds, graceMs: grace.milliseconds)
    }

    /// How long the stores keep windows and records after the latest start: right windows start up to one ms
    /// after stream time, and a record inside grace needs the records up to `timeDifference + 1` before it.
    var retentionMs: Int64 { timeDifferenceMs + graceMs + 1 }
}
