/// A grouped stream cut into ``TimeWindows`` or ``SlidingWindows``, ready for aggregation. Made by
/// `KGroupedStream.windowedBy(_:lateRecords:)`.
///
/// Each aggregation keeps one value per (key, window) in a changelogged window store named by `materializedAs`
/// (retention: window size + grace, plus 1 ms for sliding windows) and returns a table keyed by
/// ``Windowed``. Without ``KTable/suppress(_:named:)`` the table emits every update of a window (eager mode).
/// Records for windows that closed (end + grace <= stream time) are dropped as late, see ``LateRecordPolicy``.
public struct TimeWindowedKStream<Key, Value> {
    enum Definition {
        case time(TimeWindows)
        case sliding(SlidingWindows)
    }

    let grouped: KGroupedStream<Key, Value>
    let definition: Definition
    let lateRecords: LateRecordPolicy

    /// Counts records per key and window.
    @discardableResult
    public func count(named: String? = nil, materializedAs store: String) -> KTable<Windowed<Key>, Int64> {
        aggregation(named: named, prefix: "KSTREAM-COUNT", store: store, aggregateSerde: .int64) { _, _, count in
            (count ?? 0) + 1
        }
    }

    /// Combines the values of each key and window with `reducer(aggregate, new)`; the first value starts it.
    @discardableResult
    public func reduce(
        named: String? = nil, materializedAs store: String, _ reducer: @escaping @Sendable (Value, Value) throws -> Value
    ) -> KTable<Windowed<Key>, Value> {
        aggregation(named: named, prefix: "KSTREAM-REDUCE", store: store, aggregateSerde: grouped.valueSerde) {
            _, value, current in try current.map { try reducer($0, value) } ?? value
        }
    }

    /// Folds the values of each key and window into an aggregate, starting from `initializer()` per window.
    @discardableResult
    public func aggregate<Aggregate>(
        named: String? = nil, materializedAs store: String, aggregate aggregateSerde: Serde<Aggregate>,
        initializer: @escaping @Sendable () -> Aggregate,
        _ aggregator: @escaping @Sendable (Key, Value, Aggregate) throws -> Aggregate
    ) -> KTable<Windowed<Key>, Aggregate> {
        aggregation(named: named, prefix: "KSTREAM-AGGREGATE", store: store, aggregateSerde: aggregateSerde) {
            key, value, current in try aggregator(key, value, current ?? initializer())
        }
    }

    private func aggregation<Aggregate>(
        named: String?, prefix: String, store: String, aggregateSerde: Serde<Aggregate>,
        _ aggregator: @escaping @Sendable (Key, Value, Aggregate?) throws -> Aggregate
    ) -> KTable<Windowed<Key>, Aggregate> {
        let builder = grouped.stream.builder
        let name = builder.nodeName(named, prefix)
        let keySerde = grouped.keySerde
        let valueSerde = grouped.valueSerde
        let lateRecords = self.lateRecords
        let stores: [String]
        let windowSize: Int64
        let graceMs: Int64
        let instantiate: @Sendable (TaskContext, [NodeDefinition.Instance]) throws -> NodeDefinition.Instance
        switch definition {
        case .time(let windows):
            builder.addStateStore(StoreSpec(
                name: store, kind: .window(retentionMs: windows.retentionMs), keyFormat: keySerde.format,
                valueFormat: aggregateSerde.format))
            stores = [store]
            windowSize = windows.sizeMs
            graceMs = windows.graceMs
            instantiate = ProcessorNode.factory(name: name) {
                TimeWindowAggregateProcessor<Key, Value, Aggregate>(
                    store: store, windows: windows, keySerde: keySerde, aggregateSerde: aggregateSerde,
                    late: LateRecordHandler(policy: lateRecords, node: name, graceMs: windows.graceMs),
                    aggregator: aggregator)
            }
        case .sliding(let windows):
            let recordsStore = store + "-records"
            builder.addStateStore(StoreSpec(
                name: store, kind: .window(retentionMs: windows.retentionMs), keyFormat: keySerde.format,
                valueFormat: aggregateSerde.format))
            builder.addStateStore(StoreSpec(name: recordsStore, kind: .window(retentionMs: windows.retentionMs)))
            stores = [store, recordsStore]
            windowSize = windows.timeDifferenceMs
            graceMs = windows.graceMs
            instantiate = ProcessorNode.factory(name: name) {
                SlidingWindowAggregateProcessor<Key, Value, Aggregate>(
                    store: store, recordsStore: recordsStore, windows: windows, keySerde: keySerde,
                    valueSerde: valueSerde, aggregateSerde: aggregateSerde,
                    late: LateRecordHandler(policy: lateRecords, node: name, graceMs: windows.graceMs),
                    aggregator: aggregator)
            }
        }
        let definition = NodeDefinition(name: name, kind: .processor, parents: [grouped.stream.nodeName], instantiate: instantiate)
        definition.stores = stores
        builder.add(definition)
        builder.noteAggregation(name, input: grouped.stream.nodeName)
        var table = KTable(
            builder: builder, nodeName: name, storeName: store,
            keySerde: Serde<Windowed<Key>>.windowed(keySerde, windowSize: .milliseconds(windowSize)),
            valueSerde: aggregateSerde)
        table.windowGraceMs = graceMs
        table.windowEnd = { $0.window.end }
        table.storeHoldsValues = false
        return table
    }
}
