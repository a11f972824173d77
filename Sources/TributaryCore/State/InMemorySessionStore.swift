/// A session store held in memory: a ``SortedByteMap`` keyed by ``SessionStoreKeyLayout``, so entries are
/// ordered by key, then session end, then start.
///
/// Costs: `put` and `fetch` are O(log n); `findSessions` is O(log n + s) for the s sessions of the key that
/// end at or after `earliestEnd`; `expire(before:)` scans every entry when some session may end before the
/// given time, and is O(1) otherwise.
///
/// Retention: sessions that end before `latest end written − retentionMs` are expired; they are never
/// returned, writes to them are ignored, and ``expire(before:)`` drops them.
public final class InMemorySessionStore: SessionBytesStore, OffsetCheckpointing {
    /// The store name.
    public let name: String
    /// How long sessions are kept after their end, measured from the latest end written, in ms.
    public var retentionMs: Int64 { retention.retentionMs }
    /// Entries keyed by ``SessionStoreKeyLayout``.
    private var sessions = SortedByteMap<[UInt8]>()
    /// The latest end written and the earliest live end.
    private var retention: RetentionBoundary
    /// A lower bound on every stored session end (`Int64.max` when nothing was stored since the last expire).
    private var oldestStoredEnd = Int64.max
    /// The last checkpoint written (kept in memory only).
    private var offsets: [String: Int64] = [:]

    /// Creates an empty store keeping sessions for `retentionMs` after the latest end.
    public init(name: String, retentionMs: Int64) {
        self.name = name
        retention = RetentionBoundary(retentionMs: retentionMs)
    }

    /// Sets the aggregate of (`key`, `session`); a `nil` value removes it. Writes to expired sessions are ignored.
    public func put(_ key: [UInt8], session: SessionWindow, _ value: [UInt8]?) throws {
        retention.observe(session.end)
        guard retention.isLive(session.end) else { return }
        let stored = SessionStoreKeyLayout.encode(key, session: session)
        if let value {
            sessions.updateValue(value, forKey: stored)
            oldestStoredEnd = min(oldestStoredEnd, session.end)
        } else {
            sessions.removeValue(forKey: stored)
        }
    }

    /// Live sessions of `key` with `end >= earliestEnd` and `start <= latestStart`, ordered by end, then start.
    public func findSessions(_ key: [UInt8], earliestEnd: Int64, latestStart: Int64) throws
        -> [(session: SessionWindow, value: [UInt8])]
    {
        let lowerEnd = max(earliestEnd, retention.earliestLive)
        let prefix = OrderedKeyEncoding.keyPrefix(key)
        return sessions.entries(
            from: SessionStoreKeyLayout.encode(key, session: SessionWindow(start: .min, end: lowerEnd)),
            to: ByteOrder.prefixUpperBound(prefix)
        ).compactMap { entry in
            let session = SessionStoreKeyLayout.session(of: entry.key)
            return session.start <= latestStart ? (session, entry.value) : nil
        }
    }

    /// The aggregate of one live session, or `nil`.
    public func fetch(_ key: [UInt8], session: SessionWindow) throws -> [UInt8]? {
        guard retention.isLive(session.end) else { return nil }
        return sessions.value(for: SessionStoreKeyLayout.encode(key, session: session))
    }

    /// Every live session of every key, ordered by key, then end, then start (for inspection in tests).
    package func allSessions() -> [(key: [UInt8], session: SessionWindow, value: [UInt8])] {
        sessions.entries().compactMap { entry in
            guard let (key, session) = SessionStoreKeyLayout.decode(entry.key), retention.isLive(session.end) else {
                return nil
            }
            return (key, session, entry.value)
        }
    }

    /// Drops sessions that ended before `time`.
    public func expire(before time: Int64) throws {
        guard oldestStoredEnd < time else { return }
        for entry in sessions.entries() where SessionStoreKeyLayout.session(of: entry.key).end < time {
            sessions.removeValue(forKey: entry.key)
        }
        // Every remaining session ends at or after `time`.
        oldestStoredEnd = sessions.isEmpty ? .max : time
    }

    /// Does nothing: an in-memory store has nothing to make durable.
    public func flush() throws {}

    /// Drops the contents.
    public func close() {
        sessions.removeAll()
    }

    /// Records `offsets` as the checkpoint (in memory only).
    public func writeCheckpoint(_ offsets: [String: Int64]) throws { self.offsets = offsets }

    /// The last checkpoint written, empty when none was.
    public func checkpoint() throws -> [String: Int64] { offsets }
}
