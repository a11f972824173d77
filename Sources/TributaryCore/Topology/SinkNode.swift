/// Serializes records and hands them to the task's record collector.
final class SinkNode<Key, Value>: NodeInput<Key, Value> {
    let topic: String
    let keySerde: Serde<Key>
    let valueSerde: Serde<Value>
    unowned let task: TaskContext

    init(name: String, topic: String, keySerde: Serde<Key>, valueSerde: Serde<Value>, task: TaskContext) {
        self.topic = topic
        self.keySerde = keySerde
        self.valueSerde = valueSerde
        self.task = task
        super.init(name: name)
    }

    override func process(_ record: Record<Key, Value>) throws {
        do {
            let key = try keySerde.serializeOptional(record.key)
            let value = try valueSerde.serializeOptional(record.value)
            try task.collector.send(
                topic: topic, partition: nil, key: key, value: value, timestamp: record.timestamp,
                headers: record.headers)
        } catch {
            throw NodeFailure(node: name, stage: .production, underlying: error)
        }
    }
}
