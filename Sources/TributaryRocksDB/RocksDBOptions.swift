/// Memory settings for the RocksDB stores of one ``RocksDBResources`` (one application instance).
public struct RocksDBOptions: Sendable, Equatable {
    /// Capacity of the one LRU block cache shared by every store opened with the same ``RocksDBResources``.
    /// Memtables are charged to it too, so this is the bound of RocksDB's cache and memtable memory together.
    /// Default: 64 MiB.
    public var blockCacheBytes: Int

    /// The memtables of all stores together (RocksDB's write buffer manager): past it the largest memtable is
    /// flushed. Part of ``blockCacheBytes``, not added to it. Default: 16 MiB.
    public var writeBufferBytes: Int

    /// Creates options.
    public init(blockCacheBytes: Int = 64 << 20, writeBufferBytes: Int = 16 << 20) {
        self.blockCacheBytes = blockCacheBytes
        self.writeBufferBytes = writeBufferBytes
    }
}
