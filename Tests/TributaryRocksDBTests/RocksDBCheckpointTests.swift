import Testing
import TributaryCore
@testable import TributaryRocksDB

/// Small caches so many stores in one test process stay cheap.
private let checkpointResources = RocksDBResources(
    options: RocksDBOptions(blockCacheBytes: 4 << 20, writeBufferBytes: 1 << 20))

/// Checkpoints written atomically with the data: after a reopen, the checkpoint and the data agree.
@Suite struct RocksDBCheckpointTests {
    @Test func keyValueDataAndCheckpointAgreeAfterReopenWhenUncommittedWritesAreLost() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.child("kv")
        do {
            let store = try RocksDBKeyValueBytesStore(name: "kv", path: path, resources: checkpointResources)
            try store.put([1], [1])
            try store.put([2], [2])
            try store.writeCheckpoint(["app-kv-changelog-0": 2])
            try store.put([3], [3])
            try store.delete([1])
            #expect(try store.all().map(\.key) == [[2], [3]], "buffered writes are visible before the commit")
            store.close()  // like a crash: the writes after the checkpoint are lost
        }
        let reopened = try RocksDBKeyValueBytesStore(name: "kv", path: path, resources: checkpointResources)
        defer { reopened.close() }
        #expect(try reopened.checkpoint() == ["app-kv-changelog-0": 2])
        #expect(try reopened.all() == [KeyValueBytes(key: [1], value: [1]), KeyValueBytes(key: [2], value: [2])])
    }

    @Test func aLaterCheckpointCoversTheWritesBeforeIt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.child("kv")
        do {
            let store = try RocksDBKeyValueBytesStore(name: "kv", path: path, resources: checkpointResources)
            try store.put([1], [1])
            try store.writeCheckpoint(["changelog-0": 1, "changelog-1": 5])
            try store.delete([1])
            try store.put([9], [9])
            try store.writeCheckpoint(["changelog-0": 3])
            store.close()
        }
        let reopened = try RocksDBKeyValueBytesStore(name: "kv", path: path, resources: checkpointResources)
        defer { reopened.close() }
        #expect(try reopened.checkpoint() == ["changelog-0": 3], "the new checkpoint replaced the old one whole")
        #expect(try reopened.all() == [KeyValueBytes(key: [9], value: [9])])
    }

    @Test func flushPersistsDataWithoutMovingTheCheckpoint() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.child("kv")
        do {
            let store = try RocksDBKeyValueBytesStore(name: "kv", path: path, resources: checkpointResources)
            try store.writeCheckpoint(["changelog-0": 10])
            try store.put([1], [1])
            try store.flush()
            store.close()
        }
        let reopened = try RocksDBKeyValueBytesStore(name: "kv", path: path, resources: checkpointResources)
        defer { reopened.close() }
        #expect(try reopened.checkpoint() == ["changelog-0": 10])
        #expect(try reopened.get([1]) == [1], "flushed data is ahead of the checkpoint, never behind it")
    }

    @Test func aFullBufferIsAppliedWithoutACheckpoint() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.child("kv")
        do {
            let store = try RocksDBKeyValueBytesStore(
                name: "kv", path: path, resources: checkpointResources, maxBufferedWrites: 10)
            for byte: UInt8 in 0..<25 { try store.put([byte], [byte]) }
            store.close()
        }
        let reopened = try RocksDBKeyValueBytesStore(name: "kv", path: path, resources: checkpointResources)
        defer { reopened.close() }
        #expect(try reopened.checkpoint() == [:])
        #expect(try reopened.all().count == 20, "two full buffers of 10 were applied; the last 5 were not")
    }

    @Test func windowStoreKeepsItsDataCheckpointAndRetentionAcrossReopen() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.child("windows")
        do {
            let store = try RocksDBWindowStore(
                name: "windows", path: path, retentionMs: 100, resources: checkpointResources)
            try store.put([1], windowStart: 0, [0])
            try store.put([1], windowStart: 60, [60])
            try store.writeCheckpoint(["changelog-0": 2])
            try store.put([1], windowStart: 150, [150])  // hides window 0
            try store.writeCheckpoint(["changelog-0": 3])
            try store.put([2], windowStart: 500, [5])  // lost: never committed
            store.close()
        }
        let reopened = try RocksDBWindowStore(
            name: "windows", path: path, retentionMs: 100, resources: checkpointResources)
        defer { reopened.close() }
        #expect(try reopened.checkpoint() == ["changelog-0": 3])
        #expect(try reopened.fetch([1], from: .min, to: .max).map(\.windowStart) == [60, 150])
        #expect(try reopened.fetch([1], windowStart: 0) == nil, "window 0 stays expired after reopen")
        #expect(try reopened.fetch([2], windowStart: 500) == nil)
        try reopened.expire(before: 100)
        try reopened.writeCheckpoint(["changelog-0": 4])
        #expect(try reopened.fetchAll(from: .min, to: .max).map(\.windowStart) == [150])
    }

    @Test func sessionStoreKeepsItsDataCheckpointAndRetentionAcrossReopen() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.child("sessions")
        do {
            let store = try RocksDBSessionStore(
                name: "sessions", path: path, retentionMs: 100, resources: checkpointResources)
            try store.put([1], session: SessionWindow(start: 0, end: 10), [1])
            try store.put([1], session: SessionWindow(start: 100, end: 120), [2])  // hides [0, 10]
            try store.writeCheckpoint(["changelog-0": 2])
            try store.put([1], session: SessionWindow(start: 100, end: 120), nil)  // lost: never committed
            store.close()
        }
        let reopened = try RocksDBSessionStore(
            name: "sessions", path: path, retentionMs: 100, resources: checkpointResources)
        defer { reopened.close() }
        #expect(try reopened.checkpoint() == ["changelog-0": 2])
        let found = try reopened.findSessions([1], earliestEnd: .min, latestStart: .max)
        #expect(found.map(\.session) == [SessionWindow(start: 100, end: 120)])
        #expect(found.map(\.value) == [[2]])
    }

    @Test func everyStoreThrowsAfterClose() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let kv = try RocksDBKeyValueBytesStore(name: "kv", path: directory.child("kv"), resources: checkpointResources)
        let windows = try RocksDBWindowStore(
            name: "w", path: directory.child("w"), retentionMs: 10, resources: checkpointResources)
        let sessions = try RocksDBSessionStore(
            name: "s", path: directory.child("s"), retentionMs: 10, resources: checkpointResources)
        kv.close()
        kv.close()
        windows.close()
        sessions.close()
        #expect(throws: RocksDBError.closed) { try kv.get([1]) }
        #expect(throws: RocksDBError.closed) { try kv.put([1], [1]) }
        #expect(throws: RocksDBError.closed) { try kv.checkpoint() }
        #expect(throws: RocksDBError.closed) { try windows.put([1], windowStart: 0, [1]) }
        #expect(throws: RocksDBError.closed) { try sessions.findSessions([1], earliestEnd: 0, latestStart: 0) }
        // The lock is released: the directory opens again.
        let again = try RocksDBKeyValueBytesStore(name: "kv", path: directory.child("kv"), resources: checkpointResources)
        again.close()
    }
}
