/// How ``KTable/suppress(_:named:)`` holds back the updates of a windowed table.
///
/// **When a final result is emitted.** Each window's latest value is buffered, and emitted exactly once, the
/// first time the suppression's time `now` satisfies `window end + grace <= now`, where `now` is:
/// - the task's stream time, checked after every update reaching the suppression; and, only with
///   ``untilWindowCloses(wallClockCloseAfter:)``,
/// - at a wall-clock check (every `min(wallClockCloseAfter, 1 s)` of wall-clock time) when the task's stream
///   time has not moved and no update has arrived for at least `wallClockCloseAfter` of wall-clock time:
///   stream time + the wall-clock time elapsed since the last update (or since stream time last moved).
///
/// `now` never goes back. Once a window has been emitted, later updates for it (an out-of-order record that
/// the aggregation still accepted because stream time had not reached its end + grace) are discarded, so a
/// window is never emitted twice, even after it expires from the stores.
public struct Suppressed: Sendable, Equatable {
    /// Idle wall-clock time after which the suppression advances its time by the wall clock, in ms.
    let wallClockCloseAfterMs: Int64?

    /// Emit-final: one result per window, once stream time passes the window's end + grace.
    public static let untilWindowCloses = Suppressed(wallClockCloseAfterMs: nil)

    /// Emit-final that also closes windows on idle partitions: after `wallClockCloseAfter` of wall-clock time
    /// with no update, the suppression's time advances with the wall clock from the last stream time.
    public static func untilWindowCloses(wallClockCloseAfter: Duration) -> Suppressed {
        precondition(wallClockCloseAfter.milliseconds > 0, "wall-clock close delay must be positive")
        return Suppressed(wallClockCloseAfterMs: wallClockCloseAfter.milliseconds)
    }
}
