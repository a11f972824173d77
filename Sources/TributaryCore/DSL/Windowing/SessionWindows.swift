/// Session windows: periods of activity of a key separated by at least an inactivity gap.
///
/// A session is `[first record time, last record time]` (both inclusive). A record at `t` joins every session of
/// its key with `end >= t - gap` and `start <= t + gap`; when it bridges several sessions they merge into one,
/// and the merged-away sessions are removed (the table emits a `nil` for each).
///
/// **Grace.** A session is closed once `end + grace <= streamTime`. A record whose merged session would be
/// closed is late: dropped, counted and optionally dead-lettered.
public struct SessionWindows: Sendable, Equatable {
    /// The largest gap between records of one session, in ms (> 0).
    public let inactivityGapMs: Int64
    /// How long after its end a session still accepts out-of-order records, in ms (>= 0).
    public let graceMs: Int64

    /// Sessions split by `inactivityGap` that accept out-of-order records until `grace` after their end.
    public static func ofInactivityGapAndGrace(_ inactivityGap: Duration, _ grace: Duration) -> SessionWindows {
        precondition(inactivityGap.milliseconds > 0, "inactivity gap must be positive")
        precondition(grace.milliseconds >= 0, "grace must not be negative")
        return SessionWindows(inactivityGapMs: inactivityGap.milliseconds, graceMs: grace.milliseconds)
    }

    /// How long the store keeps sessions after the latest end: gap + grace.
    var retentionMs: Int64 { inactivityGapMs + graceMs }
}
