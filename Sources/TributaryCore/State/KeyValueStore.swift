/// Typed access to a task's key-value store, for processors: keys and values go through the store's serdes.
///
/// Get one in a processor's `initialize(context:)` with ``ProcessorContext/keyValueStore(_:key:value:)``.
/// Writes go to the store and, if it is logged, to its changelog topic.
public final class KeyValueStore<Key, Value> {
    let bytes: KeyValueBytesStore
    let keySerde: Serde<Key>
    let valueSerde: Serde<Value>

    init(bytes: KeyValueBytesStore, keySerde: Serde<Key>, valueSerde: Serde<Value>) {
        self.bytes = bytes
        self.keySerde = keySerde
        self.valueSerde = valueSerde
    }

    /// The store name.
    public var name: String { bytes.name }

    /// The value of `key`, or `nil`.
    public func get(_ key: Key) throws -> Value? {
        guard let value = try bytes.get(try serializeKey(key)) else { return nil }
        return try valueSerde.deserializeOptional(value)
    }

    /// Sets `key` to `value`.
    public func put(_ key: Key, _ value: Value) throws {
        guard let encoded = try valueSerde.serializeOptional(value) else {
            try bytes.delete(try serializeKey(key))
            return
        }
        try bytes.put(try serializeKey(key), encoded)
    }

    /// Removes `key`.
    public func delete(_ key: Key) throws {
        try bytes.delete(try serializeKey(key))
    }

    /// Every entry, ordered by serialized key bytes.
    public func all() throws -> [(key: Key, value: Value)] {
        try bytes.all().map { (try keySerde.deserializeOptional($0.key), try valueSerde.deserializeOptional($0.value)) }
    }

    /// Entries with `from <= key < to` by serialized key bytes; `nil` bounds are open.
    public func range(from: Key?, to: Key?) throws -> [(key: Key, value: Value)] {
        try bytes.range(from: try from.map(serializeKey), to: try to.map(serializeKey), reverse: false).map {
            (try keySerde.deserializeOptional($0.key), try valueSerde.deserializeOptional($0.value))
        }
    }

    private func serializeKey(_ key: Key) throws -> [UInt8] {
        guard let bytes = try keySerde.serializeOptional(key) else { throw SerdeError.unexpectedNull }
        return bytes
    }
}
