/// Sends every write of a session store to its changelog topic, in the task's partition, through a
/// ``ChangelogWriter`` (the latest write per session at each commit).
///
/// The changelog key is the store's own entry key, ``SessionStoreKeyLayout/encode(_:session:)``, and the value is
/// the new aggregate (a tombstone for a removed or merged-away session), with the stream time of the write as
/// timestamp: replaying the topic in order rebuilds exactly the store. Expiry by retention is not logged.
package final class ChangeLoggingSessionStore: SessionBytesStore, ChangelogBuffering {
    package let inner: SessionBytesStore
    private let changelog: ChangelogWriter

    init(inner: SessionBytesStore, topic: String, task: TaskContext) {
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

    package func put(_ key: [UInt8], session: SessionWindow, _ value: [UInt8]?) throws {
        try inner.put(key, session: session, value)
        try changelog.record(SessionStoreKeyLayout.encode(key, session: session), value)
    }

    package func findSessions(_ key: [UInt8], earliestEnd: Int64, latestStart: Int64) throws
        -> [(session: SessionWindow, value: [UInt8])]
    {
        try inner.findSessions(key, earliestEnd: earliestEnd, latestStart: latestStart)
    }

    package func fetch(_ key: [UInt8], session: SessionWindow) throws -> [UInt8]? {
        try inner.fetch(key, session: session)
    }

    package func expire(before time: Int64) throws { try inner.expire(before: time) }
}
