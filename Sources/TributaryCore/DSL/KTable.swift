/// A changelog stream read as a table: the latest value per key, kept in a named state store.
///
/// Its change stream carries the new value of a key after each update, or `nil` when the key was deleted
/// (for example by ``filter(named:materializedAs:_:)``). ``toStream(named:)`` exposes that stream.
public struct KTable<Key, Value> {
    let builder: StreamsBuilder
    /// The node that emits this table's changes.
    public let nodeName: String
    /// The store holding the table, queryable by that name.
    public let storeName: String
    let keySerde: Serde<Key>
    let valueSerde: Serde<Value>
    /// The grace of the windows when this is a windowed aggregation's table (or derived from one), for
    /// ``suppress(_:named:)``; `nil` otherwise.
    var windowGraceMs: Int64? = nil
    /// The end of a key's window when this is a windowed aggregation's table (or derived from one), so joins can
    /// drop entries of windows that have closed; `nil` otherwise.
    var windowEnd: (@Sendable (Key) -> Int64)? = nil
    /// Whether ``storeName`` is a key-value store of this table's current values (key -> value), so joins can
    /// look keys up in it. False for windowed aggregations (window or session stores) and suppressions (a buffer).
    var storeHoldsValues = true

    /// The table's changes as a stream: `(key, new value)`, with `nil` for a deleted key.
    public func toStream(named: String? = nil) -> KStream<Key, Value?> {
        let name = builder.addProcessor(named: named, prefix: "KTABLE-TOSTREAM", parents: [nodeName]) {
            ClosureProcessor<Key, Value?, Key, Value?> { record, context in try context.forward(record) }
        }
        return KStream(builder: builder, nodeName: name)
    }

    /// A table of the entries for which `predicate` is true, materialized as `store`. An update that no longer
    /// passes deletes the key.
    public func filter(
        named: String? = nil, materializedAs store: String, _ predicate: @escaping @Sendable (Key, Value) throws -> Bool
    ) -> KTable {
        derived(named: named, prefix: "KTABLE-FILTER", store: store, valueSerde: valueSerde) { key, value in
            try predicate(key, value) ? value : nil
        }
    }

    /// A table with every value transformed, materialized as `store` with `value` as its serde.
    public func mapValues<NewValue>(
        named: String? = nil, materializedAs store: String, value: Serde<NewValue>,
        _ transform: @escaping @Sendable (Value) throws -> NewValue
    ) -> KTable<Key, NewValue> {
        derived(named: named, prefix: "KTABLE-MAPVALUES", store: store, valueSerde: value) { _, current in
            try transform(current)
        }
    }

    private func derived<NewValue>(
        named: String?, prefix: String, store: String, valueSerde newSerde: Serde<NewValue>,
        _ derive: @escaping @Sendable (Key, Value) throws -> NewValue?
    ) -> KTable<Key, NewValue> {
        builder.addStateStore(
            StoreSpec(name: store, kind: .keyValue, keyFormat: keySerde.format, valueFormat: newSerde.format))
        let keySerde = self.keySerde
        let name = builder.addProcessor(named: named, prefix: prefix, parents: [nodeName], stores: [store]) {
            TableDerivationProcessor<Key, Value, NewValue>(store: store, keySerde: keySerde, valueSerde: newSerde, derive: derive)
        }
        var table = KTable<Key, NewValue>(
            builder: builder, nodeName: name, storeName: store, keySerde: keySerde, valueSerde: newSerde)
        table.windowGraceMs = windowGraceMs
        table.windowEnd = windowEnd
        return table
    }
}

/// Maintains a table derived entry by entry from a parent table, forwarding its own changes.
final class TableDerivationProcessor<Key, Value, NewValue>: Processor {
    private let storeName: String
    private let keySerde: Serde<Key>
    private let valueSerde: Serde<NewValue>
    private let derive: @Sendable (Key, Value) throws -> NewValue?
    private var store: KeyValueStore<Key, NewValue>!
    private var context: ProcessorContext<Key, NewValue?>!

    init(
        store: String, keySerde: Serde<Key>, valueSerde: Serde<NewValue>,
        derive: @escaping @Sendable (Key, Value) throws -> NewValue?
    ) {
        self.storeName = store
        self.keySerde = keySerde
        self.valueSerde = valueSerde
        self.derive = derive
    }

    func initialize(context: ProcessorContext<Key, NewValue?>) throws {
        self.context = context
        store = try context.keyValueStore(storeName, key: keySerde, value: valueSerde)
    }

    func process(_ record: Record<Key, Value?>) throws {
        let derived = try record.value.flatMap { try derive(record.key, $0) }
        if let derived {
            try store.put(record.key, derived)
        } else {
            // A delete of a key the derived table never held changes nothing downstream.
            guard try store.get(record.key) != nil else { return }
            try store.delete(record.key)
        }
        try context.forward(Record(key: record.key, value: derived, timestamp: record.timestamp, headers: record.headers))
    }
}
