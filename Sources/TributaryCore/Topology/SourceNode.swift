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
///
/// The per-record methods touch no generic container type: this class is compiled once for all key and value
/// types, so each `Optional<Record<Key, Value>>` or `Array<...>` a method used cost a runtime metadata lookup per
/// record (seven of them were ~7% of a stream thread). Slots are a raw buffer with an occupancy flag each, and
/// children are iterated through a buffer pointer.
final class SourceNode<Key, Value>: SourceNodeBase {
    let keySerde: Serde<Key>
    let valueSerde: Serde<Value>
    let extractor: TimestampExtractor<Key, Value>
    var children: [NodeInput<Key, Value>] = [] {
        didSet {
            releaseChildBuffer()
            childBuffer = .allocate(capacity: children.count)
            _ = childBuffer.initialize(from: children)
        }
    }
    /// A copy of `children` (holding its own references: initialized, deinitialized before it is freed).
    private var childBuffer = UnsafeMutableBufferPointer<NodeInput<Key, Value>>.allocate(capacity: 0)
    /// Invariant: `slots[i]` is initialized exactly when `occupied[i]` is true.
    private var slots = UnsafeMutablePointer<Record<Key, Value>>.allocate(capacity: 0)
    private var occupied = UnsafeMutableBufferPointer<Bool>.allocate(capacity: 0)

    init(
        name: String, topics: [String], keySerde: Serde<Key>, valueSerde: Serde<Value>,
        extractor: TimestampExtractor<Key, Value>
    ) {
        self.keySerde = keySerde
        self.valueSerde = valueSerde
        self.extractor = extractor
        super.init(name: name, topics: topics)
    }

    deinit {
        releaseSlots()
        releaseChildBuffer()
    }

    private func releaseChildBuffer() {
        childBuffer.deinitialize()
        childBuffer.deallocate()
    }

    private func releaseSlots() {
        for index in occupied.indices where occupied[index] { (slots + index).deinitialize(count: 1) }
        slots.deallocate()
        occupied.deallocate()
    }

    override func allocateSlots(_ count: Int) {
        releaseSlots()
        slots = .allocate(capacity: count)
        occupied = .allocate(capacity: count)
        occupied.initialize(repeating: false)
    }

    override func prepare(_ raw: RawRecord, slot: Int, partitionTime: Int64) throws -> Int64 {
        precondition(slot >= 0 && slot < occupied.count, "slot \(slot) out of range")
        do {
            let key = try keySerde.deserializeOptional(raw.key)
            let value = try valueSerde.deserializeOptional(raw.value)
            var record = Record(key: consume key, value: consume value, timestamp: raw.timestamp, headers: raw.headers)
            let extracted = extractor.isRecordTimestamp ? raw.timestamp : try extractor.extract(record, partitionTime)
            guard let timestamp = extracted, timestamp >= 0 else { throw InvalidTimestampError(extracted: extracted) }
            record.timestamp = timestamp
            if occupied[slot] { (slots + slot).deinitialize(count: 1) }
            (slots + slot).initialize(to: consume record)
            occupied[slot] = true
            return timestamp
        } catch {
            throw NodeFailure(node: name, stage: .deserialization, underlying: error)
        }
    }

    override func processPrepared(slot: Int) throws {
        precondition(slot >= 0 && slot < occupied.count && occupied[slot], "no prepared record in slot \(slot)")
        // Moved out of the slot, not copied: the slot is empty afterwards either way.
        occupied[slot] = false
        let record = (slots + slot).move()
        for index in 0..<childBuffer.count { try childBuffer[index].process(record) }
    }
}
