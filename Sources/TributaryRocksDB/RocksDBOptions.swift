/// Memory settings for the RocksDB stores of one `RocksDBResources`.
public struct RocksDBOptions: Sendable, Equatable {
    /// Capacity of the one LRU block cache shared by every store opened with
    /// the same `RocksDBResources`. Default: 64 MiB.
    public var blockCacheBytes: Int

    /// Memtable budget of each store (RocksDB's `db_write_buffer_size`; see
    /// `RocksDBResources` for why it is per store). Default: 32 MiB.
    public var writeBufferBytes: Int

    /// Creates options; the defaults suit a handful of small-to-medium stores.
    public init(blockCacheBytes: Int = 64 << 20, writeBufferBytes: Int = 32 << 20) {
        self.blockCacheBytes = blockCacheBytes
        self.writeBufferBytes = writeBufferBytes
    }
}
