import TributaryCore

/// A ``KeyValueBytesStore`` in one RocksDB database, with changelog checkpoints written atomically with
/// the data (``OffsetCheckpointing``).
///
/// Writes are buffered in memory and reach RocksDB in one write batch at ``writeCheckpoint(_:)`` (together
/// with the checkpoint), at ``flush()``, or when more than `maxBufferedWrites` keys are buffered; reads see
/// buffered writes. ``close()`` discards buffered writes, as a crash would, so call ``writeCheckpoint(_:)``
/// (or ``flush()``) first. Keys sort in ``ByteOrder``, RocksDB's bytewise order.
///
/// Not thread-safe: like every store it belongs to one task and is used from its stream thread.
public final class RocksDBKeyValueBytesStore: KeyValueBytesStore, OffsetCheckpointing, BatchRestorableKeyValueStore {
    /// The store name.
    public let name: String
    /// Directory of the database.
    public var path: String { database.path }
    /// The database and its write buffer.
    private let database: RocksDBBufferedDatabase
    /// Buffered keys above which writes are applied without waiting for a checkpoint.
    private let maxBufferedWrites: Int

    /// Opens (creating if missing) the store's database at `path`, with caches from `resources`.
    /// - Throws: `RocksDBError` if RocksDB cannot open it (for example another store holds its lock).
    public init(name: String, path: String, resources: RocksDBResources, maxBufferedWrites: Int = 10_000) throws {
        self.name = name
        self.maxBufferedWrites = max(1, maxBufferedWrites)
        database = try RocksDBBufferedDatabase(path: path, resources: resources)
    }

    /// The value of `key`, or `nil`.
    public func get(_ key: [UInt8]) throws -> [UInt8]? { try database.get(key) }

    /// Sets `key` to `value`.
    public func put(_ key: [UInt8], _ value: [UInt8]) throws {
        try database.write(key, value)
        try applyIfFull()
    }

    /// Removes `key`; removing a missing key does nothing.
    public func delete(_ key: [UInt8]) throws {
        try database.write(key, nil)
        try applyIfFull()
    }

    /// Pairs with `from <= key < to` (a `nil` bound is open), ascending, or descending when `reverse`.
    public func range(from: [UInt8]?, to: [UInt8]?, reverse: Bool) throws -> [KeyValueBytes] {
        try database.scan(from: from, to: to, reverse: reverse).map { KeyValueBytes(key: $0.key, value: $0.value) }
    }

    /// Pairs whose key starts with `prefix`, ascending.
    public func prefixScan(_ prefix: [UInt8]) throws -> [KeyValueBytes] {
        try range(from: prefix, to: ByteOrder.prefixUpperBound(prefix), reverse: false)
    }

    /// RocksDB's key estimate adjusted by the buffered writes.
    public func approximateCount() throws -> Int { try database.approximateCount() }

    /// Applies buffered writes (without changing the checkpoint) and flushes RocksDB's memtables to disk.
    public func flush() throws {
        try database.commit(offsets: nil, metadata: [:])
        try database.flushMemtables()
    }

    /// Closes the database, discarding buffered writes. Idempotent; later calls throw `RocksDBError`.
    public func close() { database.close() }

    /// Applies buffered writes and `offsets` (replacing the previous checkpoint) in one atomic batch.
    public func writeCheckpoint(_ offsets: [String: Int64]) throws {
        try database.commit(offsets: offsets, metadata: [:])
    }

    /// Applies restored changelog records in one RocksDB write batch (with any buffered writes before them).
    package func restoreBatch(_ records: [(key: [UInt8], value: [UInt8]?)]) throws {
        try database.writeThrough(records)
    }

    /// The checkpoint on disk: the one last written, or found when the store opened.
    public func checkpoint() throws -> [String: Int64] { try database.checkpoint() }

    /// A reader of the data committed so far, for other threads (the query port); `nil` once closed. The
    /// reader keeps the database open: drop it before the store's directory is reopened or deleted.
    package func committedReader() -> RocksDBCommittedReader? { database.committedReader() }

    /// Applies the buffer once it exceeds its limit; the data is then ahead of the checkpoint, which
    /// restoration tolerates (it replays the changelog from the checkpoint, rewriting the same values).
    private func applyIfFull() throws {
        if database.bufferedCount >= maxBufferedWrites { try database.commit(offsets: nil, metadata: [:]) }
    }
}

extension RocksDBKeyValueBytesStore: RocksDBSizeEstimating {
    package func sizeEstimate() throws -> RocksDBSizeEstimate { try database.sizeEstimate() }
}
