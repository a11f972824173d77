extension KStream {
    /// Writes the stream to the internal topic `<application id>-<name>-repartition` and reads it back, so that
    /// records are partitioned by their current key: after a key change, before `groupByKey` or a join.
    ///
    /// The topic is created when the app starts, with as many partitions as the sub-topology writing it has tasks.
    /// Its records keep their timestamps, so event time is unchanged. Downstream of the repartition topic a new
    /// sub-topology starts; its tasks take records in timestamp order like any source.
    ///
    /// - Parameters:
    ///   - name: names the topic and its sink and source nodes (`<name>-repartition-sink`/`-source`); keep it
    ///     stable, since a renamed topic starts empty.
    ///   - key: serializes keys into the topic and back.
    ///   - value: serializes values into the topic and back.
    public func repartition(named name: String, key: Serde<Key>, value: Serde<Value>) -> KStream<Key, Value> {
        let topic = "\(name)-repartition"
        builder.addInternalTopic(topic)
        let sinkName = builder.nodeName("\(name)-repartition-sink", "KSTREAM-SINK")
        builder.add(NodeDefinition(name: sinkName, kind: .sink(topic: topic), parents: [nodeName]) { task, _ in
            let realTopic = "\(task.applicationID)-\(topic)"
            return NodeDefinition.Instance(
                input: SinkNode(name: sinkName, topic: realTopic, keySerde: key, valueSerde: value, task: task),
                source: nil, lifecycle: nil)
        })
        let sourceName = builder.nodeName("\(name)-repartition-source", "KSTREAM-SOURCE")
        builder.add(NodeDefinition(name: sourceName, kind: .source(topics: [topic]), parents: []) { task, children in
            let source = SourceNode(
                name: sourceName, topics: ["\(task.applicationID)-\(topic)"], keySerde: key, valueSerde: value,
                extractor: TimestampExtractor<Key, Value>.recordTimestamp)
            source.children = NodeDefinition.Instance.inputs(children, as: (Key, Value).self)
            return NodeDefinition.Instance(input: nil, source: source, lifecycle: nil)
        })
        return KStream(builder: builder, nodeName: sourceName)
    }

    /// Groups the stream by a key computed from each record, through the repartition topic
    /// `<application id>-<name>-repartition`, so every record of one new key reaches the same task.
    ///
    /// ```swift
    /// lines.flatMapValues { $0.split(separator: " ").map(String.init) }
    ///     .groupBy(named: "words", key: .string, value: .string) { _, word in word.lowercased() }
    ///     .count(materializedAs: "word-totals")
    /// ```
    public func groupBy<NewKey>(
        named name: String, key: Serde<NewKey>, value: Serde<Value>,
        _ selector: @escaping @Sendable (Key, Value) throws -> NewKey
    ) -> KGroupedStream<NewKey, Value> {
        selectKey(named: "\(name)-key-select", selector)
            .repartition(named: name, key: key, value: value)
            .groupByKey(key: key, value: value)
    }
}
