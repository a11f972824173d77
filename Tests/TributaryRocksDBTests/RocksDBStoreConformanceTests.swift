import Testing
import TributaryCore
import TributaryTesting
@testable import TributaryRocksDB

/// Small caches so many stores in one test process stay cheap.
private let conformanceResources = RocksDBResources(
    options: RocksDBOptions(blockCacheBytes: 4 << 20, writeBufferBytes: 1 << 20))

/// Hands out fresh store paths inside one temporary directory, which `withStoreDirectory` removes.
private final class StorePaths {
    /// The directory holding every store of one check.
    let directory: TemporaryDirectory
    /// Stores made so far.
    private var made = 0

    init(_ directory: TemporaryDirectory) { self.directory = directory }

    /// A path no store of this check used yet.
    func next() -> String {
        made += 1
        return directory.child("store-\(made)")
    }
}

/// Runs `body` with a path maker inside a fresh temporary directory, removed afterwards.
private func withStoreDirectory(_ body: (StorePaths) throws -> Void) throws {
    let directory = try TemporaryDirectory()
    defer { directory.remove() }
    try body(StorePaths(directory))
}

/// The shared conformance checks against the RocksDB stores with three write-buffer sizes: 1 (every write
/// goes to RocksDB at once), 7 (data split between RocksDB and the buffer, often for the same keys, so
/// merged reads and buffered deletions of stored keys are covered) and 10,000 (everything buffered).
@Suite struct RocksDBStoreConformanceTests {
    @Test(arguments: KeyValueStoreConformance.checks, [1, 7, 10_000])
    func keyValueStorePasses(_ check: StoreConformanceCheck<KeyValueStoreFactory>, maxBufferedWrites: Int) throws {
        try withStoreDirectory { paths in
            try check.run {
                try RocksDBKeyValueBytesStore(
                    name: "kv", path: paths.next(), resources: conformanceResources, maxBufferedWrites: maxBufferedWrites)
            }
        }
    }

    @Test(arguments: WindowStoreConformance.checks, [1, 7, 10_000])
    func windowStorePasses(_ check: StoreConformanceCheck<WindowStoreFactory>, maxBufferedWrites: Int) throws {
        try withStoreDirectory { paths in
            try check.run {
                try RocksDBWindowStore(
                    name: "windows", path: paths.next(), retentionMs: $0, resources: conformanceResources,
                    maxBufferedWrites: maxBufferedWrites)
            }
        }
    }

    @Test(arguments: SessionStoreConformance.checks, [1, 7, 10_000])
    func sessionStorePasses(_ check: StoreConformanceCheck<SessionStoreFactory>, maxBufferedWrites: Int) throws {
        try withStoreDirectory { paths in
            try check.run {
                try RocksDBSessionStore(
                    name: "sessions", path: paths.next(), retentionMs: $0, resources: conformanceResources,
                    maxBufferedWrites: maxBufferedWrites)
            }
        }
    }
}
