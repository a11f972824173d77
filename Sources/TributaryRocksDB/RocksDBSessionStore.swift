import TributaryCore

/// A ``SessionBytesStore`` in one RocksDB database, with changelog checkpoints written atomically with the
/// data (``OffsetCheckpointing``).
///
/// Layout: each session is one RocksDB key in ``SessionStoreKeyLayout`` — `[escaped key][00 00][end: 8
/// bytes][start: 8 bytes]`, times big-endian with the sign bit flipped — so one key's sessions sort by end,
/// then start, and ``findSessions(_:earliestEnd:latestStart:)`` is one range scan from `earliestEnd` to the
/// end of the key's entries, filtered by start. The latest end written is kept in the metadata key
/// `session/latest-end`, written with every commit, so expired sessions stay hidden after a reopen.
///
/// Expiry is iterate-delete, as in ``RocksDBWindowStore``. Buffering, checkpoints and `close()` behave as
/// in ``RocksDBKeyValueBytesStore``. Not thread-safe.
public final class RocksDBSessionStore: SessionBytesStore, OffsetCheckpointing {
    /// Metadata key of the latest session end written.
    static let latestEndKey = "session/latest-end"

    /// The store name.
    public let name: String
    /// How long sessions are kept after their end, measured from the latest end written, in ms.
    public var retentionMs: Int64 { retention.retentionMs }
    /// Directory of the database.
    public var path: String { database.path }
    /// The database, its write buffer, and the retention of its entries' times.
    private let store: RocksDBTimeRetainedDatabase
    private var database: RocksDBBufferedDatabase { store.database }
    private var retention: RetentionBoundary { store.retention }

    /// Opens (creating if missing) the store's database at `path`, keeping sessions for `retentionMs`
    /// after the latest end written.
    /// - Throws: `RocksDBError` if RocksDB cannot open it.
    public init(
        name: String, path: String, retentionMs: Int64, resources: RocksDBResources, maxBufferedWrites: Int = 10_000
    ) throws {
        self.name = name
        store = try RocksDBTimeRetainedDatabase(
            path: path, retentionMs: retentionMs, latestTimeKey: Self.latestEndKey, resources: resources,
            maxBufferedWrites: maxBufferedWrites)
    }

    /// Sets the aggregate of (`key`, `session`); a `nil` value removes it. Writes to expired sessions are ignored.
    public func put(_ key: [UInt8], session: SessionWindow, _ value: [UInt8]?) throws {
        try store.write(SessionStoreKeyLayout.encode(key, session: session), time: session.end, value)
    }

    /// Live sessions of `key` with `end >= earliestEnd` and `start <= latestStart`, ordered by end, then start.
    public func findSessions(_ key: [UInt8], earliestEnd: Int64, latestStart: Int64) throws
        -> [(session: SessionWindow, value: [UInt8])]
    {
        let lowerEnd = max(earliestEnd, retention.earliestLive)
        return try database.scan(
            from: SessionStoreKeyLayout.encode(key, session: SessionWindow(start: .min, end: lowerEnd)),
            to: ByteOrder.prefixUpperBound(OrderedKeyEncoding.keyPrefix(key)), reverse: false
        ).compactMap { entry in
            let session = SessionStoreKeyLayout.session(of: entry.key)
            return session.start <= latestStart ? (session, entry.value) : nil
        }
    }

    /// The aggregate of one live session, or `nil`.
    public func fetch(_ key: [UInt8], session: SessionWindow) throws -> [UInt8]? {
        guard retention.isLive(session.end) else { return nil }
        return try database.get(SessionStoreKeyLayout.encode(key, session: session))
    }

    /// Drops sessions that ended before `time` (buffered deletions, applied at the next commit).
    public func expire(before time: Int64) throws {
        try store.expire(before: time) { SessionStoreKeyLayout.session(of: $0).end }
    }

    /// Applies buffered writes (without changing the checkpoint) and flushes RocksDB's memtables to disk.
    public func flush() throws { try store.flush() }

    /// Closes the database, discarding buffered writes. Idempotent; later calls throw `RocksDBError`.
    public func close() { database.close() }

    /// Applies buffered writes, the latest end and `offsets` (replacing the previous checkpoint) in one
    /// atomic batch.
    public func writeCheckpoint(_ offsets: [String: Int64]) throws { try store.writeCheckpoint(offsets) }

    /// The checkpoint on disk: the one last written, or found when the store opened.
    public func checkpoint() throws -> [String: Int64] { try database.checkpoint() }

    /// A reader of the data committed so far, for other threads (the query port); `nil` once closed. The
    /// reader keeps the database open: drop it before the store's directory is reopened or deleted.
    package func committedReader() -> RocksDBCommittedReader? { database.committedReader() }
}

extension RocksDBSessionStore: RocksDBSizeEstimating {
    package func sizeEstimate() throws -> RocksDBSizeEstimate { try store.database.sizeEstimate() }
}
