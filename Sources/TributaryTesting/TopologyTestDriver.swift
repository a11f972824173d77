import Logging
import TributaryCore

/// Runs a topology synchronously in memory: no broker, disk or network, and the same tasks as the runtime.
///
/// Create input topics, pipe records in, read what the topology wrote:
/// ```swift
/// let driver = try TopologyTestDriver(topology)
/// let lines = driver.createInputTopic("lines", key: .string, value: .string)
/// let words = driver.createOutputTopic("words", key: .string, value: .string)
/// try lines.pipeInput("k", "hello tributary", timestamp: 1_000)
/// #expect(try words.readValues() == ["hello", "tributary"])
/// ```
///
/// Unlike Kafka Streams' driver, input topics can have several partitions (`partitions:`), one task runs per
/// partition, and a record goes to the partition its key hashes to unless you choose one. Processing is
/// deterministic: each `pipeInput` processes every buffered record before it returns. Give `maxTaskIdle` to use
/// the runtime's rule for tasks reading several topics instead: a task waits while one of its partitions is
/// empty, until ``advanceWallClockTime(by:)`` moves the clock past `maxTaskIdle`.
///
/// Records a sink writes to a topic the topology also reads are fed back in, as a repartition topic would be.
public final class TopologyTestDriver {
    let topology: Topology
    /// The driver's wall clock; it moves only with ``advanceWallClockTime(by:)``.
    public let clock: ManualClock
    /// Partition counts by real topic name: the given ones, plus those of internal topics.
    private var partitionCounts: [String: Int]
    private let applicationID: String
    /// Real names of every topic the topology reads.
    private let sourceTopics: Set<String>
    private var tasks: [TaskID: StreamTask] = [:]
    /// One store per global table, fed by every record of its topic and shared by all tasks.
    private var globalStores: [String: SharedKeyValueStore] = [:]
    private var globalStoreByTopic: [String: SharedKeyValueStore] = [:]
    private var nextOffsets: [String: [Int64]] = [:]
    private let output = InMemoryTopics()

    /// Creates a driver and initializes every task.
    ///
    /// - Parameters:
    ///   - topology: the topology under test.
    ///   - applicationID: the application id processors see.
    ///   - partitions: partition count per topic; topics not listed have one partition. Topics read by one
    ///     sub-topology must have equal counts.
    ///   - errorPolicies: what to do with records that fail; failing under ``ErrorPolicy/fail`` makes
    ///     `pipeInput` throw.
    ///   - maxTaskIdle: `nil` processes every piped record at once; a duration applies the runtime's wait rule.
    ///   - wallClockStartMs: the wall clock's initial reading.
    public init(
        _ topology: Topology, applicationID: String = "test-app", partitions: [String: Int] = [:],
        errorPolicies: ErrorPolicies = ErrorPolicies(), maxTaskIdle: Duration? = nil, wallClockStartMs: Int64 = 0
    ) throws {
        self.topology = topology
        self.clock = ManualClock(startMs: wallClockStartMs)
        self.applicationID = applicationID
        self.sourceTopics = Set(topology.sourceTopics(applicationID: applicationID))
            .union(topology.globalStores.map(\.topic))
        for spec in topology.globalStores {
            let store = SharedKeyValueStore(name: spec.name)
            globalStores[spec.name] = store
            globalStoreByTopic[spec.topic] = store
        }
        var partitionCounts = partitions
        for spec in topology.internalTopicSpecs(applicationID: applicationID, externalPartitionCounts: partitions) {
            partitionCounts[spec.topic] = spec.partitions
        }
        self.partitionCounts = partitionCounts
        output.partitionCounts = partitionCounts
        let logger = Logger(label: "tributary.test-driver")
        try topology.checkPartitioning(partitionCounts: partitions)
        let taskCounts = topology.taskCounts(externalPartitionCounts: partitions)
        for subtopology in topology.subtopologies {
            let external = subtopology.sourceTopics.filter { !topology.internalTopics.contains($0) }
            let counts = Dictionary(uniqueKeysWithValues: external.map { ($0, partitions[$0] ?? 1) })
            guard Set(counts.values).count <= 1 else {
                throw TopologyError.notCopartitioned(subtopology: subtopology.id, partitions: counts)
            }
            for partition in 0..<taskCounts[subtopology.id] {
                let id = TaskID(subtopology: subtopology.id, partition: Int32(partition))
                let task = try StreamTask(
                    id: id, topology: topology, applicationID: applicationID, collector: output, clock: clock,
                    policies: errorPolicies, maxTaskIdleMs: maxTaskIdle?.milliseconds, logger: logger,
                    globalStores: globalStores)
                tasks[id] = task
            }
        }
        for id in tasks.keys.sorted() { try tasks[id]!.initialize() }
    }

    /// An input topic to pipe typed records into.
    public func createInputTopic<Key, Value>(_ topic: String, key: Serde<Key>, value: Serde<Value>)
        -> TestInputTopic<Key, Value>
    {
        TestInputTopic(driver: self, topic: topic, keySerde: key, valueSerde: value)
    }

    /// An output topic to read typed records from.
    public func createOutputTopic<Key, Value>(_ topic: String, key: Serde<Key>, value: Serde<Value>)
        -> TestOutputTopic<Key, Value>
    {
        TestOutputTopic(driver: self, topic: topic, keySerde: key, valueSerde: value)
    }

    /// Every record written to `topic` so far, read or not, as bytes with headers.
    public func rawRecords(_ topic: String) -> [RawRecord] { output.records[topic] ?? [] }

    /// The topics the topology has written to.
    public var producedTopicNames: [String] { output.records.keys.sorted() }

    /// The wall-clock time in milliseconds.
    public var wallClockTimeMs: Int64 { clock.nowMs() }

    /// Moves the wall clock forward, fires due wall-clock punctuations, and processes records that were waiting
    /// for an idle partition.
    public func advanceWallClockTime(by duration: Duration) throws {
        clock.advance(by: duration)
        for id in tasks.keys.sorted() { try tasks[id]!.punctuateWallClock() }
        try processAll()
    }

    /// Every entry of key-value store `name` over all tasks, ordered by task, then by serialized key.
    /// Stores are in memory; their changelog records are in ``rawRecords(_:)`` of `<app>-<name>-changelog`.
    public func keyValueStore<Key, Value>(_ name: String, key: Serde<Key>, value: Serde<Value>) throws
        -> [(key: Key, value: Value)]
    {
        var entries: [(key: Key, value: Value)] = []
        if let global = globalStores[name] {
            return try global.all().map { (try key.deserializeOptional($0.key), try value.deserializeOptional($0.value)) }
        }
        for id in tasks.keys.sorted() {
            guard let store = tasks[id]!.stores[name] as? KeyValueBytesStore else { continue }
            for entry in try store.all() {
                entries.append((try key.deserializeOptional(entry.key), try value.deserializeOptional(entry.value)))
            }
        }
        return entries
    }

    /// Every live window of window store `name` over all tasks as `(key, window start, value)`, ordered by task,
    /// then serialized key, then window start.
    public func windowStore<Key, Value>(_ name: String, key: Serde<Key>, value: Serde<Value>) throws
        -> [(key: Key, windowStart: Int64, value: Value)]
    {
        var entries: [(key: Key, windowStart: Int64, value: Value)] = []
        for id in tasks.keys.sorted() {
            guard let store = tasks[id]!.stores[name] as? WindowBytesStore else { continue }
            for entry in try store.fetchAll(from: .min, to: .max) {
                entries.append(
                    (try key.deserializeOptional(entry.key), entry.windowStart, try value.deserializeOptional(entry.value)))
            }
        }
        return entries
    }

    /// Every live session of session store `name` over all tasks as `(key, session, value)`, ordered by task,
    /// then serialized key, then session end and start. The driver's session stores are in memory.
    public func sessionStore<Key, Value>(_ name: String, key: Serde<Key>, value: Serde<Value>) throws
        -> [(key: Key, session: SessionWindow, value: Value)]
    {
        var entries: [(key: Key, session: SessionWindow, value: Value)] = []
        for id in tasks.keys.sorted() {
            guard let memory = tasks[id]!.innerStore(name) as? InMemorySessionStore else { continue }
            for entry in memory.allSessions() {
                entries.append(
                    (try key.deserializeOptional(entry.key), entry.session, try value.deserializeOptional(entry.value)))
            }
        }
        return entries
    }

    /// The stores of task `id` by name (changelogging wrappers included), for tests that inspect raw store bytes.
    package func stores(of id: TaskID) -> [String: StateStore] { tasks[id]?.stores ?? [:] }

    /// Records windowed aggregations dropped as late (window end + grace <= stream time), summed over tasks.
    public var lateDroppedCount: Int { tasks.values.reduce(0) { $0 + $1.counters.lateDropped } }

    /// Operation counts and times of store `name`, summed over tasks (the metered store layer).
    public func storeMetrics(_ name: String) -> StoreMetrics {
        var total = StoreMetrics()
        for id in tasks.keys.sorted() {
            if let metrics = tasks[id]!.storeMetrics[name] { total.merge(metrics) }
        }
        return total
    }

    /// Stream time of every task, by task id.
    public var streamTimes: [TaskID: Int64] { tasks.mapValues(\.streamTime) }

    /// Counters of each task (processed records, failures per stage, dead-lettered records).
    package var counters: [TaskID: StreamTask.Counters] { tasks.mapValues(\.counters) }

    /// Records that failed and were skipped or dead-lettered, summed over tasks, per stage.
    public func failedCount(_ stage: ErrorStage) -> Int {
        tasks.values.reduce(0) { $0 + ($1.counters.failed[stage] ?? 0) }
    }

    /// Records sent to a dead-letter topic, summed over tasks.
    public var deadLetteredCount: Int { tasks.values.reduce(0) { $0 + $1.counters.deadLettered } }

    /// Records still buffered because their task is waiting for an idle partition.
    public var bufferedCount: Int { tasks.values.reduce(0) { $0 + $1.bufferedCount } }

    /// Closes every task's processors.
    public func close() {
        for id in tasks.keys.sorted() { tasks[id]!.close() }
        tasks.removeAll()
    }

    func pipe(topic: String, key: [UInt8]?, value: [UInt8]?, timestamp: Int64?, partition: Int32?, headers: [Header])
        throws
    {
        try enqueue(
            topic: topic, key: key, value: value, timestamp: timestamp ?? clock.nowMs(), partition: partition,
            headers: headers)
        try processAll()
    }

    private func enqueue(
        topic: String, key: [UInt8]?, value: [UInt8]?, timestamp: Int64, partition: Int32?, headers: [Header]
    ) throws {
        if let global = globalStoreByTopic[topic] {
            // A global table's topic: the record updates the one global store at once, whatever its partition.
            try global.apply(key: key, value: value)
            return
        }
        guard let subtopology = topology.subtopology(reading: topic, applicationID: applicationID) else {
            throw TopologyError.missingSourceTopic(topic)
        }
        let count = partitionCounts[topic] ?? 1
        let chosen = partition ?? KeyPartitioner.partition(key: key, count: count)
        precondition(chosen >= 0 && Int(chosen) < count, "partition \(chosen) of \(topic), which has \(count)")
        var offsets = nextOffsets[topic] ?? Array(repeating: 0, count: count)
        let offset = offsets[Int(chosen)]
        offsets[Int(chosen)] += 1
        nextOffsets[topic] = offsets
        let raw = RawRecord(
            topic: topic, partition: chosen, offset: offset, key: key, value: value, timestamp: timestamp,
            headers: headers)
        tasks[TaskID(subtopology: subtopology.id, partition: chosen)]!.add([raw], topic: topic)
    }

    /// Processes until no task can make progress, feeding records written to source topics back in.
    private func processAll() throws {
        var progressed = true
        while progressed {
            progressed = false
            for id in tasks.keys.sorted() where try tasks[id]!.process(maxRecords: Int.max) > 0 {
                progressed = true
            }
            for raw in output.takeFeedback(sourceTopics: sourceTopics) {
                try enqueue(
                    topic: raw.topic, key: raw.key, value: raw.value, timestamp: raw.timestamp,
                    partition: raw.partition, headers: raw.headers)
                progressed = true
            }
        }
        // Like Kafka Streams' driver, commit after every input: pending changelog records go out.
        for id in tasks.keys.sorted() { try tasks[id]!.sendPendingChangelogs() }
    }

    func unreadCount(_ topic: String) -> Int { output.unreadCount(topic) }
    func readNext(_ topic: String) -> RawRecord? { output.readNext(topic) }
}
