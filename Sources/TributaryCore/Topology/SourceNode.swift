/// The untyped face of a source node, used by the task to take records from its partition queues.
///
/// A source decodes a queue's head record into a typed slot when the task needs its timestamp, and forwards
/// that slot when the task picks it; so every record is deserialized exactly once, when it becomes a head.
class SourceNodeBase {
    let name: String
    let topics: [String]

    init(name: String, topics: [String]) {
        self.name = name
        self.topics = topics
    }

    /// Reserves one typed slot per partition queue of the task.
    func allocateSlots(_ count: Int) { preconditionFailure("override") }

    /// Deserializes `raw` into `slot` and returns its event time; throws a deserialization ``NodeFailure``.
    func prepare(_ raw: RawRecord, slot: Int, partitionTime: Int64) throws -> Int64 { preconditionFailure("override") }

    /// Forwards the record prepared in `slot` to the children.
    func processPrepared(slot: Int) throws { preconditionFailure("override") }
}

/// A typed source: serdes, timestamp extractor and children.
final class SourceNode<Key, Value>: SourceNodeBase {
    let keySerde: Serde<Key>
    let valueSerde: Serde<Value>
    let extractor: TimestampExtractor<Key, Value>
    var children: [NodeInput<Key, Value>] = []
    private var slots: [Record<Key, Value>?] = []

    init(
        name: String, topics: [String], keySerde: Serde<Key>, valueSerde: Serde<Value>,
        extractor: TimestampExtractor<Key, Value>
    ) {
        self.keySerde = keySerde
        self.valueSerde = valueSerde
        self.extractor = extractor
        super.init(name: name, topics: topics)
    }

    override func allocateSlots(_ count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    override func prepare(_ raw: RawRecord, slot: Int, partitionTime: Int64) throws -> Int64 {
        do {
            let key = try keySerde.deserializeOptional(raw.key)
            let value = try valueSerde.deserializeOptional(raw.value)
            var record = Record(key: consume key, value: consume value, timestamp: raw.timestamp, headers: raw.headers)
            let extracted = extractor.isRecordTimestamp ? raw.timestamp : try extractor.extract(record, partitionTime)
            guard let timestamp = extracted, timestamp >= 0 else { throw InvalidTimestampError(extracted: extracted) }
            record.timestamp = timestamp
            slots[slot] = consume record
            return timestamp
        } catch {
            throw NodeFailure(node: name, stage: .deserialization, underlying: error)
        }
    }

    override func processPrepared(slot: Int) throws {
        // Moved out of the slot, not copied: the slot is empty afterwards either way.
        guard let record = slots[slot].take() else { preconditionFailure("no prepared record in slot \(slot)") }
        for child in children { try child.process(record) }
    }
}
