import Foundation
import Testing
import TributaryCore

@testable import TributaryRocksDB

/// Opening stores: shared resources, clear errors, the directory lock the store provider waits on.
@Suite struct RocksDBStoreOpeningTests {
    let resources = RocksDBResources(options: RocksDBOptions(blockCacheBytes: 4 << 20, writeBufferBytes: 2 << 20))

    @Test func twoStoresShareOneResourcesAndClosingOneLeavesTheOtherUsable() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let first = try RocksDBKeyValueBytesStore(name: "a", path: dir.child("a"), resources: resources)
        let second = try RocksDBKeyValueBytesStore(name: "b", path: dir.child("b"), resources: resources)
        try first.put([1], [1])
        try second.put([1], [2])
        try first.flush()
        try second.flush()
        first.close()
        #expect(try second.get([1]) == [2], "closing one store leaves the shared cache usable")
        second.close()
        #expect(throws: RocksDBError.self) { try second.get([1]) }
    }

    @Test func openingARegularFileThrowsAnErrorNamingThePath() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.child("not-a-directory")
        #expect(FileManager.default.createFile(atPath: file, contents: Data([1, 2, 3])))
        let error = #expect(throws: RocksDBError.self) {
            _ = try RocksDBKeyValueBytesStore(name: "kv", path: file, resources: resources)
        }
        #expect(error?.message.contains(file) == true, "message names the path: \(String(describing: error))")
    }

    /// `RocksDBStoreProvider` retries while the message says "lock", so that wording is part of the contract.
    @Test func aSecondOpenFailsWithALockErrorAndTheProviderWaitsForTheFirstToClose() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let provider = RocksDBStoreProvider(
            stateDirectory: dir.path, applicationID: "app", resources: resources, lockWait: .seconds(5))
        let spec = StoreSpec(name: "kv", kind: .keyValue)
        let task = TaskID(subtopology: 0, partition: 0)
        let first = try provider.makeStore(spec, taskID: task)
        let error = #expect(throws: RocksDBError.self) {
            _ = try RocksDBKeyValueBytesStore(name: "kv", path: provider.path(store: "kv", taskID: task), resources: resources)
        }
        #expect(error?.message.lowercased().contains("lock") == true, "\(String(describing: error))")
        nonisolated(unsafe) let holder = first
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) { holder.close() }
        let second = try provider.makeStore(spec, taskID: task)
        second.close()
    }
}
