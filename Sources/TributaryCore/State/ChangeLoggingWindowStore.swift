/// Sends every write of a window store to its changelog topic, in the task's partition, through a
/// ``ChangelogWriter`` (the latest write per window at each commit).
///
/// The changelog key is the store's own entry key, ``WindowStoreKeyLayout/encode(_:windowStart:)``, and the value
/// is the new value (a tombstone for a removal), with the stream time of the write as timestamp: replaying the
/// topic in order and decoding each key with ``WindowStoreKeyLayout/decode(_:)`` rebuilds exactly the store.
/// Expiry by retention is not logged; windowed changelog topics rely on their own retention for that.
package final class ChangeLoggingWindowStore: WindowBytesStore, ChangelogBuffering {
    package let inner: WindowBytesStore
    private let changelog: ChangelogWriter

    init(inner: WindowBytesStore, topic: String, task: TaskContext) {
        self.inner = inner
        self.changelog = ChangelogWriter(topic: topic, task: task)
    }

    package var name: String { inner.name }
    package var retentionMs: Int64 { inner.retentionMs }
    package func flush() throws {
        try changelog.send()
        try inner.flush()
    }
    package func sendPendingChangelog() throws { try changelog.send() }
    package func close() { inner.close() }

    package func put(_ key: [UInt8], windowStart: Int64, _ value: [UInt8]?) throws {
        try inner.put(key, windowStart: windowStart, value)
        try changelog.record(WindowStoreKeyLayout.encode(key, windowStart: windowStart), value)
    }

    package func fetch(_ key: [UInt8], windowStart: Int64) throws -> [UInt8]? {
        try inner.fetch(key, windowStart: windowStart)
    }

    package func fetch(_ key: [UInt8], from: Int64, to: Int64) throws -> [(windowStart: Int64, value: [UInt8])] {
        try inner.fetch(key, from: from, to: to)
    }

    package func fetchAll(from: Int64, to: Int64) throws -> [(key: [UInt8], windowStart: Int64, value: [UInt8])] {
        try inner.fetchAll(from: from, to: to)
    }

    package func expire(before time: Int64) throws { try inner.expire(before: time) }
}
