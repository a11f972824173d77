extension KStream {
    /// Stream-table inner join: each record of this stream whose key is in `table` produces
    /// `joiner(value, tableValue)` with the record's timestamp; records whose key is absent produce nothing.
    ///
    /// The table is looked up when the record is processed (see the README's "Joins" section: tasks take records
    /// in timestamp order, so this is the table as of the record's time; there is no versioned store, so a table
    /// update that arrives after a later stream record is not applied retroactively). Table updates produce no
    /// output. The stream and the table's topic must be co-partitioned; the join puts them in one sub-topology.
    /// The table must be materialized as a key-value store of its values (a table from
    /// ``StreamsBuilder/table(_:key:value:materializedAs:named:)``, an aggregation, a filtered or mapped table).
    public func join<TableValue, Result>(
        _ table: KTable<Key, TableValue>, named: String? = nil,
        _ joiner: @escaping @Sendable (Value, TableValue) throws -> Result
    ) -> KStream<Key, Result> {
        tableJoin(table, named: named) { value, tableValue in try tableValue.map { try joiner(value, $0) } }
    }

    /// Stream-table left join: like the inner `join(_:named:_:)` with a table, but a record whose key is absent
    /// from the table produces `joiner(value, nil)`.
    public func leftJoin<TableValue, Result>(
        _ table: KTable<Key, TableValue>, named: String? = nil,
        _ joiner: @escaping @Sendable (Value, TableValue?) throws -> Result
    ) -> KStream<Key, Result> {
        tableJoin(table, named: named) { value, tableValue in try joiner(value, tableValue) }
    }

    private func tableJoin<TableValue, Result>(
        _ table: KTable<Key, TableValue>, named: String?,
        _ combine: @escaping @Sendable (Value, TableValue?) throws -> Result?
    ) -> KStream<Key, Result> {
        precondition(
            table.storeHoldsValues,
            "a stream-table join needs a table materialized as a key-value store of its values, not a windowed or suppressed table")
        let tableSerde = table.valueSerde
        let tableKeySerde = table.keySerde
        let storeName = table.storeName
        let name = builder.addProcessor(
            named: named, prefix: "KSTREAM-JOIN", parents: [nodeName], stores: [storeName]
        ) {
            StreamTableJoinProcessor<Key, Value, Key, Result>(
                lookup: .task(storeName), lookupKeySerde: tableKeySerde, keySelector: { key, _ in key },
                join: { _, value, bytes in try combine(value, try bytes.map { try tableSerde.deserializeOptional($0) }) })
        }
        // The table's nodes (and so its source topic and store) must be in the stream's sub-topology.
        builder.coLocate(name, with: table.nodeName)
        builder.noteAggregation(name, input: nodeName)
        return KStream<Key, Result>(builder: builder, nodeName: name)
    }

    /// Stream-global-table inner join: each record looks up `keySelector(key, value)` in `table`, which holds every
    /// partition of its topic in every task, and produces `joiner(value, tableValue)` with the record's key and
    /// timestamp when the key is present. No co-partitioning is needed.
    ///
    /// The global store is updated independently of the stream's tasks (see ``GlobalKTable``): a lookup sees the
    /// table as the global updater last left it, not as of the record's time.
    public func join<TableKey, TableValue, Result>(
        _ table: GlobalKTable<TableKey, TableValue>, named: String? = nil,
        keySelector: @escaping @Sendable (Key, Value) throws -> TableKey,
        _ joiner: @escaping @Sendable (Value, TableValue) throws -> Result
    ) -> KStream<Key, Result> {
        globalJoin(table, named: named, keySelector: keySelector) { value, tableValue in
            try tableValue.map { try joiner(value, $0) }
        }
    }

    /// Stream-global-table left join: like ``join(_:named:keySelector:_:)``, but a record whose looked-up key is
    /// absent produces `joiner(value, nil)`.
    public func leftJoin<TableKey, TableValue, Result>(
        _ table: GlobalKTable<TableKey, TableValue>, named: String? = nil,
        keySelector: @escaping @Sendable (Key, Value) throws -> TableKey,
        _ joiner: @escaping @Sendable (Value, TableValue?) throws -> Result
    ) -> KStream<Key, Result> {
        globalJoin(table, named: named, keySelector: keySelector) { value, tableValue in try joiner(value, tableValue) }
    }

    private func globalJoin<TableKey, TableValue, Result>(
        _ table: GlobalKTable<TableKey, TableValue>, named: String?,
        keySelector: @escaping @Sendable (Key, Value) throws -> TableKey,
        _ combine: @escaping @Sendable (Value, TableValue?) throws -> Result?
    ) -> KStream<Key, Result> {
        let tableSerde = table.valueSerde
        let tableKeySerde = table.keySerde
        let storeName = table.storeName
        let name = builder.addProcessor(named: named, prefix: "KSTREAM-JOIN", parents: [nodeName]) {
            StreamTableJoinProcessor<Key, Value, TableKey, Result>(
                lookup: .global(storeName), lookupKeySerde: tableKeySerde, keySelector: keySelector,
                join: { _, value, bytes in try combine(value, try bytes.map { try tableSerde.deserializeOptional($0) }) })
        }
        return KStream<Key, Result>(builder: builder, nodeName: name)
    }
}
