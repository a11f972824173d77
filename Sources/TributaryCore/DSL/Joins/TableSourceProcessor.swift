/// Materializes a table from its topic: a record with a value sets the key, a tombstone (null value) deletes it.
///
/// Invariant: the store holds the latest value per key of the records processed; changes are forwarded as the
/// table's change stream, and a tombstone for a key the store does not hold forwards nothing.
final class TableSourceProcessor<Key, Value>: Processor {
    typealias KeyIn = Key
    typealias ValueIn = Value?
    typealias KeyOut = Key
    typealias ValueOut = Value?

    private let storeName: String
    private let keySerde: Serde<Key>
    private let valueSerde: Serde<Value>
    private var store: KeyValueStore<Key, Value>!
    private var context: ProcessorContext<Key, Value?>!

    init(store: String, keySerde: Serde<Key>, valueSerde: Serde<Value>) {
        self.storeName = store
        self.keySerde = keySerde
        self.valueSerde = valueSerde
    }

    func initialize(context: ProcessorContext<Key, Value?>) throws {
        self.context = context
        store = try context.keyValueStore(storeName, key: keySerde, value: valueSerde)
    }

    func process(_ record: Record<Key, Value?>) throws {
        if let value = record.value {
            try store.put(record.key, value)
        } else {
            guard try store.get(record.key) != nil else { return }
            try store.delete(record.key)
        }
        try context.forward(record)
    }
}
