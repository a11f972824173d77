/// A grouped stream cut into ``SessionWindows``, ready for aggregation. Made by
/// `KGroupedStream.windowedBy(_:lateRecords:)`.
///
/// Each aggregation keeps one value per (key, session) in a changelogged session store named by
/// `materializedAs` (retention: gap + grace) and returns a table keyed by ``Windowed``. When a record merges
/// sessions, the table emits `nil` for each merged-away session, then the merged session's value.
public struct SessionWindowedKStream<Key, Value> {
    let grouped: KGroupedStream<Key, Value>
    let windows: SessionWindows
    let lateRecords: LateRecordPolicy

    /// Counts records per key and session; merged sessions add their counts.
    @discardableResult
    public func count(named: String? = nil, materializedAs store: String) -> KTable<Windowed<Key>, Int64> {
        aggregation(
            named: named, prefix: "KSTREAM-COUNT", store: store, aggregateSerde: .int64, initializer: { 0 },
            aggregator: { _, _, count in (count ?? 0) + 1 }, merger: { _, left, right in (left ?? 0) + right })
    }

    /// Combines the values of each session with `reducer(aggregate, new)`; merged sessions are combined with
    /// `reducer` too, older session first.
    @discardableResult
    public func reduce(
        named: String? = nil, materializedAs store: String, _ reducer: @escaping @Sendable (Value, Value) throws -> Value
    ) -> KTable<Windowed<Key>, Value> {
        aggregation(
            named: named, prefix: "KSTREAM-REDUCE", store: store, aggregateSerde: grouped.valueSerde,
            initializer: { nil }, aggregator: { _, value, current in try current.map { try reducer($0, value) } ?? value },
            merger: { _, left, right in try left.map { try reducer($0, right) } ?? right })
    }

    /// Folds the values of each session into an aggregate starting from `initializer()`; when a record bridges
    /// sessions, their aggregates are combined with `merger(key, aggregate, sessionAggregate)` (starting from
    /// `initializer()`, sessions by end ascending) before the record is folded in.
    @discardableResult
    public func aggregate<Aggregate>(
        named: String? = nil, materializedAs store: String, aggregate aggregateSerde: Serde<Aggregate>,
        initializer: @escaping @Sendable () -> Aggregate,
        _ aggregator: @escaping @Sendable (Key, Value, Aggregate) throws -> Aggregate,
        merger: @escaping @Sendable (Key, Aggregate, Aggregate) throws -> Aggregate
    ) -> KTable<Windowed<Key>, Aggregate> {
        aggregation(
            named: named, prefix: "KSTREAM-AGGREGATE", store: store, aggregateSerde: aggregateSerde,
            initializer: { initializer() },
            aggregator: { key, value, current in try aggregator(key, value, current ?? initializer()) },
            merger: { key, left, right in try merger(key, left ?? initializer(), right) })
    }

    private func aggregation<Aggregate>(
        named: String?, prefix: String, store: String, aggregateSerde: Serde<Aggregate>,
        initializer: @escaping @Sendable () -> Aggregate?,
        aggregator: @escaping @Sendable (Key, Value, Aggregate?) throws -> Aggregate,
        merger: @escaping @Sendable (Key, Aggregate?, Aggregate) throws -> Aggregate
    ) -> KTable<Windowed<Key>, Aggregate> {
        let builder = grouped.stream.builder
        let name = builder.nodeName(named, prefix)
        let keySerde = grouped.keySerde
        let windows = self.windows
        let late = LateRecordHandler(policy: lateRecords, node: name, graceMs: windows.graceMs)
        builder.addStateStore(StoreSpec(
            name: store, kind: .session(retentionMs: windows.retentionMs), keyFormat: keySerde.format,
            valueFormat: aggregateSerde.format))
        let definition = NodeDefinition(
            name: name, kind: .processor, parents: [grouped.stream.nodeName],
            instantiate: ProcessorNode.factory(name: name) {
                SessionWindowAggregateProcessor<Key, Value, Aggregate>(
                    store: store, windows: windows, keySerde: keySerde, aggregateSerde: aggregateSerde, late: late,
                    initializer: initializer, aggregator: aggregator, merger: merger)
            })
        definition.stores = [store]
        builder.add(definition)
        builder.noteAggregation(name, input: grouped.stream.nodeName)
        var table = KTable(
            builder: builder, nodeName: name, storeName: store, keySerde: Serde<Windowed<Key>>.sessionWindowed(keySerde),
            valueSerde: aggregateSerde)
        table.windowGraceMs = windows.graceMs
        table.windowEnd = { $0.window.end }
        table.storeHoldsValues = false
        return table
    }
}
