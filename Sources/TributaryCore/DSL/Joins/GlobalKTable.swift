/// A table of every partition of one topic, replicated in full to every instance: for small reference data
/// (a country gazetteer) that streams look up by a key computed from their records, without co-partitioning.
///
/// Made by ``StreamsBuilder/globalTable(_:key:value:materializedAs:)``; used by
/// ``KStream/join(_:named:keySelector:_:)`` and ``KStream/leftJoin(_:named:keySelector:_:)``.
///
/// The store holds the topic's raw key and value bytes (a null value deletes the key); it has no changelog, since
/// the topic itself is its changelog. The test driver keeps one store, updated by every record piped into the
/// topic. In the runtime, `StreamsApp.start()` has `GlobalStateUpdater` read all partitions of the topic to their
/// end with a manual-assign consumer, before any stream thread starts, into a lock-protected in-memory store
/// (`SharedKeyValueStore`) that tasks read; the updater then keeps it current on its own thread.
public struct GlobalKTable<Key, Value> {
    /// The global store's name.
    public let storeName: String
    /// The topic the table reads.
    public let topic: String
    let keySerde: Serde<Key>
    let valueSerde: Serde<Value>
}
