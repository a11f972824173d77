extension KTable {
    /// The table's final values only: one result per window, emitted when the window closes (see ``Suppressed``
    /// for exactly when). Updates wait in a changelogged key-value store named `<node name>-store`, keyed by
    /// window end then windowed key, so buffered windows survive a restart of the task.
    ///
    /// The table must come from a windowed aggregation (``TimeWindowedKStream`` or ``SessionWindowedKStream``),
    /// possibly through `filter` or `mapValues`; its grace decides when windows close. Merged-away sessions
    /// (`nil` updates) leave the buffer and are never emitted.
    public func suppress<Inner>(_ suppressed: Suppressed, named: String? = nil) -> KTable<Windowed<Inner>, Value>
    where Key == Windowed<Inner> {
        guard let graceMs = windowGraceMs else {
            preconditionFailure("suppress(untilWindowCloses) needs the table of a windowed aggregation")
        }
        let name = builder.nodeName(named, "KTABLE-SUPPRESS")
        let store = name + "-store"
        builder.addStateStore(StoreSpec(name: store, kind: .keyValue))
        let keySerde: Serde<Windowed<Inner>> = self.keySerde
        let valueSerde = self.valueSerde
        let definition = NodeDefinition(
            name: name, kind: .processor, parents: [nodeName],
            instantiate: ProcessorNode.factory(name: name) {
                SuppressProcessor<Inner, Value>(
                    store: store, graceMs: graceMs, wallClockCloseAfterMs: suppressed.wallClockCloseAfterMs,
                    keySerde: keySerde, valueSerde: valueSerde)
            })
        definition.stores = [store]
        builder.add(definition)
        var table = KTable<Windowed<Inner>, Value>(
            builder: builder, nodeName: name, storeName: store, keySerde: keySerde, valueSerde: valueSerde)
        table.windowGraceMs = graceMs
        table.windowEnd = { $0.window.end }
        table.storeHoldsValues = false
        return table
    }
}
