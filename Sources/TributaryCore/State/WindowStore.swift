/// Typed access to a task's window store, for processors: keys and values go through the given serdes.
///
/// Get one in a processor's `initialize(context:)` with ``ProcessorContext/windowStore(_:key:value:)``.
/// Entries are ordered by serialized key, then window start. Writes go to the store and, if it is logged, to its
/// changelog topic (keyed by ``WindowStoreKeyLayout``).
public final class WindowStore<Key, Value> {
    let bytes: WindowBytesStore
    let keySerde: Serde<Key>
    let valueSerde: Serde<Value>

    init(bytes: WindowBytesStore, keySerde: Serde<Key>, valueSerde: Serde<Value>) {
        self.bytes = bytes
        self.keySerde = keySerde
        self.valueSerde = valueSerde
    }

    /// The store name.
    public var name: String { bytes.name }

    /// Sets the value of (`key`, `windowStart`); `nil` removes it.
    public func put(_ key: Key, windowStart: Int64, _ value: Value?) throws {
        try put(serializedKey: try serializeKey(key), windowStart: windowStart, value)
    }

    /// ``put(_:windowStart:_:)`` with the key already serialized (by ``serializeKey(_:)``).
    func put(serializedKey key: [UInt8], windowStart: Int64, _ value: Value?) throws {
        let encoded = try value.flatMap { try valueSerde.serializeOptional($0) }
        try bytes.put(key, windowStart: windowStart, encoded)
    }

    /// The value of one window, or `nil`.
    public func fetch(_ key: Key, windowStart: Int64) throws -> Value? {
        try fetch(serializedKey: try serializeKey(key), windowStart: windowStart)
    }

    /// ``fetch(_:windowStart:)`` with the key already serialized (by ``serializeKey(_:)``).
    func fetch(serializedKey key: [UInt8], windowStart: Int64) throws -> Value? {
        guard let value = try bytes.fetch(key, windowStart: windowStart) else { return nil }
        return try valueSerde.deserializeOptional(value)
    }

    /// The windows of `key` with `from <= start <= to`, by start ascending.
    public func fetch(_ key: Key, from: Int64, to: Int64) throws -> [(windowStart: Int64, value: Value)] {
        try bytes.fetch(try serializeKey(key), from: from, to: to).map {
            ($0.windowStart, try valueSerde.deserializeOptional($0.value))
        }
    }

    /// Every key's windows with `from <= start <= to`, ordered by serialized key, then start.
    public func fetchAll(from: Int64, to: Int64) throws -> [(key: Key, windowStart: Int64, value: Value)] {
        try bytes.fetchAll(from: from, to: to).map {
            (try keySerde.deserializeOptional($0.key), $0.windowStart, try valueSerde.deserializeOptional($0.value))
        }
    }

    /// The key's bytes; a key that serializes to Kafka null is an error.
    func serializeKey(_ key: Key) throws -> [UInt8] {
        guard let bytes = try keySerde.serializeOptional(key) else { throw SerdeError.unexpectedNull }
        return bytes
    }
}
