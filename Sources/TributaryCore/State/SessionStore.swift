/// Typed access to a task's session store, for processors: keys and aggregates go through the given serdes.
///
/// Get one in a processor's `initialize(context:)` with ``ProcessorContext/sessionStore(_:key:value:)``.
/// Writes go to the store and, if it is logged, to its changelog topic (keyed by ``SessionStoreKeyLayout``).
public final class SessionStore<Key, Value> {
    let bytes: SessionBytesStore
    let keySerde: Serde<Key>
    let valueSerde: Serde<Value>

    init(bytes: SessionBytesStore, keySerde: Serde<Key>, valueSerde: Serde<Value>) {
        self.bytes = bytes
        self.keySerde = keySerde
        self.valueSerde = valueSerde
    }

    /// The store name.
    public var name: String { bytes.name }

    /// Sets the aggregate of (`key`, `session`); `nil` removes it.
    public func put(_ key: Key, session: SessionWindow, _ value: Value?) throws {
        let encoded = try value.flatMap { try valueSerde.serializeOptional($0) }
        try bytes.put(try serializeKey(key), session: session, encoded)
    }

    /// Removes the session.
    public func remove(_ key: Key, session: SessionWindow) throws {
        try bytes.put(try serializeKey(key), session: session, nil)
    }

    /// The aggregate of one session, or `nil`.
    public func fetch(_ key: Key, session: SessionWindow) throws -> Value? {
        guard let value = try bytes.fetch(try serializeKey(key), session: session) else { return nil }
        return try valueSerde.deserializeOptional(value)
    }

    /// Sessions of `key` with `end >= earliestEnd` and `start <= latestStart`, ordered by end, then start
    /// (see ``SessionBytesStore/findSessions(_:earliestEnd:latestStart:)``).
    public func findSessions(_ key: Key, earliestEnd: Int64, latestStart: Int64) throws
        -> [(session: SessionWindow, value: Value)]
    {
        try bytes.findSessions(try serializeKey(key), earliestEnd: earliestEnd, latestStart: latestStart).map {
            ($0.session, try valueSerde.deserializeOptional($0.value))
        }
    }

    private func serializeKey(_ key: Key) throws -> [UInt8] {
        guard let bytes = try keySerde.serializeOptional(key) else { throw SerdeError.unexpectedNull }
        return bytes
    }
}
