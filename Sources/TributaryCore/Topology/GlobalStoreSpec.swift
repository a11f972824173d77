/// A global store: the full contents of one topic (all partitions), available read-only to every task.
public struct GlobalStoreSpec: Sendable, Equatable {
    /// The store name, unique among all stores of the topology.
    public var name: String
    /// The topic whose records (raw key and value bytes; a null value deletes) fill the store.
    public var topic: String

    /// Creates a spec.
    public init(name: String, topic: String) {
        self.name = name
        self.topic = topic
    }
}
