import Testing
import TributaryCore

@testable import TributaryRocksDB

/// Restoration's fast path writes a changelog batch straight into RocksDB, after the buffered writes.
@Suite struct RocksDBRestoreBatchTests {
    @Test func aRestoredBatchAppliesInOrderAfterBufferedWritesAndSurvivesReopen() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let resources = RocksDBResources()
        let path = directory.child("kv")
        do {
            let store = try RocksDBKeyValueBytesStore(name: "kv", path: path, resources: resources)
            try store.put([1], [10])  // buffered
            try store.restoreBatch([([1], [11]), ([2], [20]), ([3], [30]), ([2], nil)])
            #expect(try store.all() == [KeyValueBytes(key: [1], value: [11]), KeyValueBytes(key: [3], value: [30])])
            store.close()  // no checkpoint written: only what reached RocksDB survives
        }
        let reopened = try RocksDBKeyValueBytesStore(name: "kv", path: path, resources: resources)
        defer { reopened.close() }
        #expect(try reopened.all() == [KeyValueBytes(key: [1], value: [11]), KeyValueBytes(key: [3], value: [30])])
    }
}
