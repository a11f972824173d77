/// A store kept in one RocksDB database that can report RocksDB's own size estimates of its data.
///
/// The figures come from the properties `rocksdb.estimate-live-data-size` and `rocksdb.estimate-num-keys` of the
/// data column family: estimates of what is on disk and in memtables, excluding writes still buffered in the
/// store and counting overwritten or deleted keys until compaction removes them.
package protocol RocksDBSizeEstimating: AnyObject {
    /// RocksDB's estimates of the live data bytes and the number of keys; throws once the store is closed.
    func sizeEstimate() throws -> RocksDBSizeEstimate
}

/// RocksDB's estimates of one database's size.
package struct RocksDBSizeEstimate: Equatable, Sendable {
    /// `rocksdb.estimate-live-data-size`: bytes of live data.
    package var liveDataBytes: UInt64
    /// `rocksdb.estimate-num-keys`: keys, deleted and overwritten ones included until compaction.
    package var keys: UInt64
}
