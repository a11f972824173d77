/// Applies changelog records to the store they were logged from, when restoring it.
///
/// A changelog record's key is the store's own key bytes: the user key for key-value stores,
/// ``WindowStoreKeyLayout`` for window stores and ``SessionStoreKeyLayout`` for session stores. Its value is
/// the new value, or `nil` (a tombstone) for a removal. Replaying a partition's records in offset order
/// therefore rebuilds exactly the store that wrote them.
package enum ChangelogRecord {
    /// Applies a batch of changelog records to `store`: in one write for stores that support it, else one by one.
    package static func apply(_ records: [(key: [UInt8]?, value: [UInt8]?)], to store: StateStore) throws {
        if let batchStore = store as? BatchRestorableKeyValueStore {
            var batch: [(key: [UInt8], value: [UInt8]?)] = []
            batch.reserveCapacity(records.count)
            for record in records {
                guard let key = record.key else {
                    throw ChangelogRecordError(store: store.name, reason: "record without a key")
                }
                batch.append((key, record.value))
            }
            try batchStore.restoreBatch(batch)
            return
        }
        for record in records { try apply(key: record.key, value: record.value, to: store) }
    }

    /// Writes one changelog record into `store` (the inner store, never its changelogging wrapper).
    /// - Throws: ``ChangelogRecordError`` when the key is not in the store's layout or the record has no key.
    package static func apply(key: [UInt8]?, value: [UInt8]?, to store: StateStore) throws {
        guard let key else { throw ChangelogRecordError(store: store.name, reason: "record without a key") }
        switch store {
        case let store as KeyValueBytesStore:
            if let value { try store.put(key, value) } else { try store.delete(key) }
        case let store as WindowBytesStore:
            guard let (userKey, windowStart) = WindowStoreKeyLayout.decode(key) else {
                throw ChangelogRecordError(store: store.name, reason: "key is not in the window-store layout")
            }
            try store.put(userKey, windowStart: windowStart, value)
        case let store as SessionBytesStore:
            guard let (userKey, session) = SessionStoreKeyLayout.decode(key) else {
                throw ChangelogRecordError(store: store.name, reason: "key is not in the session-store layout")
            }
            try store.put(userKey, session: session, value)
        default:
            throw ChangelogRecordError(store: store.name, reason: "store kind cannot be restored")
        }
    }
}

/// A key-value store that applies many changelog records in one write (restoration's fast path).
package protocol BatchRestorableKeyValueStore: KeyValueBytesStore {
    /// Applies `records` in order (`nil` value: delete), as ``KeyValueBytesStore/put(_:_:)`` and
    /// ``KeyValueBytesStore/delete(_:)`` would, in one atomic write.
    func restoreBatch(_ records: [(key: [UInt8], value: [UInt8]?)]) throws
}

/// A changelog record that cannot be applied to its store.
package struct ChangelogRecordError: Error, CustomStringConvertible {
    package let store: String
    package let reason: String

    package var description: String { "cannot restore store \(store) from its changelog: \(reason)" }
}
