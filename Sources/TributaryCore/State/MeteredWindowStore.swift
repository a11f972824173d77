/// The outermost layer of a task's window store: counts and times every operation (``StoreMetrics``).
final class MeteredWindowStore: WindowBytesStore, ChangelogBuffering {
    let inner: WindowBytesStore
    let meter = StoreMeter()

    init(inner: WindowBytesStore) { self.inner = inner }

    var name: String { inner.name }
    var retentionMs: Int64 { inner.retentionMs }
    func flush() throws { try inner.flush() }
    func close() { inner.close() }
    func sendPendingChangelog() throws { try (inner as? ChangelogBuffering)?.sendPendingChangelog() }

    func put(_ key: [UInt8], windowStart: Int64, _ value: [UInt8]?) throws {
        try meter.measure(.put) { try inner.put(key, windowStart: windowStart, value) }
    }

    func fetch(_ key: [UInt8], windowStart: Int64) throws -> [UInt8]? {
        try meter.measure(.get) { try inner.fetch(key, windowStart: windowStart) }
    }

    func fetch(_ key: [UInt8], from: Int64, to: Int64) throws -> [(windowStart: Int64, value: [UInt8])] {
        try meter.measure(.fetch) { try inner.fetch(key, from: from, to: to) }
    }

    func fetchAll(from: Int64, to: Int64) throws -> [(key: [UInt8], windowStart: Int64, value: [UInt8])] {
        try meter.measure(.range) { try inner.fetchAll(from: from, to: to) }
    }

    func expire(before time: Int64) throws { try meter.measure(.expire) { try inner.expire(before: time) } }
}
