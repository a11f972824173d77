import CRocksDB

/// Owns one open RocksDB database and every C object tied to it, and performs
/// the raw C calls for `RocksDBKeyValueStore`.
///
/// Invariants:
/// - All pointers are non-NULL and valid from `init` until `deinit`; deinit
///   is the only place that frees them (column families, then the database,
///   then the option objects), so a live handle is always usable.
/// - The database has exactly two column families: `dataFamily` ("default")
///   for user keys and `metaFamily` ("tributary-meta") for metadata, so scans
///   of user data can never return metadata.
/// - The WAL is never disabled: cross-family atomicity of a batch after a
///   crash relies on it.
/// - Every stored property is immutable, and RocksDB's database object is thread-safe, so `get` and `scan`
///   may run on another thread while the owning store writes (``RocksDBCommittedReader``). Writers are
///   serialized by the store that owns the handle.
final class RocksDBHandle {
    /// Name of the reserved column family holding metadata (e.g. offsets).
    static let metadataFamilyName = "tributary-meta"

    /// Keeps the shared block cache alive at least as long as this database.
    let resources: RocksDBResources
    /// `rocksdb_t*`.
    private let db: OpaquePointer
    /// `rocksdb_options_t*` used for the database and both column families.
    private let dbOptions: OpaquePointer
    /// `rocksdb_column_family_handle_t*` of "default".
    private let dataFamily: OpaquePointer
    /// `rocksdb_column_family_handle_t*` of "tributary-meta".
    private let metaFamily: OpaquePointer
    /// `rocksdb_readoptions_t*` for point reads (no bounds ever set on it).
    private let readOptions: OpaquePointer
    /// `rocksdb_writeoptions_t*`: WAL on, no fsync per write.
    private let writeOptions: OpaquePointer

    /// Opens (creating if missing) the database at `path`.
    init(path: String, resources: RocksDBResources) throws {
        let dbOptions = resources.makeDatabaseOptions()
        var families: [OpaquePointer?] = [nil, nil]
        let db: OpaquePointer?
        do {
            db = try "default".withCString { dataName in
                try Self.metadataFamilyName.withCString { metaName in
                    let names: [UnsafePointer<CChar>?] = [dataName, metaName]
                    let familyOptions: [OpaquePointer?] = [dbOptions, dbOptions]
                    return try withRocksDBErrorPointer { error in
                        rocksdb_open_column_families(
                            dbOptions, path, Int32(names.count), names, familyOptions, &families, error)
                    }
                }
            }
        } catch {
            rocksdb_options_destroy(dbOptions)
            throw error
        }
        guard let db, let dataFamily = families[0], let metaFamily = families[1] else {
            rocksdb_options_destroy(dbOptions)
            throw RocksDBError(message: "rocksdb_open_column_families returned no database for \(path)")
        }
        self.resources = resources
        self.db = db
        self.dbOptions = dbOptions
        self.dataFamily = dataFamily
        self.metaFamily = metaFamily
        readOptions = rocksdb_readoptions_create()
        writeOptions = rocksdb_writeoptions_create()
    }

    deinit {
        rocksdb_column_family_handle_destroy(dataFamily)
        rocksdb_column_family_handle_destroy(metaFamily)
        rocksdb_close(db)
        rocksdb_readoptions_destroy(readOptions)
        rocksdb_writeoptions_destroy(writeOptions)
        rocksdb_options_destroy(dbOptions)
    }

    // MARK: Point operations

    /// Value of `key` in the data or metadata family, nil if absent.
    func get(_ key: [UInt8], metadata: Bool = false) throws -> [UInt8]? {
        Self.disablePerfCounters()
        let family = metadata ? metaFamily : dataFamily
        let slice: OpaquePointer? = try key.withCBytes { keyPointer, keyCount in
            try withRocksDBErrorPointer { error in
                rocksdb_get_pinned_cf(db, readOptions, family, keyPointer, keyCount, error)
            }
        }
        guard let slice else { return nil }
        defer { rocksdb_pinnableslice_destroy(slice) }
        var count = 0
        let value = rocksdb_pinnableslice_value(slice, &count)
        return [UInt8](copying: value, count: count)
    }

    /// Stores `value` under the data key `key`.
    func put(_ key: [UInt8], _ value: [UInt8]) throws {
        try key.withCBytes { keyPointer, keyCount in
            try value.withCBytes { valuePointer, valueCount in
                try withRocksDBErrorPointer { error in
                    rocksdb_put_cf(
                        db, writeOptions, dataFamily, keyPointer, keyCount, valuePointer, valueCount, error)
                }
            }
        }
    }

    /// Removes the data key `key` (no error if absent).
    func delete(_ key: [UInt8]) throws {
        try key.withCBytes { keyPointer, keyCount in
            try withRocksDBErrorPointer { error in
                rocksdb_delete_cf(db, writeOptions, dataFamily, keyPointer, keyCount, error)
            }
        }
    }

    /// Applies every operation of `batch` in one `rocksdb_write` (atomic
    /// across both column families).
    func write(_ batch: RocksDBWriteBatch) throws {
        Self.disablePerfCounters()
        let cBatch: OpaquePointer = rocksdb_writebatch_create()
        defer { rocksdb_writebatch_destroy(cBatch) }
        for operation in batch.operations {
            switch operation {
            case .put(let key, let value):
                append(put: key, value, family: dataFamily, to: cBatch)
            case .putMetadata(let key, let value):
                append(put: key, value, family: metaFamily, to: cBatch)
            case .delete(let key):
                key.withCBytes { rocksdb_writebatch_delete_cf(cBatch, dataFamily, $0, $1) }
            case .deleteMetadata(let key):
                key.withCBytes { rocksdb_writebatch_delete_cf(cBatch, metaFamily, $0, $1) }
            }
        }
        try withRocksDBErrorPointer { error in
            rocksdb_write(db, writeOptions, cBatch, error)
        }
    }

    /// Turns off RocksDB's per-thread perf counters for the calling thread (a thread-local store, so it is done
    /// before each read or write batch rather than once per thread). RocksDB counts by default: every key
    /// comparison then updates a thread-local counter, about a tenth of the cost of a memtable insert.
    private static func disablePerfCounters() {
        rocksdb_set_perf_level(1)  // rocksdb::kDisable
    }

    /// Adds one put to a C write batch (which copies the bytes).
    private func append(put key: [UInt8], _ value: [UInt8], family: OpaquePointer, to cBatch: OpaquePointer) {
        key.withCBytes { keyPointer, keyCount in
            value.withCBytes { valuePointer, valueCount in
                rocksdb_writebatch_put_cf(cBatch, family, keyPointer, keyCount, valuePointer, valueCount)
            }
        }
    }

    // MARK: Iteration

    /// Data entries (metadata entries when `metadata`) with `lower <= key < upper`
    /// in byte-lexicographic order, descending if `reverse`. A nil bound is
    /// unbounded on that side.
    func scan(
        lower: [UInt8]?, upper: [UInt8]?, reverse: Bool, metadata: Bool = false
    ) throws -> [(key: [UInt8], value: [UInt8])] {
        Self.disablePerfCounters()
        if let upper {
            // Nothing is below the empty key; an empty or inverted range is empty.
            if upper.isEmpty { return [] }
            if let lower, !lower.lexicographicallyPrecedes(upper) { return [] }
        }
        let iterationOptions: OpaquePointer = rocksdb_readoptions_create()
        defer { rocksdb_readoptions_destroy(iterationOptions) }

        // RocksDB keeps only a Slice pointing at the bound bytes, so they are
        // copied into buffers owned by this frame. These defers are declared
        // before the iterator's, so they run after the iterator is destroyed.
        let lowerBuffer = lower.map(Self.copyToBuffer)
        defer { lowerBuffer?.deallocate() }
        let upperBuffer = upper.map(Self.copyToBuffer)
        defer { upperBuffer?.deallocate() }
        if let lowerBuffer {
            rocksdb_readoptions_set_iterate_lower_bound(iterationOptions, lowerBuffer.baseAddress, lowerBuffer.count)
        }
        if let upperBuffer {
            rocksdb_readoptions_set_iterate_upper_bound(iterationOptions, upperBuffer.baseAddress, upperBuffer.count)
        }

        let iterator: OpaquePointer = rocksdb_create_iterator_cf(
            db, iterationOptions, metadata ? metaFamily : dataFamily)
        defer { rocksdb_iter_destroy(iterator) }

        var entries: [(key: [UInt8], value: [UInt8])] = []
        if reverse {
            if let upperBuffer, let upper {
                // Last key <= upper; step back past an exact match since the
                // upper bound is exclusive.
                rocksdb_iter_seek_for_prev(iterator, upperBuffer.baseAddress, upperBuffer.count)
                while rocksdb_iter_valid(iterator) != 0, !Self.key(of: iterator).lexicographicallyPrecedes(upper) {
                    rocksdb_iter_prev(iterator)
                }
            } else {
                rocksdb_iter_seek_to_last(iterator)
            }
        } else if let lowerBuffer {
            rocksdb_iter_seek(iterator, lowerBuffer.baseAddress, lowerBuffer.count)
        } else {
            rocksdb_iter_seek_to_first(iterator)
        }
        // The read options' bounds stop the iterator at either end.
        while rocksdb_iter_valid(iterator) != 0 {
            var valueCount = 0
            let value = rocksdb_iter_value(iterator, &valueCount)
            entries.append((key: Self.key(of: iterator), value: [UInt8](copying: value, count: valueCount)))
            if reverse {
                rocksdb_iter_prev(iterator)
            } else {
                rocksdb_iter_next(iterator)
            }
        }
        try withRocksDBErrorPointer { error in
            rocksdb_iter_get_error(iterator, error)
        }
        return entries
    }

    /// A heap copy of `bytes`; the caller deallocates it. Never empty-based:
    /// callers only pass non-empty uppers, and an empty lower gets 1 byte of
    /// capacity so the base address is non-NULL.
    private static func copyToBuffer(_ bytes: [UInt8]) -> UnsafeMutableBufferPointer<CChar> {
        let storage = UnsafeMutableBufferPointer<CChar>.allocate(capacity: max(1, bytes.count))
        _ = storage.initialize(from: bytes.lazy.map { CChar(bitPattern: $0) })
        return UnsafeMutableBufferPointer(rebasing: storage[..<bytes.count])
    }

    /// Copy of the key under a valid iterator.
    private static func key(of iterator: OpaquePointer) -> [UInt8] {
        var count = 0
        let pointer = rocksdb_iter_key(iterator, &count)
        return [UInt8](copying: pointer, count: count)
    }

    // MARK: Maintenance

    /// Flushes both column families' memtables to SST files and waits.
    func flush() throws {
        let flushOptions: OpaquePointer = rocksdb_flushoptions_create()
        defer { rocksdb_flushoptions_destroy(flushOptions) }
        rocksdb_flushoptions_set_wait(flushOptions, 1)
        for family in [dataFamily, metaFamily] {
            try withRocksDBErrorPointer { error in
                rocksdb_flush_cf(db, flushOptions, family, error)
            }
        }
    }

    /// An integer property of the data family, e.g. `rocksdb.estimate-num-keys`.
    func integerProperty(_ name: String) throws -> UInt64 {
        var value: UInt64 = 0
        guard rocksdb_property_int_cf(db, dataFamily, name, &value) == 0 else {
            throw RocksDBError(message: "property \(name) is unavailable")
        }
        return value
    }
}
