extension KStream {
    /// Inner windowed join: for each pair of records of this stream and `other` with the same key whose times
    /// are within `windows` (see ``JoinWindows``), emits `joiner(left, right)` with the later of the two timestamps.
    ///
    /// Both streams must be keyed by the join key and co-partitioned (same partition count; use
    /// ``repartition(named:key:value:)`` after a key change); both end up in one sub-topology, whose tasks take
    /// their records in timestamp order. Records are kept in two changelogged window stores,
    /// `<named>-left-store` and `<named>-right-store` (changelogs `<application id>-<named>-left-store-changelog`
    /// and `-right-store-changelog`), for `before + after + grace`. Late records are dropped and counted
    /// (`lateRecords` decides whether they are also dead-lettered).
    ///
    /// - Parameters:
    ///   - named: names the join's nodes (`<named>-left`, `<named>-right`, `<named>`) and stores; keep it stable,
    ///     since a renamed store starts empty.
    ///   - key: serializes keys into the stores. `value` and `otherValue` serialize each side's values.
    public func join<OtherValue, Result>(
        _ other: KStream<Key, OtherValue>, windows: JoinWindows, named: String, key: Serde<Key>, value: Serde<Value>,
        otherValue: Serde<OtherValue>, lateRecords: LateRecordPolicy = .drop,
        _ joiner: @escaping @Sendable (Value, OtherValue) throws -> Result
    ) -> KStream<Key, Result> {
        windowedJoin(
            other, windows: windows, named: named, key: key, value: value, otherValue: otherValue,
            lateRecords: lateRecords, emitUnmatchedLeft: false, emitUnmatchedRight: false
        ) { left, right in
            guard let left, let right else { preconditionFailure("an inner join joins two present values") }
            return try joiner(left, right)
        }
    }

    /// Left windowed join: like ``join(_:windows:named:key:value:otherValue:lateRecords:_:)``, and a record of this
    /// stream that joined nothing produces `joiner(left, nil)` once its window closes (stream time passes
    /// `t + after + grace`), never earlier, so there is no null result for a record that later finds a match.
    /// Unmatched records wait in the changelogged store `<named>-outer-store`.
    public func leftJoin<OtherValue, Result>(
        _ other: KStream<Key, OtherValue>, windows: JoinWindows, named: String, key: Serde<Key>, value: Serde<Value>,
        otherValue: Serde<OtherValue>, lateRecords: LateRecordPolicy = .drop,
        _ joiner: @escaping @Sendable (Value, OtherValue?) throws -> Result
    ) -> KStream<Key, Result> {
        windowedJoin(
            other, windows: windows, named: named, key: key, value: value, otherValue: otherValue,
            lateRecords: lateRecords, emitUnmatchedLeft: true, emitUnmatchedRight: false
        ) { left, right in
            guard let left else { preconditionFailure("a left join result always has a left value") }
            return try joiner(left, right)
        }
    }

    /// Outer windowed join: like ``leftJoin(_:windows:named:key:value:otherValue:lateRecords:_:)`` for both sides;
    /// an unmatched record of `other` at `t` produces `joiner(nil, right)` once stream time passes
    /// `t + before + grace`.
    public func outerJoin<OtherValue, Result>(
        _ other: KStream<Key, OtherValue>, windows: JoinWindows, named: String, key: Serde<Key>, value: Serde<Value>,
        otherValue: Serde<OtherValue>, lateRecords: LateRecordPolicy = .drop,
        _ joiner: @escaping @Sendable (Value?, OtherValue?) throws -> Result
    ) -> KStream<Key, Result> {
        windowedJoin(
            other, windows: windows, named: named, key: key, value: value, otherValue: otherValue,
            lateRecords: lateRecords, emitUnmatchedLeft: true, emitUnmatchedRight: true, joiner)
    }

    private func windowedJoin<OtherValue, Result>(
        _ other: KStream<Key, OtherValue>, windows: JoinWindows, named: String, key keySerde: Serde<Key>,
        value valueSerde: Serde<Value>, otherValue otherSerde: Serde<OtherValue>, lateRecords: LateRecordPolicy,
        emitUnmatchedLeft: Bool, emitUnmatchedRight: Bool,
        _ joiner: @escaping @Sendable (Value?, OtherValue?) throws -> Result
    ) -> KStream<Key, Result> {
        let outer = emitUnmatchedLeft || emitUnmatchedRight
        let config = StreamStreamJoinConfig(
            windows: windows, leftStore: "\(named)-left-store", rightStore: "\(named)-right-store",
            outerStore: outer ? "\(named)-outer-store" : nil, emitUnmatchedLeft: emitUnmatchedLeft,
            emitUnmatchedRight: emitUnmatchedRight, node: named, lateRecords: lateRecords)
        builder.addStateStore(StoreSpec(name: config.leftStore, kind: .window(retentionMs: windows.retentionMs)))
        builder.addStateStore(StoreSpec(name: config.rightStore, kind: .window(retentionMs: windows.retentionMs)))
        var stores = [config.leftStore, config.rightStore]
        if let outerStore = config.outerStore {
            builder.addStateStore(StoreSpec(name: outerStore, kind: .keyValue))
            stores.append(outerStore)
        }
        let unmatched: @Sendable (Key, JoinSide, [UInt8]?) throws -> Result = { _, side, bytes in
            switch side {
            case .left: try joiner(try valueSerde.deserializeOptional(bytes), nil)
            case .right: try joiner(nil, try otherSerde.deserializeOptional(bytes))
            }
        }
        let leftName = builder.addProcessor(
            named: "\(named)-left", prefix: "KSTREAM-JOINTHIS", parents: [nodeName], stores: stores
        ) {
            StreamStreamJoinProcessor<Key, Value, Result>(
                side: .left, config: config, keySerde: keySerde, valueSerde: valueSerde,
                join: { _, left, rightBytes in try joiner(left, try otherSerde.deserializeOptional(rightBytes)) },
                unmatched: unmatched)
        }
        let rightName = builder.addProcessor(
            named: "\(named)-right", prefix: "KSTREAM-JOINOTHER", parents: [other.nodeName], stores: stores
        ) {
            StreamStreamJoinProcessor<Key, OtherValue, Result>(
                side: .right, config: config, keySerde: keySerde, valueSerde: otherSerde,
                join: { _, right, leftBytes in try joiner(try valueSerde.deserializeOptional(leftBytes), right) },
                unmatched: unmatched)
        }
        builder.noteAggregation(leftName, input: nodeName)
        builder.noteAggregation(rightName, input: other.nodeName)
        let mergeName = builder.addProcessor(named: named, prefix: "KSTREAM-MERGE", parents: [leftName, rightName]) {
            ClosureProcessor<Key, Result, Key, Result> { record, context in try context.forward(record) }
        }
        return KStream<Key, Result>(builder: builder, nodeName: mergeName)
    }
}
