/// Sends every write of a key-value store to its changelog topic, in the task's partition, through a
/// ``ChangelogWriter`` (the latest write per key at each commit).
///
/// The changelog record has the store key and the new value (a tombstone for a delete) and the stream time of
/// the write as its timestamp, so the compacted topic rebuilds exactly the store.
final class ChangeLoggingKeyValueStore: KeyValueBytesStore, ChangelogBuffering {
    let inner: KeyValueBytesStore
    private let changelog: ChangelogWriter

    init(inner: KeyValueBytesStore, topic: String, task: TaskContext) {
        self.inner = inner
        self.changelog = ChangelogWriter(topic: topic, task: task)
    }

    var name: String { inner.name }
    func flush() throws {
        try changelog.send()
        try inner.flush()
    }
    func sendPendingChangelog() throws { try changelog.send() }
    func close() { inner.close() }
    func get(_ key: [UInt8]) throws -> [UInt8]? { try inner.get(key) }

    func put(_ key: [UInt8], _ value: [UInt8]) throws {
        try inner.put(key, value)
        try log(key, value)
    }

    func delete(_ key: [UInt8]) throws {
        try inner.delete(key)
        try log(key, nil)
    }

    func range(from: [UInt8]?, to: [UInt8]?, reverse: Bool) throws -> [KeyValueBytes] {
        try inner.range(from: from, to: to, reverse: reverse)
    }

    func prefixScan(_ prefix: [UInt8]) throws -> [KeyValueBytes] { try inner.prefixScan(prefix) }
    func approximateCount() throws -> Int { try inner.approximateCount() }

    private func log(_ key: [UInt8], _ value: [UInt8]?) throws { try changelog.record(key, value) }
}
