/// Sends every write of a key-value store to its changelog topic, in the task's partition.
///
/// The changelog record has the store key and the new value (a tombstone for a delete) and the stream time of
/// the write as its timestamp, so the compacted topic rebuilds exactly the store.
final class ChangeLoggingKeyValueStore: KeyValueBytesStore {
    let inner: KeyValueBytesStore
    let topic: String
    unowned let task: TaskContext

    init(inner: KeyValueBytesStore, topic: String, task: TaskContext) {
        self.inner = inner
        self.topic = topic
        self.task = task
    }

    var name: String { inner.name }
    func flush() throws { try inner.flush() }
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

    private func log(_ key: [UInt8], _ value: [UInt8]?) throws {
        try task.collector.send(
            topic: topic, partition: task.taskID.partition, key: key, value: value,
            timestamp: max(0, task.streamTime), headers: [])
    }
}
