/// The outermost layer of a task's key-value store: counts and times every operation (``StoreMetrics``).
final class MeteredKeyValueStore: KeyValueBytesStore, ChangelogBuffering {
    let inner: KeyValueBytesStore
    let meter = StoreMeter()

    init(inner: KeyValueBytesStore) { self.inner = inner }

    var name: String { inner.name }
    func flush() throws { try inner.flush() }
    func close() { inner.close() }
    func sendPendingChangelog() throws { try (inner as? ChangelogBuffering)?.sendPendingChangelog() }
    func get(_ key: [UInt8]) throws -> [UInt8]? { try meter.measure(.get) { try inner.get(key) } }
    func put(_ key: [UInt8], _ value: [UInt8]) throws { try meter.measure(.put) { try inner.put(key, value) } }
    func delete(_ key: [UInt8]) throws { try meter.measure(.delete) { try inner.delete(key) } }

    func range(from: [UInt8]?, to: [UInt8]?, reverse: Bool) throws -> [KeyValueBytes] {
        try meter.measure(.range) { try inner.range(from: from, to: to, reverse: reverse) }
    }

    func prefixScan(_ prefix: [UInt8]) throws -> [KeyValueBytes] {
        try meter.measure(.range) { try inner.prefixScan(prefix) }
    }

    func approximateCount() throws -> Int { try inner.approximateCount() }
}
