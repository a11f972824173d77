/// A stream grouped by its key, ready for aggregation. Made by ``KStream/groupByKey(key:value:)``.
///
/// Aggregations keep their state in a named, changelogged key-value store (the `materializedAs` name; its
/// changelog topic is `<application id>-<name>-changelog`), so a restarted or moved task resumes from it.
/// Records are grouped by their current key; the stream must already be partitioned by that key.
public struct KGroupedStream<Key, Value> {
    let stream: KStream<Key, Value>
    let keySerde: Serde<Key>
    let valueSerde: Serde<Value>

    /// Counts records per key. The table's change stream emits the new count after every record.
    @discardableResult
    public func count(named: String? = nil, materializedAs store: String) -> KTable<Key, Int64> {
        let name = stream.builder.nodeName(named, "KSTREAM-COUNT")
        let keySerde = self.keySerde
        return addAggregation(name: name, store: store, valueSerde: .int64) {
            AggregateProcessor<Key, Value, Int64>(
                store: store, keySerde: keySerde, aggregateSerde: .int64,
                aggregator: { _, _, count in (count ?? 0) + 1 })
        }
    }

    /// Combines the values of each key with `reducer(aggregate, new)`; the first value starts the aggregate.
    @discardableResult
    public func reduce(
        named: String? = nil, materializedAs store: String, _ reducer: @escaping @Sendable (Value, Value) throws -> Value
    ) -> KTable<Key, Value> {
        let name = stream.builder.nodeName(named, "KSTREAM-REDUCE")
        let keySerde = self.keySerde
        let valueSerde = self.valueSerde
        return addAggregation(name: name, store: store, valueSerde: valueSerde) {
            AggregateProcessor<Key, Value, Value>(
                store: store, keySerde: keySerde, aggregateSerde: valueSerde,
                aggregator: { _, value, current in try current.map { try reducer($0, value) } ?? value })
        }
    }

    /// Folds the values of each key into an aggregate of another type, starting from `initializer()`.
    @discardableResult
    public func aggregate<Aggregate>(
        named: String? = nil, materializedAs store: String, aggregate aggregateSerde: Serde<Aggregate>,
        initializer: @escaping @Sendable () -> Aggregate,
        _ aggregator: @escaping @Sendable (Key, Value, Aggregate) throws -> Aggregate
    ) -> KTable<Key, Aggregate> {
        let name = stream.builder.nodeName(named, "KSTREAM-AGGREGATE")
        let keySerde = self.keySerde
        return addAggregation(name: name, store: store, valueSerde: aggregateSerde) {
            AggregateProcessor<Key, Value, Aggregate>(
                store: store, keySerde: keySerde, aggregateSerde: aggregateSerde,
                aggregator: { key, value, current in try aggregator(key, value, current ?? initializer()) })
        }
    }

    private func addAggregation<Aggregate>(
        name: String, store: String, valueSerde: Serde<Aggregate>,
        _ supplier: @escaping @Sendable () -> AggregateProcessor<Key, Value, Aggregate>
    ) -> KTable<Key, Aggregate> {
        let builder = stream.builder
        builder.addStateStore(
            StoreSpec(name: store, kind: .keyValue, keyFormat: keySerde.format, valueFormat: valueSerde.format))
        let definition = NodeDefinition(
            name: name, kind: .processor, parents: [stream.nodeName],
            instantiate: ProcessorNode<AggregateProcessor<Key, Value, Aggregate>>.factory(name: name, supplier: supplier))
        definition.stores = [store]
        builder.add(definition)
        builder.noteAggregation(name, input: stream.nodeName)
        return KTable(builder: builder, nodeName: name, storeName: store, keySerde: keySerde, valueSerde: valueSerde)
    }
}

extension KStream {
    /// Groups the stream by its current key for ``KGroupedStream/count(named:materializedAs:)``,
    /// ``KGroupedStream/reduce(named:materializedAs:_:)`` or ``KGroupedStream/aggregate(named:materializedAs:aggregate:initializer:_:)``.
    /// The serdes encode keys and values for the aggregation's store and changelog.
    public func groupByKey(key: Serde<Key>, value: Serde<Value>) -> KGroupedStream<Key, Value> {
        KGroupedStream(stream: self, keySerde: key, valueSerde: value)
    }
}

/// Reads the current aggregate of the record's key, folds the record in, writes it back, forwards the change.
final class AggregateProcessor<Key, Value, Aggregate>: Processor {
    private let storeName: String
    private let keySerde: Serde<Key>
    private let aggregateSerde: Serde<Aggregate>
    private let aggregator: @Sendable (Key, Value, Aggregate?) throws -> Aggregate
    private var store: KeyValueStore<Key, Aggregate>!
    private var context: ProcessorContext<Key, Aggregate?>!

    init(
        store: String, keySerde: Serde<Key>, aggregateSerde: Serde<Aggregate>,
        aggregator: @escaping @Sendable (Key, Value, Aggregate?) throws -> Aggregate
    ) {
        self.storeName = store
        self.keySerde = keySerde
        self.aggregateSerde = aggregateSerde
        self.aggregator = aggregator
    }

    func initialize(context: ProcessorContext<Key, Aggregate?>) throws {
        self.context = context
        store = try context.keyValueStore(storeName, key: keySerde, value: aggregateSerde)
    }

    func process(_ record: Record<Key, Value>) throws {
        let updated = try aggregator(record.key, record.value, try store.get(record.key))
        try store.put(record.key, updated)
        try context.forward(Record(key: record.key, value: updated, timestamp: record.timestamp, headers: record.headers))
    }
}
