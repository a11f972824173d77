import TributaryCore

/// Read access to one partition of a store that is safe from threads other than the store's task.
///
/// The runtime registers RocksDB stores through ``RocksDBCommittedReader`` (committed data only). In-memory
/// stores are not queryable: the runtime never registers them (it runs every store on RocksDB).
package protocol QueryableStore: AnyObject, Sendable {
    /// The value of `key` in a key-value store, or `nil`.
    func get(_ key: [UInt8]) throws -> [UInt8]?
    /// Pairs with `from <= key < to` (a `nil` bound is open) of a key-value store, ascending, at most `limit`.
    func range(from: [UInt8]?, to: [UInt8]?, limit: Int) throws -> [KeyValueBytes]
    /// Windows (window store: `from <= start <= to`) or sessions (session store: `end >= from`,
    /// `start <= to`) of `key`.
    func windows(_ key: [UInt8], type: QueryStoreType, from: Int64, to: Int64) throws -> [QueryWindow]
}
