import Foundation
import Testing
@testable import TributaryRocksDB

/// Small caches so many stores in one test process stay cheap.
private let testResources = RocksDBResources(
    options: RocksDBOptions(blockCacheBytes: 4 << 20, writeBufferBytes: 2 << 20))

/// Keys of a scan result, for compact assertions.
private func keys(_ entries: [(key: [UInt8], value: [UInt8])]) -> [[UInt8]] {
    entries.map(\.key)
}

@Suite struct RocksDBKeyValueStoreTests {
    @Test func putGetAndDeleteRoundTrip() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try RocksDBKeyValueStore(path: dir.child("db"), resources: testResources)
        #expect(try store.get([1]) == nil)
        try store.put(key: [1], value: [10, 11])
        try store.put(key: [2], value: [])
        #expect(try store.get([1]) == [10, 11])
        #expect(try store.get([2]) == [], "an empty value is present, not absent")
        try store.delete([1])
        try store.delete([99])  // absent key: not an error
        #expect(try store.get([1]) == nil)
        #expect(try store.get([2]) == [])
    }

    @Test func overwriteReplacesValue() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try RocksDBKeyValueStore(path: dir.child("db"), resources: testResources)
        try store.put(key: [7], value: [1])
        try store.put(key: [7], value: [2, 2])
        #expect(try store.get([7]) == [2, 2])
        #expect(try store.range(from: nil, to: nil).count == 1)
    }

    @Test func keysSortByteLexicographically() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try RocksDBKeyValueStore(path: dir.child("db"), resources: testResources)
        let expected: [[UInt8]] = [
            [], [0x00], [0x00, 0x00], [0x00, 0xFF], [0x01], [0x01, 0x00], [0x7F], [0x80], [0xFF], [0xFF, 0x00],
            [0xFF, 0xFF],
        ]
        for key in expected.shuffled() {
            try store.put(key: key, value: key)
        }
        let all = try store.range(from: nil, to: nil)
        #expect(keys(all) == expected)
        #expect(all.allSatisfy { $0.key == $0.value })
        #expect(keys(try store.range(from: nil, to: nil, reverse: true)) == expected.reversed())
    }

    @Test func rangeLowerBoundIsInclusiveAndUpperBoundExclusive() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try RocksDBKeyValueStore(path: dir.child("db"), resources: testResources)
        for byte: UInt8 in [1, 2, 3, 4, 5] {
            try store.put(key: [byte], value: [byte])
        }
        #expect(keys(try store.range(from: [2], to: [4])) == [[2], [3]])
        #expect(keys(try store.range(from: nil, to: [3])) == [[1], [2]])
        #expect(keys(try store.range(from: [4], to: nil)) == [[4], [5]])
        #expect(keys(try store.range(from: [2, 0], to: [4, 0])) == [[3], [4]])
        #expect(try store.range(from: [3], to: [3]).isEmpty)
        #expect(try store.range(from: [4], to: [2]).isEmpty)
        #expect(try store.range(from: nil, to: []).isEmpty)
        #expect(keys(try store.range(from: [], to: [2])) == [[1]])
    }

    @Test func reverseRangeHonoursTheSameBounds() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try RocksDBKeyValueStore(path: dir.child("db"), resources: testResources)
        for byte: UInt8 in [1, 2, 3, 4, 5] {
            try store.put(key: [byte], value: [byte])
        }
        #expect(keys(try store.range(from: [2], to: [4], reverse: true)) == [[3], [2]])
        #expect(keys(try store.range(from: nil, to: [3], reverse: true)) == [[2], [1]])
        #expect(keys(try store.range(from: [4], to: nil, reverse: true)) == [[5], [4]])
        #expect(keys(try store.range(from: [2, 0], to: [4, 0], reverse: true)) == [[4], [3]])
        #expect(keys(try store.range(from: nil, to: [9], reverse: true)) == [[5], [4], [3], [2], [1]])
        #expect(try store.range(from: nil, to: [1], reverse: true).isEmpty)
    }

    @Test func prefixScanReturnsOnlyMatchingKeys() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try RocksDBKeyValueStore(path: dir.child("db"), resources: testResources)
        let all: [[UInt8]] = [[0x01], [0x01, 0x00], [0x01, 0xFF], [0x01, 0xFF, 0xFF], [0x02], [0xFF], [0xFF, 0x01]]
        for key in all {
            try store.put(key: key, value: [0])
        }
        #expect(keys(try store.prefix([0x01])) == [[0x01], [0x01, 0x00], [0x01, 0xFF], [0x01, 0xFF, 0xFF]])
        #expect(keys(try store.prefix([0x01, 0xFF])) == [[0x01, 0xFF], [0x01, 0xFF, 0xFF]])
        #expect(keys(try store.prefix([0xFF])) == [[0xFF], [0xFF, 0x01]], "all-0xFF prefix has no upper bound")
        #expect(try store.prefix([0x03]).isEmpty)
        #expect(keys(try store.prefix([])) == all)
    }

    @Test func prefixUpperBoundSkipsTrailingFFBytes() {
        #expect([UInt8]([0x01, 0xFF]).prefixUpperBound == [0x02])
        #expect([UInt8]([0x00]).prefixUpperBound == [0x01])
        #expect([UInt8]([0xFF, 0xFF]).prefixUpperBound == nil)
        #expect([UInt8]().prefixUpperBound == nil)
    }

    @Test func batchWithMetadataIsDurableAcrossReopen() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.child("db")
        do {
            let store = try RocksDBKeyValueStore(path: path, resources: testResources)
            try store.put(key: [9], value: [9])
            var batch = RocksDBWriteBatch()
            batch.put(key: [1], value: [100])
            batch.put(key: [2], value: [200])
            batch.delete([9])
            batch.putMetadata(key: "changelog-offset", value: [0, 0, 0, 42])
            #expect(batch.count == 4)
            try store.write(batch)
            #expect(try store.metadata("changelog-offset") == [0, 0, 0, 42])
            #expect(keys(try store.range(from: nil, to: nil)) == [[1], [2]], "metadata stays out of data scans")
            store.close()
        }
        let reopened = try RocksDBKeyValueStore(path: path, resources: testResources)
        defer { reopened.close() }
        #expect(try reopened.get([1]) == [100])
        #expect(try reopened.get([2]) == [200])
        #expect(try reopened.get([9]) == nil)
        #expect(try reopened.metadata("changelog-offset") == [0, 0, 0, 42])
        #expect(try reopened.metadata("other") == nil)

        var removal = RocksDBWriteBatch()
        removal.deleteMetadata("changelog-offset")
        try reopened.write(removal)
        #expect(try reopened.metadata("changelog-offset") == nil)
    }

    @Test func dataPersistsAcrossReopenAfterFlush() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = dir.child("db")
        let store = try RocksDBKeyValueStore(path: path, resources: testResources)
        for index in 0..<1_000 {
            let key = withUnsafeBytes(of: UInt32(index).bigEndian, Array.init)
            try store.put(key: key, value: Array(repeating: UInt8(index & 0xFF), count: 100))
        }
        try store.flush()
        #expect(try store.estimateNumKeys() > 0)
        #expect(try store.approximateSizeBytes() > 0)
        store.close()
        store.close()  // idempotent
        #expect(throws: RocksDBError.self) { try store.get([0]) }

        let reopened = try RocksDBKeyValueStore(path: path, resources: testResources)
        defer { reopened.close() }
        #expect(try reopened.range(from: nil, to: nil).count == 1_000)
        #expect(try reopened.get([0, 0, 0x03, 0xE7]) == Array(repeating: 0xE7, count: 100))
        let estimate = try reopened.estimateNumKeys()
        #expect(estimate >= 900 && estimate <= 1_100)
    }

    @Test func twoStoresShareOneResources() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let shared = RocksDBResources(options: RocksDBOptions(blockCacheBytes: 1 << 20, writeBufferBytes: 1 << 20))
        let first = try RocksDBKeyValueStore(path: dir.child("a"), resources: shared)
        let second = try RocksDBKeyValueStore(path: dir.child("b"), resources: shared)
        try first.put(key: [1], value: [1])
        try second.put(key: [1], value: [2])
        try first.flush()
        try second.flush()
        #expect(try first.get([1]) == [1])
        #expect(try second.get([1]) == [2])
        first.close()
        #expect(try second.get([1]) == [2], "closing one store leaves the shared cache usable")
        second.close()
    }

    @Test func openingARegularFileThrowsRocksDBError() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.child("not-a-directory")
        #expect(FileManager.default.createFile(atPath: file, contents: Data([1, 2, 3])))
        let error = #expect(throws: RocksDBError.self) {
            _ = try RocksDBKeyValueStore(path: file, resources: testResources)
        }
        #expect(error?.message.isEmpty == false)
        #expect(error?.message.contains(file) == true, "message names the path: \(String(describing: error))")
    }

    @Test func secondOpenOfTheSameDirectoryFailsWhileLocked() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try RocksDBKeyValueStore(path: dir.child("db"), resources: testResources)
        defer { store.close() }
        #expect(throws: RocksDBError.self) {
            _ = try RocksDBKeyValueStore(path: dir.child("db"), resources: testResources)
        }
    }
}
