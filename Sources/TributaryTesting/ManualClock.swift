import TributaryCore

/// A wall clock that moves only when told to, for deterministic tests of wall-clock punctuation and idleness.
public final class ManualClock: WallClock {
    private var now: Int64

    /// Creates a clock reading `startMs` milliseconds since the epoch.
    public init(startMs: Int64 = 0) { now = startMs }

    /// The current manual time.
    public func nowMs() -> Int64 { now }

    /// Moves the clock forward.
    public func advance(by duration: Duration) {
        now += duration.milliseconds
    }
}
