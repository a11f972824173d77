extension KTable {
    /// Inner table-table join: the table of `joiner(left, right)` for the keys present in both tables,
    /// materialized as `store` (a changelogged key-value store) with `value` as its serde.
    ///
    /// Every change of either table recomputes its key: an update emits the new joined value, and a delete
    /// (tombstone) of either side emits `nil` for a key that was joined. The result record has the timestamp of
    /// the change that caused it. Both tables must be co-partitioned; their nodes end up in one sub-topology.
    /// A table without a key-value store of its values (a windowed aggregation, a suppression) gets a copy,
    /// `<store>-left-copy` / `<store>-right-copy`, kept by the join. The result of joining two windowed tables is
    /// windowed too (its grace is the larger of the two), so it can be ``suppress(_:named:)``-ed to one final
    /// result per window.
    public func join<OtherValue, Result>(
        _ other: KTable<Key, OtherValue>, named: String? = nil, materializedAs store: String, value: Serde<Result>,
        _ joiner: @escaping @Sendable (Value, OtherValue) throws -> Result
    ) -> KTable<Key, Result> {
        tableJoin(other, named: named, store: store, resultSerde: value) { left, right in
            guard let left, let right else { return nil }
            return try joiner(left, right)
        }
    }

    /// Left table-table join: `joiner(left, right)` for every key of this table, `right` being `nil` while the
    /// other table lacks the key. See ``join(_:named:materializedAs:value:_:)``.
    public func leftJoin<OtherValue, Result>(
        _ other: KTable<Key, OtherValue>, named: String? = nil, materializedAs store: String, value: Serde<Result>,
        _ joiner: @escaping @Sendable (Value, OtherValue?) throws -> Result
    ) -> KTable<Key, Result> {
        tableJoin(other, named: named, store: store, resultSerde: value) { left, right in
            guard let left else { return nil }
            return try joiner(left, right)
        }
    }

    /// Outer table-table join: `joiner(left, right)` for every key of either table; the key is deleted from the
    /// result once both sides deleted it. See ``join(_:named:materializedAs:value:_:)``.
    public func outerJoin<OtherValue, Result>(
        _ other: KTable<Key, OtherValue>, named: String? = nil, materializedAs store: String, value: Serde<Result>,
        _ joiner: @escaping @Sendable (Value?, OtherValue?) throws -> Result
    ) -> KTable<Key, Result> {
        tableJoin(other, named: named, store: store, resultSerde: value) { left, right in
            if left == nil && right == nil { return nil }
            return try joiner(left, right)
        }
    }

    private func tableJoin<OtherValue, Result>(
        _ other: KTable<Key, OtherValue>, named: String?, store: String, resultSerde: Serde<Result>,
        _ combine: @escaping @Sendable (Value?, OtherValue?) throws -> Result?
    ) -> KTable<Key, Result> {
        let name = builder.nodeName(named, "KTABLE-MERGE")
        let leftCopy = storeHoldsValues ? nil : "\(store)-left-copy"
        let rightCopy = other.storeHoldsValues ? nil : "\(store)-right-copy"
        let leftLookup = leftCopy ?? storeName
        let rightLookup = rightCopy ?? other.storeName
        for copy in [leftCopy, rightCopy].compactMap({ $0 }) { builder.addStateStore(StoreSpec(name: copy, kind: .keyValue)) }
        builder.addStateStore(StoreSpec(name: store, kind: .keyValue))
        let stores = [leftLookup, rightLookup, store]
        let keySerde = self.keySerde
        let leftSerde = self.valueSerde
        let rightSerde = other.valueSerde
        // Joined windowed tables: entries of closed windows can never change again, so the join drops them.
        let windowEnd = self.windowEnd ?? other.windowEnd
        let graceMs = max(windowGraceMs ?? 0, other.windowGraceMs ?? 0)
        let leftExpiry = windowEnd.map { WindowedJoinExpiry(windowEnd: $0, graceMs: graceMs, expiresResults: true) }
        let rightExpiry = windowEnd.map { WindowedJoinExpiry(windowEnd: $0, graceMs: graceMs, expiresResults: false) }
        let leftName = builder.addProcessor(
            named: "\(name)-left", prefix: "KTABLE-JOINTHIS", parents: [nodeName], stores: stores
        ) {
            TableTableJoinProcessor<Key, Value, Result>(
                keySerde: keySerde, valueSerde: leftSerde, resultSerde: resultSerde, copyStore: leftCopy,
                otherStore: rightLookup, resultStore: store, expiry: leftExpiry,
                compute: { _, left, rightBytes in try combine(left, try rightBytes.map { try rightSerde.deserializeOptional($0) }) })
        }
        let rightName = builder.addProcessor(
            named: "\(name)-right", prefix: "KTABLE-JOINOTHER", parents: [other.nodeName], stores: stores
        ) {
            TableTableJoinProcessor<Key, OtherValue, Result>(
                keySerde: keySerde, valueSerde: rightSerde, resultSerde: resultSerde, copyStore: rightCopy,
                otherStore: leftLookup, resultStore: store, expiry: rightExpiry,
                compute: { _, right, leftBytes in try combine(try leftBytes.map { try leftSerde.deserializeOptional($0) }, right) })
        }
        let mergeName = builder.addProcessor(named: name, prefix: "KTABLE-MERGE", parents: [leftName, rightName]) {
            ClosureProcessor<Key, Result?, Key, Result?> { record, context in try context.forward(record) }
        }
        var table = KTable<Key, Result>(
            builder: builder, nodeName: mergeName, storeName: store, keySerde: keySerde, valueSerde: resultSerde)
        if windowGraceMs != nil || other.windowGraceMs != nil {
            table.windowGraceMs = graceMs
            table.windowEnd = windowEnd
        }
        return table
    }
}
