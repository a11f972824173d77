/// Applies changelog records to the store they were logged from, when restoring it.
///
/// A changelog record's key is the store's own key bytes: the user key for key-value stores,
/// ``WindowStoreKeyLayout`` for window stores and ``SessionStoreKeyLayout`` for session stores. Its value is
/// the new value, or `nil` (a tombstone) for a removal. Replaying a partition's records in offset order
/// therefore rebuilds exactly the store that wrote them.
package enum ChangelogRecord {
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

/// A changelog record that cannot be applied to its store.
package struct ChangelogRecordError: Error, CustomStringConvertible {
    package let store: String
    package let reason: String

    package var description: String { "cannot restore store \(store) from its changelog: \(reason)" }
}
