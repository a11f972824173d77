import TributaryCore
import TributaryQuery
import TributaryRocksDB

extension StoreRegistry {
    /// Registers every RocksDB store of `task` as restoring. Other stores (none in the runtime) are not
    /// queryable and stay unregistered.
    func register(_ task: StreamTask, topology: Topology) {
        for (name, spec, store) in Self.stores(of: task, topology: topology) {
            let reader: RocksDBCommittedReader? = switch store {
            case let store as RocksDBKeyValueBytesStore: store.committedReader()
            case let store as RocksDBWindowStore: store.committedReader()
            case let store as RocksDBSessionStore: store.committedReader()
            default: nil
            }
            guard let reader else { continue }
            register(reader, name: name, partition: task.id.partition, type: QueryStoreType(spec.kind), state: .restoring)
        }
    }

    /// Marks the stores of `task` running (restored).
    func markRunning(_ task: StreamTask, topology: Topology) {
        for (name, _, _) in Self.stores(of: task, topology: topology) {
            setState(.running, name: name, partition: task.id.partition)
        }
    }

    /// Deregisters the stores of `task`, waiting for reads in progress; call before closing the task.
    func deregister(_ task: StreamTask, topology: Topology) {
        for (name, _, _) in Self.stores(of: task, topology: topology) { deregister(name, partition: task.id.partition) }
    }

    private static func stores(of task: StreamTask, topology: Topology) -> [(String, StoreSpec, StateStore)] {
        topology.subtopologies[task.id.subtopology].storeNames.compactMap { name in
            guard let spec = topology.stores[name], let store = task.innerStore(name) else { return nil }
            return (name, spec, store)
        }
    }
}
