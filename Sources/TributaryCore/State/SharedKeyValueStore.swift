import Synchronization

/// A key-value store that one writer updates while other threads read it: the store of a global table.
///
/// Every operation takes one lock around an in-memory ``InMemoryKeyValueStore``, so each call is atomic and
/// sees every write that completed before it; a sequence of calls is not a snapshot. In the runtime the global
/// state updater is the only writer and stream tasks only call ``get(_:)``; in the test driver the driver's
/// thread does both.
package final class SharedKeyValueStore: KeyValueBytesStore, Sendable {
    package let name: String
    private let inner: Mutex<InMemoryKeyValueStore>
    private let changes = Atomic<UInt64>(0)

    /// How many writes (puts and deletes) the store has taken; grows after every write completes, so a reader that
    /// saw the same count twice saw no write in between.
    package var changeCount: UInt64 { changes.load(ordering: .acquiring) }

    package init(name: String) {
        self.name = name
        self.inner = Mutex(InMemoryKeyValueStore(name: name))
    }

    package func flush() throws {}
    package func close() {}
    package func get(_ key: [UInt8]) throws -> [UInt8]? { try inner.withLock { try $0.get(key) } }
    package func put(_ key: [UInt8], _ value: [UInt8]) throws {
        try inner.withLock { try $0.put(key, value) }
        changes.add(1, ordering: .releasing)
    }

    package func delete(_ key: [UInt8]) throws {
        try inner.withLock { try $0.delete(key) }
        changes.add(1, ordering: .releasing)
    }

    package func range(from: [UInt8]?, to: [UInt8]?, reverse: Bool) throws -> [KeyValueBytes] {
        try inner.withLock { try $0.range(from: from, to: to, reverse: reverse) }
    }

    package func prefixScan(_ prefix: [UInt8]) throws -> [KeyValueBytes] { try inner.withLock { try $0.prefixScan(prefix) } }
    package func approximateCount() throws -> Int { try inner.withLock { try $0.approximateCount() } }

    /// Applies one record of the global topic: a value sets the key, a null value (tombstone) deletes it.
    package func apply(key: [UInt8]?, value: [UInt8]?) throws {
        guard let key else { return }
        if let value { try put(key, value) } else { try delete(key) }
    }
}
