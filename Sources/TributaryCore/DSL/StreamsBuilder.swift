/// Builds a ``Topology`` with the DSL: sources, operators and sinks.
///
/// ```swift
/// let builder = StreamsBuilder()
/// builder.stream("lines", key: .string, value: .string)
///     .flatMapValues { line in line.split(separator: " ").map(String.init) }
///     .filter { _, word in word.count > 3 }
///     .to("words", key: .string, value: .string)
/// let topology = try builder.build()
/// ```
///
/// **Node names.** Every operator takes an optional `named:`; without one, the node is named like Kafka
/// Streams names it: `KSTREAM-<OPERATOR>-<10-digit index>`, where the index counts every node added to this
/// builder so far, in call order. Adding an operator earlier in the program therefore renames the unnamed nodes
/// after it: name the nodes whose names must stay stable (those that will own state or topics).
public final class StreamsBuilder {
    private(set) var nodes: [NodeDefinition] = []
    private var nodesByName: [String: NodeDefinition] = [:]
    private var index = 0
    private var errors: [TopologyError] = []
    private(set) var storeSpecs: [String: StoreSpec] = [:]
    /// Nodes that may change record keys (map, flatMap, selectKey, process).
    var keyChangingNodes: Set<String> = []
    /// Aggregations whose input keys may differ from the source partitioning: correct only with one partition
    /// until repartition topics exist.
    private(set) var aggregationsNeedingRepartition: [String] = []
    /// Internal topics (repartition topics) by their name without the application id prefix.
    private(set) var internalTopics: Set<String> = []
    /// Global stores, in declaration order.
    private(set) var globalStores: [GlobalStoreSpec] = []

    /// Puts `node` in the same sub-topology as `other` without a record edge between them (a join reading
    /// another branch's store).
    func coLocate(_ node: String, with other: String) {
        nodesByName[node]?.coLocatedWith.append(other)
    }

    /// Registers an internal topic; its real name is `<application id>-<name>`.
    func addInternalTopic(_ name: String) {
        if !internalTopics.insert(name).inserted { errors.append(.topicReadTwice(name)) }
    }

    /// Records that aggregation `node` reads `input`, noting whether a key-changing node lies upstream.
    func noteAggregation(_ node: String, input: String) {
        var stack = [input]
        var seen: Set<String> = []
        while let name = stack.popLast() {
            guard seen.insert(name).inserted else { continue }
            if keyChangingNodes.contains(name) {
                aggregationsNeedingRepartition.append(node)
                return
            }
            stack += nodes.first { $0.name == name }?.parents ?? []
        }
    }

    /// Creates an empty builder.
    public init() {}

    /// A stream of the records of `topics`, decoded with the given serdes.
    ///
    /// - Parameters:
    ///   - topics: topics to read; several topics form one stream, taken in timestamp order per task.
    ///   - key: deserializes record keys.
    ///   - value: deserializes record values.
    ///   - timestampExtractor: chooses each record's event time; the Kafka record timestamp by default.
    ///   - named: the source node's name.
    public func stream<Key, Value>(
        _ topics: String..., key: Serde<Key>, value: Serde<Value>,
        timestampExtractor: TimestampExtractor<Key, Value> = .recordTimestamp, named: String? = nil
    ) -> KStream<Key, Value> {
        let name = nodeName(named, "KSTREAM-SOURCE")
        let definition = NodeDefinition(name: name, kind: .source(topics: topics), parents: []) { _, children in
            let source = SourceNode(
                name: name, topics: topics, keySerde: key, valueSerde: value, extractor: timestampExtractor)
            source.children = NodeDefinition.Instance.inputs(children, as: (Key, Value).self)
            return NodeDefinition.Instance(input: nil, source: source, lifecycle: nil)
        }
        add(definition)
        return KStream(builder: self, nodeName: name)
    }

    /// A table read from `topic`: each record sets its key to its value, a record with a null value (tombstone)
    /// deletes the key. The table is materialized as the changelogged key-value store `store` (changelog
    /// `<application id>-<store>-changelog`), and its change stream carries every update and delete.
    ///
    /// - Parameters:
    ///   - key: deserializes keys; records whose key fails to deserialize go to the deserialization error policy.
    ///   - value: deserializes non-null values and serializes them into the store.
    ///   - named: the source node's name; the materializing node is `<named>-table` (or `KTABLE-SOURCE-<index>`).
    public func table<Key, Value>(
        _ topic: String, key: Serde<Key>, value: Serde<Value>, materializedAs store: String, named: String? = nil
    ) -> KTable<Key, Value> {
        let source = stream(topic, key: key, value: Serde<Value?>.optional(value), named: named)
        addStateStore(StoreSpec(name: store, kind: .keyValue, keyFormat: key.format, valueFormat: value.format))
        let name = addProcessor(
            named: named.map { "\($0)-table" }, prefix: "KTABLE-SOURCE", parents: [source.nodeName], stores: [store]
        ) {
            TableSourceProcessor<Key, Value>(store: store, keySerde: key, valueSerde: value)
        }
        return KTable(builder: self, nodeName: name, storeName: store, keySerde: key, valueSerde: value)
    }

    /// A global table of `topic`: every task sees all of its partitions, in one store named `store` (see
    /// ``GlobalKTable``). The topic is not a source of any sub-topology and needs no co-partitioning.
    public func globalTable<Key, Value>(
        _ topic: String, key: Serde<Key>, value: Serde<Value>, materializedAs store: String
    ) -> GlobalKTable<Key, Value> {
        if storeSpecs[store] != nil || globalStores.contains(where: { $0.name == store }) {
            errors.append(.duplicateStore(store))
        }
        if globalStores.contains(where: { $0.topic == topic }) { errors.append(.topicReadTwice(topic)) }
        globalStores.append(GlobalStoreSpec(name: store, topic: topic))
        return GlobalKTable(storeName: store, topic: topic, keySerde: key, valueSerde: value)
    }

    /// Declares a state store that processors can use (connect it with `process(named:stores:_:)`).
    /// DSL aggregations declare their own stores.
    public func addStateStore(_ spec: StoreSpec) {
        if storeSpecs.updateValue(spec, forKey: spec.name) != nil { errors.append(.duplicateStore(spec.name)) }
    }

    /// The topology built so far; throws if it is not valid (duplicate names, a topic read twice, no source).
    public func build() throws -> Topology {
        if let error = errors.first { throw error }
        for node in nodes {
            for store in node.stores where storeSpecs[store] == nil { throw TopologyError.unknownStore(node: node.name, store: store) }
        }
        for global in globalStores where storeSpecs[global.name] != nil { throw TopologyError.duplicateStore(global.name) }
        return try Topology(
            nodes: nodes, stores: storeSpecs, aggregationsNeedingRepartition: aggregationsNeedingRepartition,
            internalTopics: internalTopics, globalStores: globalStores)
    }

    func nodeName(_ given: String?, _ operatorPrefix: String) -> String {
        defer { index += 1 }
        if let given { return given }
        let digits = String(index)
        return operatorPrefix + "-" + String(repeating: "0", count: max(0, 10 - digits.count)) + digits
    }

    func add(_ definition: NodeDefinition) {
        if nodesByName[definition.name] != nil {
            errors.append(.duplicateName(definition.name))
            return
        }
        for parent in definition.parents { nodesByName[parent]?.children.append(definition.name) }
        nodes.append(definition)
        nodesByName[definition.name] = definition
    }

    /// Adds a processor node with one parent and returns its name.
    func addProcessor<P: Processor>(
        named: String?, prefix: String, parents: [String], stores: [String] = [],
        _ supplier: @escaping @Sendable () -> P
    ) -> String {
        let name = nodeName(named, prefix)
        let definition = NodeDefinition(
            name: name, kind: .processor, parents: parents,
            instantiate: ProcessorNode<P>.factory(name: name, supplier: supplier))
        definition.stores = stores
        add(definition)
        return name
    }
}
