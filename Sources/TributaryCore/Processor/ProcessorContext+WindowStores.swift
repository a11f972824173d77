extension ProcessorContext {
    /// Typed access to the window store `name`, which must be connected to this processor
    /// (`process(named:stores:_:)` with a store declared as ``StoreKind/window(retentionMs:)``, or the windowed
    /// aggregation that declared it).
    public func windowStore<Key, Value>(_ name: String, key: Serde<Key>, value: Serde<Value>) throws
        -> WindowStore<Key, Value>
    {
        WindowStore(bytes: try task.store(name, for: nodeName, as: WindowBytesStore.self), keySerde: key, valueSerde: value)
    }

    /// Typed access to the session store `name`, which must be connected to this processor
    /// (`process(named:stores:_:)` with a store declared as ``StoreKind/session(retentionMs:)``, or the
    /// session-windowed aggregation that declared it).
    public func sessionStore<Key, Value>(_ name: String, key: Serde<Key>, value: Serde<Value>) throws
        -> SessionStore<Key, Value>
    {
        SessionStore(
            bytes: try task.store(name, for: nodeName, as: SessionBytesStore.self), keySerde: key, valueSerde: value)
    }
}
