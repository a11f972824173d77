/// How close in event time two records of a stream-stream join must be to join, and how late a record may arrive.
///
/// A record of the left (calling) stream at time `t` joins every right record with the same key whose time is in
/// `[t - before, t + after]`; symmetrically, a right record at `t` joins left records in `[t - after, t + before]`.
/// ``ofTimeDifferenceAndGrace(_:_:)`` sets `before == after`, so `|Δt| <= timeDifference`.
///
/// **Grace.** A record more than `grace` behind the task's stream time (`t + grace < streamTime`) is late: it is
/// dropped and counted like a late record of a windowed aggregation. Left/outer results for an unmatched record
/// at `t` are emitted once `streamTime > t + lookAhead + grace`, where `lookAhead` is `after` for left records and
/// `before` for right records: from then on no record that is not late can match it, so a null result is final.
public struct JoinWindows: Sendable, Equatable {
    /// How far before a left record's time a right record may be, in ms (>= 0).
    public let beforeMs: Int64
    /// How far after a left record's time a right record may be, in ms (>= 0).
    public let afterMs: Int64
    /// How far behind stream time a record may arrive and still join, in ms (>= 0).
    public let graceMs: Int64

    /// Records join when their times differ by at most `timeDifference`; records more than `grace` behind stream
    /// time are late. Grace is always explicit, as for ``TimeWindows``.
    public static func ofTimeDifferenceAndGrace(_ timeDifference: Duration, _ grace: Duration) -> JoinWindows {
        let differenceMs = timeDifference.milliseconds
        precondition(differenceMs >= 0, "the time difference must not be negative")
        precondition(grace.milliseconds >= 0, "grace must not be negative")
        return JoinWindows(beforeMs: differenceMs, afterMs: differenceMs, graceMs: grace.milliseconds)
    }

    /// The same windows with another `before`: right records may be up to `before` earlier than the left record.
    public func before(_ before: Duration) -> JoinWindows {
        precondition(before.milliseconds >= 0, "before must not be negative")
        return JoinWindows(beforeMs: before.milliseconds, afterMs: afterMs, graceMs: graceMs)
    }

    /// The same windows with another `after`: right records may be up to `after` later than the left record.
    public func after(_ after: Duration) -> JoinWindows {
        precondition(after.milliseconds >= 0, "after must not be negative")
        return JoinWindows(beforeMs: beforeMs, afterMs: after.milliseconds, graceMs: graceMs)
    }

    /// How long the join's window stores keep records, after the latest record time: `before + after + grace`,
    /// enough for every record that a record not yet late can match.
    var retentionMs: Int64 { beforeMs + afterMs + graceMs }
}
