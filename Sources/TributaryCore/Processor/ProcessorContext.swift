/// What a processor can do besides receiving records: forward records downstream, schedule punctuations,
/// and read where it is in the stream.
///
/// One context exists per processor per task. It is not thread-safe and must not escape its task.
public final class ProcessorContext<KeyOut, ValueOut> {
    let task: TaskContext
    let nodeName: String
    var children: [NodeInput<KeyOut, ValueOut>] = []
    var childrenByName: [String: NodeInput<KeyOut, ValueOut>] = [:]

    init(task: TaskContext, nodeName: String) {
        self.task = task
        self.nodeName = nodeName
    }

    /// The application id this task runs under.
    public var applicationID: String { task.applicationID }

    /// The task this processor belongs to.
    public var taskID: TaskID { task.taskID }

    /// Topic, partition and offset of the input record being processed; `nil` inside a punctuation.
    public var recordMetadata: RecordMetadata? { task.currentMetadata }

    /// The task's stream time: the largest timestamp processed so far, or `Int64.min` before the first record.
    public var streamTime: Int64 { task.streamTime }

    /// The current wall-clock time in milliseconds (the test driver's manual clock under test).
    public var currentSystemTimeMs: Int64 { task.clock.nowMs() }

    /// Typed access to the key-value store `name`, which must be connected to this processor
    /// (`process(named:stores:_:)`, or the DSL operator that declared it).
    public func keyValueStore<Key, Value>(_ name: String, key: Serde<Key>, value: Serde<Value>) throws
        -> KeyValueStore<Key, Value>
    {
        KeyValueStore(
            bytes: try task.store(name, for: nodeName, as: KeyValueBytesStore.self), keySerde: key, valueSerde: value)
    }

    /// Read-only typed access to the global table store `name` (``StreamsBuilder/globalTable(_:key:value:materializedAs:)``),
    /// which every processor of the topology can read without connecting it.
    public func globalKeyValueStore<Key, Value>(_ name: String, key: Serde<Key>, value: Serde<Value>) throws
        -> GlobalKeyValueStore<Key, Value>
    {
        guard let store = task.globalStores[name] else { throw TopologyError.storeNotConnected(node: nodeName, store: name) }
        return GlobalKeyValueStore(store: store, keySerde: key, valueSerde: value)
    }

    /// Sends a record to every child of this processor.
    public func forward(_ record: Record<KeyOut, ValueOut>) throws {
        for child in children { try child.process(record) }
    }

    /// Sends a record to the child processor named `child` only.
    public func forward(_ record: Record<KeyOut, ValueOut>, to child: String) throws {
        guard let node = childrenByName[child] else {
            throw TopologyError.unknownChild(processor: nodeName, child: child)
        }
        try node.process(record)
    }

    /// Schedules `callback` every `interval` of stream time or wall-clock time; the callback gets the time
    /// (in milliseconds) at which it fired. See ``PunctuationType`` for when each kind fires.
    @discardableResult
    public func schedule(
        every interval: Duration, type: PunctuationType, _ callback: @escaping (Int64) throws -> Void
    ) -> Cancellable {
        let intervalMs = max(1, interval.milliseconds)
        let firstDue: Int64
        switch type {
        case .streamTime:
            let now = task.streamTime == Int64.min ? 0 : task.streamTime
            firstDue = (now / intervalMs + 1) * intervalMs
        case .wallClockTime:
            firstDue = task.clock.nowMs() + intervalMs
        }
        let schedule = PunctuationSchedule(type: type, intervalMs: intervalMs, firstDue: firstDue, callback: callback)
        task.add(schedule)
        return schedule.handle
    }
}

extension Duration {
    /// Whole milliseconds in this duration, rounded down.
    package var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
