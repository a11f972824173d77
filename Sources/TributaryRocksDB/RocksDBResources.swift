import CRocksDB
import CRocksDBMemory

/// Instance-wide RocksDB memory shared by every store opened with it: one LRU block cache and one write buffer
/// manager whose memtables are charged to that cache, so blocks, index and filter blocks and memtables of all
/// stores (every task's) together stay near `options.blockCacheBytes`, however many stores are open.
///
/// The write buffer manager is not in RocksDB 7.8's C API; `CRocksDBMemory` reaches it through a small C++ shim.
/// Memtables count against `options.writeBufferBytes` in total: when they reach it, RocksDB flushes the largest.
///
/// Sendable because it is immutable after `init`, and RocksDB's cache and write buffer manager are internally
/// synchronized; the table options are only read (copied) when a store opens.
public final class RocksDBResources: @unchecked Sendable {
    /// The settings these resources were created with.
    public let options: RocksDBOptions

    /// The shared LRU cache (`rocksdb_cache_t*`). Owned; destroyed in deinit. Stores hold their own reference
    /// inside RocksDB, so destroying this handle only drops this object's reference.
    let cache: OpaquePointer
    /// Block-based table options pointing at `cache`; copied into each store's options at open. Owned.
    let tableOptions: OpaquePointer
    /// The write buffer manager charging memtables to `cache`. Owned (one reference; stores hold theirs).
    private let writeBufferManager: OpaquePointer

    /// Creates the shared cache sized by `options.blockCacheBytes` and the write buffer manager.
    public init(options: RocksDBOptions = RocksDBOptions()) {
        self.options = options
        cache = rocksdb_cache_create_lru(max(0, options.blockCacheBytes))
        tableOptions = rocksdb_block_based_options_create()
        rocksdb_block_based_options_set_block_cache(tableOptions, cache)
        // Index and filter blocks live in the cache too, so they count against the same bound instead of
        // growing per open file.
        rocksdb_block_based_options_set_cache_index_and_filter_blocks(tableOptions, 1)
        rocksdb_block_based_options_set_pin_l0_filter_and_index_blocks_in_cache(tableOptions, 1)
        writeBufferManager = tributary_write_buffer_manager_create(max(1 << 20, options.writeBufferBytes), cache)
    }

    deinit {
        tributary_write_buffer_manager_destroy(writeBufferManager)
        rocksdb_block_based_options_destroy(tableOptions)
        rocksdb_cache_destroy(cache)
    }

    /// Bytes in the shared block cache now, memtable reservations included.
    public var cacheUsageBytes: Int { Int(rocksdb_cache_get_usage(cache)) }

    /// Memtable bytes of all stores opened with these resources now.
    public var memtableUsageBytes: Int { Int(tributary_write_buffer_manager_memory_usage(writeBufferManager)) }

    /// Builds fresh `rocksdb_options_t*` for one store; the caller owns it.
    func makeDatabaseOptions() -> OpaquePointer {
        let dbOptions: OpaquePointer = rocksdb_options_create()
        rocksdb_options_set_create_if_missing(dbOptions, 1)
        rocksdb_options_set_create_missing_column_families(dbOptions, 1)
        rocksdb_options_set_block_based_table_factory(dbOptions, tableOptions)
        // librocksdb on Debian is linked against liblz4: cheap and fast.
        rocksdb_options_set_compression(dbOptions, Int32(rocksdb_lz4_compression))
        // One memtable of a store may use up to half the shared budget, at most 4 MiB; the manager bounds the sum.
        // Small memtables keep the skip list's working set near the CPU's cache: restoring a store into 16 MiB
        // memtables ran at ~410k records/s, into 4 MiB ones at ~560k (the restore benchmark, 100,000 keys),
        // at the price of more, smaller flushes; the windowed-count benchmark did not change.
        rocksdb_options_set_write_buffer_size(dbOptions, min(4 << 20, max(1 << 20, options.writeBufferBytes / 2)))
        tributary_options_set_write_buffer_manager(dbOptions, writeBufferManager)
        return dbOptions
    }
}
