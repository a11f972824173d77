import TributaryCore

/// Reads what a RocksDB store has committed, from any thread, while the store's task keeps writing.
///
/// Writes a task buffered since its last commit (at most one commit interval, 1 s by default) are not
/// visible: readers see the state as of the last commit, never a partly applied batch (RocksDB applies
/// each write batch atomically). Expired windows and sessions that the next commit deletes may still be
/// returned until then.
///
/// Thread-safe: it calls only RocksDB's thread-safe reads on an immutable handle. It keeps the database
/// open, so whoever hands it out must drop it before the store is closed and reopened (the query port's
/// store registry does, by deregistering before close).
package final class RocksDBCommittedReader: @unchecked Sendable {
    private let handle: RocksDBHandle

    init(handle: RocksDBHandle) { self.handle = handle }

    /// The committed value of `key` in a key-value store, or `nil`.
    package func get(_ key: [UInt8]) throws -> [UInt8]? { try handle.get(key) }

    /// Key-value pairs with `from <= key < to` (a `nil` bound is open), ascending, at most `limit`.
    package func range(from: [UInt8]?, to: [UInt8]?, limit: Int) throws -> [KeyValueBytes] {
        try handle.scan(lower: from, upper: to, reverse: false).prefix(limit).map {
            KeyValueBytes(key: $0.key, value: $0.value)
        }
    }

    /// The windows of `key` in a window store with `from <= start <= to`, by start ascending.
    package func windows(_ key: [UInt8], from: Int64, to: Int64) throws -> [(windowStart: Int64, value: [UInt8])] {
        guard from <= to else { return [] }
        return try handle.scan(
            lower: WindowStoreKeyLayout.encode(key, windowStart: from),
            upper: ByteOrder.successor(WindowStoreKeyLayout.encode(key, windowStart: to)), reverse: false
        ).map { (WindowStoreKeyLayout.windowStart(of: $0.key), $0.value) }
    }

    /// The sessions of `key` in a session store with `end >= from` and `start <= to`, by end then start.
    package func sessions(_ key: [UInt8], from: Int64, to: Int64) throws -> [(session: SessionWindow, value: [UInt8])] {
        try handle.scan(
            lower: SessionStoreKeyLayout.encode(key, session: SessionWindow(start: .min, end: from)),
            upper: ByteOrder.prefixUpperBound(OrderedKeyEncoding.keyPrefix(key)), reverse: false
        ).compactMap { entry in
            let session = SessionStoreKeyLayout.session(of: entry.key)
            return session.start <= to ? (session, entry.value) : nil
        }
    }
}
