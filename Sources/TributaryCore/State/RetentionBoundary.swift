/// Tracks the latest time a window or session store has seen and, from it and the retention, the earliest
/// time still live. Shared by the in-memory and RocksDB stores so both expire identically.
///
/// Invariant: `earliestLive == latest - retentionMs` (saturating at `Int64.min`), or `Int64.min` before any
/// time was observed; `latest` never decreases. Entries whose time is below `earliestLive` are expired:
/// stores never return them and ignore writes to them.
public struct RetentionBoundary: Sendable, Equatable {
    /// How long entries are kept after the latest time, in ms (>= 0).
    public let retentionMs: Int64
    /// The latest time observed, or `nil` before the first.
    public private(set) var latest: Int64?

    /// Creates a boundary that has observed nothing (or `latest`, when restoring a persisted one).
    public init(retentionMs: Int64, latest: Int64? = nil) {
        precondition(retentionMs >= 0, "retention must not be negative")
        self.retentionMs = retentionMs
        self.latest = latest
    }

    /// The earliest live time: `latest - retentionMs`, or `Int64.min` before any time was observed.
    public var earliestLive: Int64 {
        guard let latest else { return .min }
        let (difference, overflow) = latest.subtractingReportingOverflow(retentionMs)
        return overflow ? .min : difference
    }

    /// True when an entry at `time` is live (not expired).
    public func isLive(_ time: Int64) -> Bool { time >= earliestLive }

    /// Advances `latest` to `time` if it is later.
    public mutating func observe(_ time: Int64) {
        if let latest, latest >= time { return }
        latest = time
    }
}
