import Foundation
import Testing
import TributaryCore
import TributaryQuery
import TributaryRocksDB

/// What the query port reads from each RocksDB store kind: committed data only, in the stores' own order.
struct RocksDBCommittedReaderTests {
    static func directory() throws -> String {
        let path = NSTemporaryDirectory() + "tributary-reader-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func keyValueReadsSeeCommitsNotBufferedWrites() throws {
        let path = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try RocksDBKeyValueBytesStore(name: "kv", path: path + "/kv", resources: RocksDBResources())
        defer { store.close() }
        let reader = try #require(store.committedReader())
        try store.put(Array("a".utf8), [1])
        #expect(try reader.get(Array("a".utf8)) == nil)
        try store.writeCheckpoint([:])
        #expect(try reader.get(Array("a".utf8)) == [1])
        try store.put(Array("b".utf8), [2])
        try store.put(Array("c".utf8), [3])
        try store.writeCheckpoint([:])
        #expect(try reader.range(from: Array("b".utf8), to: nil, limit: 1) == [KeyValueBytes(key: Array("b".utf8), value: [2])])
    }

    @Test func windowAndSessionReadsFollowTheirTimeRanges() throws {
        let path = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let windows = try RocksDBWindowStore(
            name: "w", path: path + "/w", retentionMs: 1_000_000, resources: RocksDBResources())
        let sessions = try RocksDBSessionStore(
            name: "s", path: path + "/s", retentionMs: 1_000_000, resources: RocksDBResources())
        defer {
            windows.close()
            sessions.close()
        }
        let key = Array("k".utf8)
        for start in stride(from: Int64(0), through: 3_000, by: 1_000) { try windows.put(key, windowStart: start, [UInt8(start / 1_000)]) }
        try windows.put(Array("other".utf8), windowStart: 1_000, [9])
        try windows.writeCheckpoint([:])
        try sessions.put(key, session: SessionWindow(start: 100, end: 200), [1])
        try sessions.put(key, session: SessionWindow(start: 500, end: 900), [2])
        try sessions.writeCheckpoint([:])
        let windowReader = try #require(windows.committedReader())
        let found = try windowReader.windows(key, type: .window, from: 1_000, to: 2_000)
        #expect(found == [QueryWindow(start: 1_000, end: nil, value: [1]), QueryWindow(start: 2_000, end: nil, value: [2])])
        let sessionReader = try #require(sessions.committedReader())
        // Sessions ending at or after 300 and starting at or before 600.
        #expect(try sessionReader.windows(key, type: .session, from: 300, to: 600)
            == [QueryWindow(start: 500, end: 900, value: [2])])
        #expect(try sessionReader.windows(key, type: .session, from: 0, to: 10_000).count == 2)
    }
}
