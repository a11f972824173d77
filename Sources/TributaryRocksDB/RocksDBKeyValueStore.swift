import Synchronization

/// A persistent, byte-ordered key-value store backed by one RocksDB database.
///
/// Keys and values are raw bytes; keys sort byte-lexicographically (0x00
/// first, 0xFF last, a prefix before its extensions). Every operation throws
/// `RocksDBError`, including any call after `close()`.
///
/// Besides the data keyspace the store has a reserved metadata keyspace (the
/// `tributary-meta` column family) written with
/// `RocksDBWriteBatch.putMetadata` and read with `metadata(_:)`.
/// Invariant for changelog-backed stores: write data together with the
/// changelog offset it reflects in ONE `write(_:)` batch, so after a crash the
/// stored offset always matches the stored data.
///
/// Thread safety: all calls are serialized by an internal lock, so a store may
/// be shared between tasks; `close()` waits for in-flight calls.
public final class RocksDBKeyValueStore: Sendable {
    /// Directory of the database.
    public let path: String

    /// The open database, or nil once closed. Invariant: this mutex holds the
    /// only reference to the handle, so setting it to nil closes RocksDB
    /// immediately and no call can observe a half-closed database.
    private let state: Mutex<RocksDBHandle?>

    /// Opens the database at `path`, creating the directory and database if
    /// missing, with caches and buffers from `resources`.
    /// - Throws: `RocksDBError` if RocksDB cannot open it (e.g. `path` is a
    ///   regular file, or another store holds the database's lock).
    public init(path: String, resources: RocksDBResources) throws {
        self.path = path
        state = Mutex(try RocksDBHandle(path: path, resources: resources))
    }

    /// Runs `body` on the open handle under the lock.
    private func withHandle<R: Sendable>(_ body: (RocksDBHandle) throws -> R) throws -> R {
        try state.withLock { handle throws -> R in
            guard let handle else { throw RocksDBError.closed }
            return try body(handle)
        }
    }

    /// Stores `value` under `key`, replacing any previous value.
    public func put(key: [UInt8], value: [UInt8]) throws {
        try withHandle { try $0.put(key, value) }
    }

    /// The value stored under `key`, or nil if there is none.
    public func get(_ key: [UInt8]) throws -> [UInt8]? {
        try withHandle { try $0.get(key) }
    }

    /// Removes `key`; deleting an absent key is not an error.
    public func delete(_ key: [UInt8]) throws {
        try withHandle { try $0.delete(key) }
    }

    /// Applies all of `batch` atomically (data and metadata alike).
    public func write(_ batch: RocksDBWriteBatch) throws {
        guard !batch.isEmpty else { return }
        try withHandle { try $0.write(batch) }
    }

    /// Entries with `from <= key < to` in byte-lexicographic order, or in
    /// descending order if `reverse`. A nil bound leaves that side open.
    /// The result is a snapshot copied out of RocksDB.
    public func range(
        from: [UInt8]?, to: [UInt8]?, reverse: Bool = false
    ) throws -> [(key: [UInt8], value: [UInt8])] {
        try withHandle { try $0.scan(lower: from, upper: to, reverse: reverse) }
    }

    /// Entries whose key starts with `prefix`, in ascending key order.
    /// An empty prefix returns every entry.
    public func prefix(_ prefix: [UInt8]) throws -> [(key: [UInt8], value: [UInt8])] {
        try withHandle { try $0.scan(lower: prefix, upper: prefix.prefixUpperBound, reverse: false) }
    }

    /// The metadata value stored under `key` (see `RocksDBWriteBatch.putMetadata`),
    /// or nil if there is none.
    public func metadata(_ key: String) throws -> [UInt8]? {
        try withHandle { try $0.get(Array(key.utf8), metadata: true) }
    }

    /// RocksDB's estimate of the number of data keys
    /// (`rocksdb.estimate-num-keys`); approximate, may count overwritten or
    /// deleted keys until compaction.
    public func estimateNumKeys() throws -> UInt64 {
        try withHandle { try $0.integerProperty("rocksdb.estimate-num-keys") }
    }

    /// Approximate bytes used by the data keyspace: live SST files plus
    /// memtables (`rocksdb.total-sst-files-size` + `rocksdb.cur-size-all-mem-tables`).
    public func approximateSizeBytes() throws -> UInt64 {
        try withHandle {
            try $0.integerProperty("rocksdb.total-sst-files-size")
                + $0.integerProperty("rocksdb.cur-size-all-mem-tables")
        }
    }

    /// Writes memtables of data and metadata to disk and waits for it.
    /// Not needed for durability across process crashes (the WAL covers it).
    public func flush() throws {
        try withHandle { try $0.flush() }
    }

    /// Closes the database, releasing its directory lock. Idempotent; every
    /// later call except `close()` throws.
    public func close() {
        // Take the handle out under the lock, release it outside: the handle's
        // deinit (rocksdb_close) can block on background work.
        let handle = state.withLock { handle -> RocksDBHandle? in
            let taken = handle
            handle = nil
            return taken
        }
        _ = handle
    }
}
