/// An unbounded stream of records, the main abstraction of the DSL.
///
/// Every operator returns a new stream and adds one node to the topology; nothing runs until the topology is
/// started by a `StreamsApp` or driven by a `TopologyTestDriver`. Closures run on stream threads, one task at a
/// time, so they must be `@Sendable`; a thrown error goes to the processing error policy with the input record.
public struct KStream<Key, Value> {
    let builder: StreamsBuilder
    /// The name of the node that produces this stream.
    public let nodeName: String

    init(builder: StreamsBuilder, nodeName: String) {
        self.builder = builder
        self.nodeName = nodeName
    }

    private func stateless<KeyOut, ValueOut>(
        _ named: String?, _ prefix: String, changesKey: Bool = false,
        _ body: @escaping @Sendable (Record<Key, Value>, ProcessorContext<KeyOut, ValueOut>) throws -> Void
    ) -> KStream<KeyOut, ValueOut> {
        let name = builder.addProcessor(named: named, prefix: prefix, parents: [nodeName]) {
            ClosureProcessor<Key, Value, KeyOut, ValueOut>(body)
        }
        if changesKey { builder.keyChangingNodes.insert(name) }
        return KStream<KeyOut, ValueOut>(builder: builder, nodeName: name)
    }

    /// Keeps the records for which `predicate` is true.
    public func filter(named: String? = nil, _ predicate: @escaping @Sendable (Key, Value) throws -> Bool) -> KStream {
        stateless(named, "KSTREAM-FILTER") { record, context in
            if try predicate(record.key, record.value) { try context.forward(record) }
        }
    }

    /// Drops the records for which `predicate` is true.
    public func filterNot(named: String? = nil, _ predicate: @escaping @Sendable (Key, Value) throws -> Bool) -> KStream {
        stateless(named, "KSTREAM-FILTER") { record, context in
            if try !predicate(record.key, record.value) { try context.forward(record) }
        }
    }

    /// Replaces each record's key and value. The key may change, so downstream grouping will repartition.
    public func map<KeyOut, ValueOut>(
        named: String? = nil, _ transform: @escaping @Sendable (Key, Value) throws -> (KeyOut, ValueOut)
    ) -> KStream<KeyOut, ValueOut> {
        stateless(named, "KSTREAM-MAP", changesKey: true) { record, context in
            let (key, value) = try transform(record.key, record.value)
            try context.forward(Record(key: key, value: value, timestamp: record.timestamp, headers: record.headers))
        }
    }

    /// Replaces each record's value, keeping its key.
    public func mapValues<ValueOut>(
        named: String? = nil, _ transform: @escaping @Sendable (Value) throws -> ValueOut
    ) -> KStream<Key, ValueOut> {
        stateless(named, "KSTREAM-MAPVALUES") { record, context in
            try context.forward(record.withValue(try transform(record.value)))
        }
    }

    /// Replaces each record by zero or more records with new keys and values.
    public func flatMap<KeyOut, ValueOut>(
        named: String? = nil, _ transform: @escaping @Sendable (Key, Value) throws -> [(KeyOut, ValueOut)]
    ) -> KStream<KeyOut, ValueOut> {
        stateless(named, "KSTREAM-FLATMAP", changesKey: true) { record, context in
            for (key, value) in try transform(record.key, record.value) {
                try context.forward(Record(key: key, value: value, timestamp: record.timestamp, headers: record.headers))
            }
        }
    }

    /// Replaces each record by zero or more records with the same key and new values.
    public func flatMapValues<ValueOut>(
        named: String? = nil, _ transform: @escaping @Sendable (Value) throws -> [ValueOut]
    ) -> KStream<Key, ValueOut> {
        stateless(named, "KSTREAM-FLATMAPVALUES") { record, context in
            for value in try transform(record.value) { try context.forward(record.withValue(value)) }
        }
    }

    /// Sets a new key computed from each record, keeping the value.
    public func selectKey<KeyOut>(
        named: String? = nil, _ keyFor: @escaping @Sendable (Key, Value) throws -> KeyOut
    ) -> KStream<KeyOut, Value> {
        stateless(named, "KSTREAM-KEY-SELECT", changesKey: true) { record, context in
            try context.forward(record.withKey(try keyFor(record.key, record.value)))
        }
    }

    /// Calls `action` for each record and passes the record on unchanged.
    public func peek(named: String? = nil, _ action: @escaping @Sendable (Key, Value) throws -> Void) -> KStream {
        stateless(named, "KSTREAM-PEEK") { record, context in
            try action(record.key, record.value)
            try context.forward(record)
        }
    }

    /// Calls `action` for each record; the stream ends here.
    public func foreach(named: String? = nil, _ action: @escaping @Sendable (Key, Value) throws -> Void) {
        let _: KStream<Key, Value> = stateless(named, "KSTREAM-FOREACH") { record, _ in
            try action(record.key, record.value)
        }
    }

    /// One stream of the records of this stream and `other`. Within a task, records of both are taken in
    /// timestamp order; both must read co-partitioned topics.
    public func merge(_ other: KStream, named: String? = nil) -> KStream {
        let name = builder.addProcessor(named: named, prefix: "KSTREAM-MERGE", parents: [nodeName, other.nodeName]) {
            ClosureProcessor<Key, Value, Key, Value> { record, context in try context.forward(record) }
        }
        return KStream(builder: builder, nodeName: name)
    }

    /// Starts splitting this stream into branches by predicates; see ``BranchedKStream``.
    ///
    /// - Parameter named: the split node's name, also the prefix of the branch names (`"split-"` gives
    ///   `"split-en"` for a branch named `"en"`). Defaults to `KSTREAM-BRANCH-<index>-`.
    public func split(named: String? = nil) -> BranchedKStream<Key, Value> {
        BranchedKStream(parent: self, named: named)
    }

    /// Runs a ``Processor`` for each record; the processor forwards what it wants downstream.
    ///
    /// - Parameter stores: names of stores declared with ``StreamsBuilder/addStateStore(_:)`` that the processor
    ///   uses through its context.
    public func process<P: Processor>(
        named: String? = nil, stores: [String] = [], _ supplier: @escaping @Sendable () -> P
    ) -> KStream<P.KeyOut, P.ValueOut> where P.KeyIn == Key, P.ValueIn == Value {
        let name = builder.addProcessor(
            named: named, prefix: "KSTREAM-PROCESSOR", parents: [nodeName], stores: stores, supplier)
        builder.keyChangingNodes.insert(name)  // a processor may forward any key
        return KStream<P.KeyOut, P.ValueOut>(builder: builder, nodeName: name)
    }

    /// Writes the stream to `topic` with the given serdes. The key decides the partition (murmur2, as the Java
    /// client does), so records with one key keep their order.
    public func to(_ topic: String, key: Serde<Key>, value: Serde<Value>, named: String? = nil) {
        let name = builder.nodeName(named, "KSTREAM-SINK")
        builder.add(NodeDefinition(name: name, kind: .sink(topic: topic), parents: [nodeName]) { task, _ in
            NodeDefinition.Instance(
                input: SinkNode(name: name, topic: topic, keySerde: key, valueSerde: value, task: task),
                source: nil, lifecycle: nil)
        })
    }
}
