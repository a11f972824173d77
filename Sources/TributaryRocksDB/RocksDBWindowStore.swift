import TributaryCore

/// A ``WindowBytesStore`` in one RocksDB database, with changelog checkpoints written atomically with the
/// data (``OffsetCheckpointing``).
///
/// Layout: each window is one RocksDB key in ``WindowStoreKeyLayout`` — `[escaped key][00 00][start: 8
/// bytes big-endian, sign bit flipped]` — so entries sort by key bytes, then start, and one key's windows
/// over a time range are a single range scan. The latest start written is kept in the metadata key
/// `window/latest-start`, written with every commit, so expired windows stay hidden after a reopen.
///
/// Expiry is iterate-delete: ``expire(before:)`` scans the store and buffers a deletion for each window
/// starting before the time (a key-first layout has no single contiguous range to range-delete). The store
/// tracks a lower bound on the starts it holds, so the scan runs only when some window can actually be
/// dropped — for a caller expiring at `stream time − retention`, about once per window-start step.
///
/// Buffering, checkpoints and `close()` behave as in ``RocksDBKeyValueBytesStore``. Not thread-safe.
public final class RocksDBWindowStore: WindowBytesStore, OffsetCheckpointing {
    /// Metadata key of the latest window start written.
    static let latestStartKey = "window/latest-start"

    /// The store name.
    public let name: String
    /// How long windows are kept, measured from the latest window start written, in ms.
    public var retentionMs: Int64 { retention.retentionMs }
    /// Directory of the database.
    public var path: String { database.path }
    /// The database, its write buffer, and the retention of its entries' times.
    private let store: RocksDBTimeRetainedDatabase
    private var database: RocksDBBufferedDatabase { store.database }
    private var retention: RetentionBoundary { store.retention }

    /// Opens (creating if missing) the store's database at `path`, keeping windows for `retentionMs`
    /// (>= window size + grace) after the latest start written.
    /// - Throws: `RocksDBError` if RocksDB cannot open it.
    public init(
        name: String, path: String, retentionMs: Int64, resources: RocksDBResources, maxBufferedWrites: Int = 10_000
    ) throws {
        self.name = name
        store = try RocksDBTimeRetainedDatabase(
            path: path, retentionMs: retentionMs, latestTimeKey: Self.latestStartKey, resources: resources,
            maxBufferedWrites: maxBufferedWrites)
    }

    /// Sets the value of (`key`, `windowStart`); a `nil` value removes it. Writes to expired windows are ignored.
    public func put(_ key: [UInt8], windowStart: Int64, _ value: [UInt8]?) throws {
        try store.write(WindowStoreKeyLayout.encode(key, windowStart: windowStart), time: windowStart, value)
    }

    /// The value of one window, or `nil` (also when it has expired).
    public func fetch(_ key: [UInt8], windowStart: Int64) throws -> [UInt8]? {
        guard retention.isLive(windowStart) else { return nil }
        return try database.get(WindowStoreKeyLayout.encode(key, windowStart: windowStart))
    }

    /// The live windows of `key` with `from <= start <= to`, by start ascending: one range scan.
    public func fetch(_ key: [UInt8], from: Int64, to: Int64) throws -> [(windowStart: Int64, value: [UInt8])] {
        let lower = max(from, retention.earliestLive)
        guard lower <= to else { return [] }
        return try database.scan(
            from: WindowStoreKeyLayout.encode(key, windowStart: lower),
            to: ByteOrder.successor(WindowStoreKeyLayout.encode(key, windowStart: to)), reverse: false
        ).map { (WindowStoreKeyLayout.windowStart(of: $0.key), $0.value) }
    }

    /// All keys' live windows with `from <= start <= to`, ordered by key then start (a full scan).
    public func fetchAll(from: Int64, to: Int64) throws -> [(key: [UInt8], windowStart: Int64, value: [UInt8])] {
        let lower = max(from, retention.earliestLive)
        guard lower <= to else { return [] }
        return try database.scan(from: nil, to: nil, reverse: false).compactMap { entry in
            guard let (key, start) = WindowStoreKeyLayout.decode(entry.key), start >= lower, start <= to else {
                return nil
            }
            return (key, start, entry.value)
        }
    }

    /// Drops every window that starts before `time` (buffered deletions, applied at the next commit).
    public func expire(before time: Int64) throws {
        try store.expire(before: time) { WindowStoreKeyLayout.windowStart(of: $0) }
    }

    /// Applies buffered writes (without changing the checkpoint) and flushes RocksDB's memtables to disk.
    public func flush() throws { try store.flush() }

    /// Closes the database, discarding buffered writes. Idempotent; later calls throw `RocksDBError`.
    public func close() { database.close() }

    /// Applies buffered writes, the latest start and `offsets` (replacing the previous checkpoint) in one
    /// atomic batch.
    public func writeCheckpoint(_ offsets: [String: Int64]) throws { try store.writeCheckpoint(offsets) }

    /// The checkpoint on disk: the one last written, or found when the store opened.
    public func checkpoint() throws -> [String: Int64] { try database.checkpoint() }

    /// A reader of the data committed so far, for other threads (the query port); `nil` once closed. The
    /// reader keeps the database open: drop it before the store's directory is reopened or deleted.
    package func committedReader() -> RocksDBCommittedReader? { database.committedReader() }
}

extension RocksDBWindowStore: RocksDBSizeEstimating {
    package func sizeEstimate() throws -> RocksDBSizeEstimate { try store.database.sizeEstimate() }
}
