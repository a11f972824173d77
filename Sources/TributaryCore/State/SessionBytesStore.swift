/// A session window: activity of one key from `start` to `end` (both inclusive, ms).
public struct SessionWindow: Hashable, Sendable, Comparable {
    /// Time of the first record in the session.
    public var start: Int64
    /// Time of the last record in the session.
    public var end: Int64

    /// Creates a session window.
    public init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
    }

    public static func < (lhs: SessionWindow, rhs: SessionWindow) -> Bool {
        (lhs.end, lhs.start) < (rhs.end, rhs.start)
    }
}

/// A store of session aggregates per (key, session window), for session-windowed aggregations.
public protocol SessionBytesStore: StateStore {
    /// How long sessions are kept after their end, measured from the latest end written, in ms.
    var retentionMs: Int64 { get }
    /// Sets the aggregate of (`key`, `session`); a `nil` value removes it.
    func put(_ key: [UInt8], session: SessionWindow, _ value: [UInt8]?) throws
    /// Sessions of `key` with `end >= earliestEnd` and `start <= latestStart`: the ones a record at time t merges
    /// with when called with `earliestEnd = t - gap`, `latestStart = t + gap`. Ordered by end, then start.
    func findSessions(_ key: [UInt8], earliestEnd: Int64, latestStart: Int64) throws
        -> [(session: SessionWindow, value: [UInt8])]
    /// The aggregate of one session, or `nil`.
    func fetch(_ key: [UInt8], session: SessionWindow) throws -> [UInt8]?
    /// Drops sessions that ended before `time`.
    func expire(before time: Int64) throws
}
