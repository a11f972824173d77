import Foundation
import Synchronization
import Testing
import TributaryCore
import TributaryQuery
import TributaryRocksDB

/// Reads from other threads while the owner writes, commits, deregisters and closes.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct StoreRegistryTests {
    @Test func concurrentReadsSeeCommittedCountsOnlyGrowWhileTheOwnerWrites() throws {
        let path = NSTemporaryDirectory() + "tributary-registry-test-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try RocksDBKeyValueBytesStore(name: "counts", path: path, resources: RocksDBResources())
        let registry = StoreRegistry()
        registry.register(store.committedReader()!, name: "counts", partition: 0, type: .keyValue, state: .running)
        let stop = Atomic<Bool>(false)
        let failures = Atomic<Int>(0)
        let reads = Atomic<Int>(0)
        let readers = (0..<4).map { _ in
            Thread {
                var last: Int64 = -1
                while !stop.load(ordering: .relaxed) {
                    let lookup = try? registry.read("counts", partition: 0) { try $0.get(Array("k".utf8)) }
                    guard case .value(let bytes?) = lookup else { continue }
                    let value = bytes.reduce(Int64(0)) { ($0 << 8) | Int64($1) }
                    if value < last || bytes.count != 8 { failures.add(1, ordering: .relaxed) }
                    last = value
                    reads.add(1, ordering: .relaxed)
                }
            }
        }
        for reader in readers { reader.start() }
        for count in Int64(1)...2_000 {
            try store.put(Array("k".utf8), withUnsafeBytes(of: count.bigEndian) { Array($0) })
            if count % 10 == 0 { try store.writeCheckpoint(["c": count]) }
        }
        while reads.load(ordering: .relaxed) < 1_000 { usleep(1_000) }
        // Deregistering while reads run, then closing: no read may touch the closed store.
        registry.deregister("counts", partition: 0)
        store.close()
        usleep(50_000)
        stop.store(true, ordering: .relaxed)
        usleep(50_000)
        #expect(failures.load(ordering: .relaxed) == 0)
        guard case .absent = registry.read("counts", partition: 0, { _ in 0 }) else {
            Issue.record("a deregistered store must read as absent")
            return
        }
    }

    @Test func registrationsGroupIntoInstanceEntriesByState() throws {
        let path = NSTemporaryDirectory() + "tributary-registry-test-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try RocksDBKeyValueBytesStore(name: "s", path: path, resources: RocksDBResources())
        defer { store.close() }
        let registry = StoreRegistry()
        let reader = store.committedReader()!
        for partition in Int32(0)..<4 {
            registry.register(reader, name: "s", partition: partition, type: .keyValue, state: .restoring)
        }
        registry.setState(.running, name: "s", partition: 2)
        registry.setState(.running, name: "s", partition: 0)
        #expect(registry.anyRestoring)
        #expect(registry.storeInfos() == [
            .init(name: "s", type: .keyValue, partitions: [0, 2], state: .running),
            .init(name: "s", type: .keyValue, partitions: [1, 3], state: .restoring),
        ])
        guard case .restoring = registry.read("s", partition: 1, { _ in 0 }) else {
            Issue.record("a restoring partition must not be read")
            return
        }
    }
}
