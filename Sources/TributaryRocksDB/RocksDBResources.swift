import CRocksDB

/// Process- (or application-instance-) wide RocksDB resources shared by every
/// `RocksDBKeyValueStore` opened with them: one LRU block cache, so total
/// block-cache memory is bounded by `options.blockCacheBytes` however many
/// stores (partitions) exist.
///
/// Write buffers: RocksDB 7.8's C API has no `WriteBufferManager` binding
/// (`rocksdb_write_buffer_manager_*` arrived later), so memtables cannot be
/// charged to a shared budget. Each store instead caps its own memtables with
/// `db_write_buffer_size = options.writeBufferBytes`; total memtable memory is
/// therefore at most `writeBufferBytes × number of open stores`.
///
/// Sendable because it is immutable after `init` and RocksDB's `Cache` is
/// internally synchronized; the table options are only read (copied) when a
/// store opens.
public final class RocksDBResources: @unchecked Sendable {
    /// The settings these resources were created with.
    public let options: RocksDBOptions

    /// The shared LRU cache (`rocksdb_cache_t*`). Owned; destroyed in deinit.
    /// Stores hold their own reference inside RocksDB, so destroying this
    /// handle only drops this object's reference.
    let cache: OpaquePointer
    /// Block-based table options (`rocksdb_block_based_table_options_t*`)
    /// pointing at `cache`; copied into each store's options at open. Owned.
    let tableOptions: OpaquePointer

    /// Creates the shared cache sized by `options.blockCacheBytes`.
    public init(options: RocksDBOptions = RocksDBOptions()) {
        self.options = options
        cache = rocksdb_cache_create_lru(max(0, options.blockCacheBytes))
        tableOptions = rocksdb_block_based_options_create()
        rocksdb_block_based_options_set_block_cache(tableOptions, cache)
        // Index and filter blocks live in the cache too, so they count
        // against the same bound instead of growing per open file.
        rocksdb_block_based_options_set_cache_index_and_filter_blocks(tableOptions, 1)
        rocksdb_block_based_options_set_pin_l0_filter_and_index_blocks_in_cache(tableOptions, 1)
    }

    deinit {
        rocksdb_block_based_options_destroy(tableOptions)
        rocksdb_cache_destroy(cache)
    }

    /// Builds fresh `rocksdb_options_t*` for one store; the caller owns it.
    func makeDatabaseOptions() -> OpaquePointer {
        let dbOptions: OpaquePointer = rocksdb_options_create()
        rocksdb_options_set_create_if_missing(dbOptions, 1)
        rocksdb_options_set_create_missing_column_families(dbOptions, 1)
        rocksdb_options_set_block_based_table_factory(dbOptions, tableOptions)
        // librocksdb on Debian is linked against liblz4: cheap and fast.
        rocksdb_options_set_compression(dbOptions, Int32(rocksdb_lz4_compression))
        let writeBuffer = max(1 << 20, options.writeBufferBytes)
        rocksdb_options_set_write_buffer_size(dbOptions, writeBuffer)
        rocksdb_options_set_db_write_buffer_size(dbOptions, writeBuffer)
        return dbOptions
    }
}
