import TributaryCore

/// One RocksDB database plus an in-memory buffer of writes not yet applied, shared by the RocksDB
/// key-value, window and session stores.
///
/// Writes (`put`, `delete`) go to the buffer; reads merge the buffer over the database, so a store reads
/// its own writes. ``commit(offsets:metadata:)`` applies the whole buffer, the store's metadata and
/// (optionally) a new changelog checkpoint in ONE RocksDB write batch.
///
/// Invariants:
/// - The buffer holds, per key, the latest write since the last commit (`nil` for a deletion); it is
///   empty right after a commit. Readers see `buffer ?? database` per key.
/// - The checkpoint offsets on disk (metadata keys `offset/<name>`, 8-byte big-endian values) were written
///   in the same batch as the data they describe. Data reaches disk without a new checkpoint only through
///   an explicit commit without offsets (the stores' `flush()`, or a buffer exceeding its limit); then
///   the data is ahead of the checkpoint, never behind, and replaying the changelog from the checkpoint
///   rewrites the same values.
/// - `close()` discards the buffer, exactly as a crash would: what is on disk is what was committed.
/// - Not thread-safe: a store belongs to one task and is used from its stream thread only.
final class RocksDBBufferedDatabase {
    /// Metadata key prefix of checkpoint offsets.
    static let offsetPrefix = "offset/"

    /// Directory of the database.
    let path: String
    /// The open database, or `nil` once closed.
    private var handle: RocksDBHandle?
    /// Writes since the last commit: key → value, or `nil` for a deletion.
    private var buffer = SortedByteMap<[UInt8]?>()
    /// The checkpoint on disk (as loaded at open or last committed).
    private var offsets: [String: Int64]

    /// Opens (creating if missing) the database at `path` and loads its checkpoint.
    init(path: String, resources: RocksDBResources) throws {
        let handle = try RocksDBHandle(path: path, resources: resources)
        let prefix = Array(Self.offsetPrefix.utf8)
        var offsets: [String: Int64] = [:]
        for entry in try handle.scan(
            lower: prefix, upper: ByteOrder.prefixUpperBound(prefix), reverse: false, metadata: true)
        {
            guard entry.value.count == 8 else {
                throw RocksDBError(message: "checkpoint entry of \(path) has \(entry.value.count) bytes, not 8")
            }
            let name = String(decoding: entry.key[prefix.count...], as: UTF8.self)
            offsets[name] = Int64(bitPattern: entry.value.reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        }
        self.path = path
        self.handle = handle
        self.offsets = offsets
    }

    /// A reader of the committed data (the buffer excluded) that other threads may use; `nil` once closed.
    func committedReader() -> RocksDBCommittedReader? {
        handle.map { RocksDBCommittedReader(handle: $0) }
    }

    /// The open handle; throws after `close()`.
    private func open() throws -> RocksDBHandle {
        guard let handle else { throw RocksDBError.closed }
        return handle
    }

    /// The checkpoint on disk: loaded at open, or last committed.
    func checkpoint() throws -> [String: Int64] {
        _ = try open()
        return offsets
    }

    /// Number of buffered writes (distinct keys).
    var bufferedCount: Int { buffer.count }

    /// The current value of `key`: the buffered write if any, else the stored value.
    func get(_ key: [UInt8]) throws -> [UInt8]? {
        let handle = try open()
        if let buffered = buffer.value(for: key) { return buffered }
        return try handle.get(key)
    }

    /// Buffers a write of `value` (`nil` deletes) to `key`.
    func write(_ key: [UInt8], _ value: [UInt8]?) throws {
        _ = try open()
        buffer.updateValue(value, forKey: key)
    }

    /// Current entries with `from <= key < to` (a `nil` bound is open), ascending or descending when
    /// `reverse`: the stored entries merged with the buffer, the buffer winning on equal keys.
    func scan(from: [UInt8]?, to: [UInt8]?, reverse: Bool) throws -> [(key: [UInt8], value: [UInt8])] {
        let stored = try open().scan(lower: from, upper: to, reverse: reverse)
        guard !buffer.isEmpty else { return stored }
        let buffered = buffer.entries(from: from, to: to, reverse: reverse)
        guard !buffered.isEmpty else { return stored }
        var merged: [(key: [UInt8], value: [UInt8])] = []
        merged.reserveCapacity(stored.count + buffered.count)
        var storedIndex = 0
        var bufferedIndex = 0
        while storedIndex < stored.count || bufferedIndex < buffered.count {
            // < 0: the stored entry comes next; 0: same key (the buffer wins); > 0: the buffered one.
            var order: Int
            if storedIndex == stored.count {
                order = 1
            } else if bufferedIndex == buffered.count {
                order = -1
            } else {
                order = ByteOrder.compare(stored[storedIndex].key, buffered[bufferedIndex].key)
                if reverse { order = -order }
            }
            if order < 0 {
                merged.append(stored[storedIndex])
                storedIndex += 1
                continue
            }
            if order == 0 { storedIndex += 1 }
            if let value = buffered[bufferedIndex].value {
                merged.append((buffered[bufferedIndex].key, value))
            }
            bufferedIndex += 1
        }
        return merged
    }

    /// The stored metadata value of `key`, or `nil`.
    func metadata(_ key: String) throws -> [UInt8]? {
        try open().get(Array(key.utf8), metadata: true)
    }

    /// A time stored by a store as 8-byte metadata (``OrderedKeyEncoding/appendTime(_:to:)``), or `nil`.
    func timeMetadata(_ key: String) throws -> Int64? {
        guard let bytes = try metadata(key) else { return nil }
        guard bytes.count == 8 else {
            throw RocksDBError(message: "metadata \(key) of \(path) has \(bytes.count) bytes, not 8")
        }
        return OrderedKeyEncoding.readTime(bytes, at: 0)
    }

    /// Applies the buffer, `metadata`, and — when `offsets` is given — a checkpoint replacing the previous
    /// one, in one atomic write batch; then empties the buffer.
    func commit(offsets newOffsets: [String: Int64]?, metadata: [String: [UInt8]]) throws {
        let handle = try open()
        var batch = RocksDBWriteBatch()
        for entry in buffer.entries() {
            if let value = entry.value {
                batch.put(key: entry.key, value: value)
            } else {
                batch.delete(entry.key)
            }
        }
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            batch.putMetadata(key: key, value: value)
        }
        if let newOffsets {
            for name in offsets.keys where newOffsets[name] == nil {
                batch.deleteMetadata(Self.offsetPrefix + name)
            }
            for (name, offset) in newOffsets.sorted(by: { $0.key < $1.key }) {
                let bits = UInt64(bitPattern: offset)
                batch.putMetadata(
                    key: Self.offsetPrefix + name,
                    value: stride(from: 56, through: 0, by: -8).map { UInt8(truncatingIfNeeded: bits >> UInt64($0)) })
            }
        }
        if !batch.isEmpty { try handle.write(batch) }
        buffer.removeAll()
        if let newOffsets { offsets = newOffsets }
    }

    /// Applies the buffer, then `records` (in order; `nil` deletes), in one atomic write batch that bypasses the
    /// buffer: restoration's fast path. The checkpoint is unchanged (the data may run ahead of it).
    func writeThrough(_ records: [(key: [UInt8], value: [UInt8]?)]) throws {
        let handle = try open()
        var batch = RocksDBWriteBatch()
        for entry in buffer.entries() {
            if let value = entry.value { batch.put(key: entry.key, value: value) } else { batch.delete(entry.key) }
        }
        for record in records {
            if let value = record.value { batch.put(key: record.key, value: value) } else { batch.delete(record.key) }
        }
        if !batch.isEmpty { try handle.write(batch) }
        buffer.removeAll()
    }

    /// Writes RocksDB's memtables to SST files and waits (the WAL already covers process crashes).
    func flushMemtables() throws {
        try open().flush()
    }

    /// RocksDB's estimate of the stored keys plus buffered puts minus buffered deletions (at least 0).
    func approximateCount() throws -> Int {
        let stored = Int(clamping: try open().integerProperty("rocksdb.estimate-num-keys"))
        let delta = buffer.entries().reduce(0) { $0 + ($1.value == nil ? -1 : 1) }
        return max(0, stored + delta)
    }

    /// RocksDB's size estimates of the data column family (buffered writes not included).
    func sizeEstimate() throws -> RocksDBSizeEstimate {
        let handle = try open()
        return RocksDBSizeEstimate(
            liveDataBytes: try handle.integerProperty("rocksdb.estimate-live-data-size"),
            keys: try handle.integerProperty("rocksdb.estimate-num-keys"))
    }

    /// Discards the buffer and closes the database, releasing its lock. Idempotent.
    func close() {
        buffer.removeAll()
        handle = nil
    }
}
