/// Read-only typed access to a global table's store (every partition of its topic), for processors that need
/// more than a join's key lookup: a whole reference table, say, that they index their own way.
///
/// Get one in a processor's `initialize(context:)` with ``ProcessorContext/globalKeyValueStore(_:key:value:)``.
/// The store is updated independently of the task (see ``GlobalKTable``); each call sees every update that
/// completed before it, and ``changeCount`` tells a processor that caches something derived from the store when to
/// derive it again.
public struct GlobalKeyValueStore<Key, Value> {
    let store: SharedKeyValueStore
    let keySerde: Serde<Key>
    let valueSerde: Serde<Value>

    /// The store name.
    public var name: String { store.name }

    /// A number that changes whenever the store has been written to since it was last read; equal counts mean no
    /// write in between.
    public var changeCount: UInt64 { store.changeCount }

    /// The value of `key`, or `nil`.
    public func get(_ key: Key) throws -> Value? {
        guard let encodedKey = try keySerde.serializeOptional(key), let value = try store.get(encodedKey) else {
            return nil
        }
        return try valueSerde.deserializeOptional(value)
    }

    /// Every entry, ordered by serialized key bytes.
    public func all() throws -> [(key: Key, value: Value)] {
        try store.all().map { (try keySerde.deserializeOptional($0.key), try valueSerde.deserializeOptional($0.value)) }
    }
}
