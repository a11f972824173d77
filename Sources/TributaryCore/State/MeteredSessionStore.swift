/// The outermost layer of a task's session store: counts and times every operation (``StoreMetrics``).
final class MeteredSessionStore: SessionBytesStore, ChangelogBuffering {
    let inner: SessionBytesStore
    let meter = StoreMeter()

    init(inner: SessionBytesStore) { self.inner = inner }

    var name: String { inner.name }
    var retentionMs: Int64 { inner.retentionMs }
    func flush() throws { try inner.flush() }
    func close() { inner.close() }
    func sendPendingChangelog() throws { try (inner as? ChangelogBuffering)?.sendPendingChangelog() }

    func put(_ key: [UInt8], session: SessionWindow, _ value: [UInt8]?) throws {
        try meter.measure(.put) { try inner.put(key, session: session, value) }
    }

    func findSessions(_ key: [UInt8], earliestEnd: Int64, latestStart: Int64) throws
        -> [(session: SessionWindow, value: [UInt8])]
    {
        try meter.measure(.findSessions) { try inner.findSessions(key, earliestEnd: earliestEnd, latestStart: latestStart) }
    }

    func fetch(_ key: [UInt8], session: SessionWindow) throws -> [UInt8]? {
        try meter.measure(.get) { try inner.fetch(key, session: session) }
    }

    func expire(before time: Int64) throws { try meter.measure(.expire) { try inner.expire(before: time) } }
}
