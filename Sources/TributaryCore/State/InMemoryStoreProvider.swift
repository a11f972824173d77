/// Creates in-memory stores: the test driver's default, and the runtime's for stores that opt out of RocksDB.
package final class InMemoryStoreProvider: StateStoreProvider {
    package init() {}

    package func makeStore(_ spec: StoreSpec, taskID: TaskID) throws -> StateStore {
        switch spec.kind {
        case .keyValue: InMemoryKeyValueStore(name: spec.name)
        case .window(let retentionMs): InMemoryWindowStore(name: spec.name, retentionMs: retentionMs)
        case .session(let retentionMs): InMemorySessionStore(name: spec.name, retentionMs: retentionMs)
        }
    }
}
