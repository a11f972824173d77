import Testing
import TributaryCore

@testable import TributaryRocksDB

/// Every store opened with one `RocksDBResources` shares one memory bound: memtables are charged to the block
/// cache through the write buffer manager.
@Suite struct RocksDBMemoryBoundTests {
    @Test func memtablesOfAllStoresStayWithinTheSharedBudgetAndAreChargedToTheCache() throws {
        let directory = try TemporaryDirectory()
        let budget = 4 << 20
        let resources = RocksDBResources(options: RocksDBOptions(blockCacheBytes: 16 << 20, writeBufferBytes: budget))
        let stores = try (0..<4).map { index in
            try RocksDBKeyValueBytesStore(
                name: "s\(index)", path: directory.path + "/s\(index)", resources: resources, maxBufferedWrites: 1_000)
        }
        defer { for store in stores { store.close() } }
        // 4 stores × 20,000 × ~1 KiB = ~80 MiB written, 20× the memtable budget.
        let value = [UInt8](repeating: 0xAB, count: 1_000)
        var peakMemtables = 0
        for round in 0..<20_000 {
            for (index, store) in stores.enumerated() {
                try store.put(Array("key-\(index)-\(round)".utf8), value)
            }
            if round % 1_000 == 999 {
                for store in stores { try store.writeCheckpoint(["c": Int64(round)]) }
                peakMemtables = max(peakMemtables, resources.memtableUsageBytes)
            }
        }
        #expect(peakMemtables > 0, "the write buffer manager saw no memtable")
        // The manager flushes once the sum passes the budget, and a memtable being flushed still counts until it
        // is written: allow one and a half memtables (2 MiB each here) of headroom per store. Seen: 12.0–12.6 MiB.
        // Unbounded, the 80 MiB written would all be in memtables.
        #expect(peakMemtables <= budget + 4 * (3 << 20), "memtables reached \(peakMemtables) bytes")
        #expect(resources.cacheUsageBytes >= resources.memtableUsageBytes, "memtables are not charged to the cache")
        #expect(try stores[3].get(Array("key-3-19999".utf8)) == value)
    }
}
