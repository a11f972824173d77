import Foundation
import Synchronization

/// The stores of this instance that the query port may read: one entry per (store, partition), registered by
/// the stream thread that owns the store and read concurrently by the query server.
///
/// **Invariant: a store is never closed while a read is in progress.** ``read(_:partition:_:)`` counts itself
/// in under the registry lock and out when done; ``deregister(_:partition:)`` removes the entry under the same
/// lock, so no read can start afterwards, then waits until the reads in progress have ended. The owner
/// deregisters before it closes the store, so every read sees an open store.
package final class StoreRegistry: Sendable {
    /// One registered (store, partition), as `/v1/stores` and the instances topic report it.
    package struct Registration: Sendable, Equatable {
        /// The store name.
        package var name: String
        /// The partition (task partition) of the store.
        package var partition: Int32
        /// Its kind.
        package var type: QueryStoreType
        /// Whether it answers reads.
        package var state: QueryStoreState
    }

    private struct Entry {
        var registration: Registration
        let store: any QueryableStore
        let reads: ReadCount
    }

    /// Reads in progress on one entry.
    private final class ReadCount: Sendable {
        let value = Atomic<Int>(0)
    }

    private let entries = Mutex<[String: [Int32: Entry]]>([:])
    private let changes = Atomic<Int>(0)

    /// Creates an empty registry.
    package init() {}

    /// Registers partition `partition` of store `name`; replaces an earlier registration of the same pair.
    package func register(
        _ store: any QueryableStore, name: String, partition: Int32, type: QueryStoreType, state: QueryStoreState
    ) {
        let replaced = entries.withLock { entries in
            let old = entries[name]?[partition]
            entries[name, default: [:]][partition] = Entry(
                registration: Registration(name: name, partition: partition, type: type, state: state), store: store,
                reads: ReadCount())
            return old
        }
        if let replaced { waitForReads(replaced.reads) }
        changes.add(1, ordering: .relaxed)
    }

    /// Sets the state of a registered (store, partition); does nothing if it is not registered.
    package func setState(_ state: QueryStoreState, name: String, partition: Int32) {
        entries.withLock { entries in entries[name]?[partition]?.registration.state = state }
        changes.add(1, ordering: .relaxed)
    }

    /// Removes (store, partition) and returns once no read of it is in progress; the caller may then close it.
    package func deregister(_ name: String, partition: Int32) {
        let removed = entries.withLock { entries -> Entry? in
            let entry = entries[name]?.removeValue(forKey: partition)
            if entries[name]?.isEmpty == true { entries[name] = nil }
            return entry
        }
        if let removed { waitForReads(removed.reads) }
        changes.add(1, ordering: .relaxed)
    }

    private func waitForReads(_ reads: ReadCount) {
        while reads.value.load(ordering: .acquiring) > 0 { usleep(100) }
    }

    /// Every registration, sorted by store name, then partition.
    package func registrations() -> [Registration] {
        entries.withLock { entries in
            entries.keys.sorted().flatMap { name in
                entries[name]!.keys.sorted().map { entries[name]![$0]!.registration }
            }
        }
    }

    /// Incremented by every register, state change and deregister: lets announcers notice changes cheaply.
    package var changeCount: Int { changes.load(ordering: .relaxed) }

    /// What a read found.
    package enum Lookup<Result> {
        /// The partition is registered and running; `body` ran.
        case value(Result)
        /// The partition is registered but restoring; `body` did not run.
        case restoring
        /// The partition is not registered here.
        case absent
    }

    /// Runs `body` on partition `partition` of store `name` if it is registered and running. The store stays
    /// open until `body` returns.
    package func read<Result>(
        _ name: String, partition: Int32, _ body: (any QueryableStore) throws -> Result
    ) rethrows -> Lookup<Result> {
        let found = entries.withLock { entries -> Entry? in
            guard let entry = entries[name]?[partition] else { return nil }
            if entry.registration.state == .running { entry.reads.value.add(1, ordering: .acquiring) }
            return entry
        }
        guard let found else { return .absent }
        guard found.registration.state == .running else { return .restoring }
        defer { found.reads.value.subtract(1, ordering: .releasing) }
        return .value(try body(found.store))
    }
}

extension StoreRegistry {
    /// The registrations grouped as the instances topic lists them: one entry per (store, state), sorted by
    /// store name, running before restoring.
    package func storeInfos() -> [InstanceInfo.StoreInfo] {
        var grouped: [String: [QueryStoreState: (QueryStoreType, [Int])]] = [:]
        for registration in registrations() {
            grouped[registration.name, default: [:]][registration.state, default: (registration.type, [])].1
                .append(Int(registration.partition))
        }
        return grouped.keys.sorted().flatMap { name in
            [QueryStoreState.running, .restoring].compactMap { state in
                grouped[name]![state].map {
                    InstanceInfo.StoreInfo(name: name, type: $0.0, partitions: $0.1.sorted(), state: state)
                }
            }
        }
    }

    /// Whether some registered partition is restoring.
    package var anyRestoring: Bool { registrations().contains { $0.state == .restoring } }
}
