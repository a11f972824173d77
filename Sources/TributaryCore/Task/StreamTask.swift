import Logging

/// One task: a sub-topology instantiated for one partition number, with a queue per source partition.
///
/// The task is the unit both engines drive: the runtime's stream threads and the test driver add raw records
/// and call ``process(maxRecords:hasPendingData:)``. It is single-threaded by contract.
///
/// **Order across partitions.** Each step takes the head record with the smallest event time among the task's
/// queues (ties go to the queue listed first, i.e. the topic that sorts first). While some queue is empty the
/// task waits, because that partition might hold an earlier record, unless (a) the queue has no data pending at
/// the broker (`hasPendingData` says no) and it has been empty for at least `maxTaskIdleMs` of wall-clock time,
/// or (b) `maxTaskIdleMs` is `nil` (process whatever is buffered; the test driver's default).
/// With pre-filled topics this makes the processing order a function of the data alone, so replays repeat it.
package final class StreamTask {
    /// Counts of what the task did with its input.
    package struct Counters: Equatable, Sendable {
        /// Records forwarded from a source into the topology.
        package var processed = 0
        /// Records skipped per failing stage (logged, or dead-lettered).
        package var failed: [ErrorStage: Int] = [:]
        /// Records sent to a dead-letter topic.
        package var deadLettered = 0
        /// Punctuations fired.
        package var punctuations = 0
        /// Records a windowed aggregation dropped because their window had closed (end + grace <= stream time).
        package var lateDropped = 0
    }

    package let id: TaskID
    package let policies: ErrorPolicies
    /// Counts of what the task did with its input.
    package var counters: Counters {
        var counters = tally
        counters.lateDropped = context.lateDropped
        counters.deadLettered += context.lateDeadLettered
        return counters
    }
    private var tally = Counters()
    let context: TaskContext
    let queues: [PartitionQueue]
    private let queueByTopic: [String: PartitionQueue]
    private let lifecycles: [NodeLifecycle]
    private let maxTaskIdleMs: Int64?
    private var committedOffsets: [Int64]
    /// The stores as the provider made them, below any changelogging wrapper: restoration writes here.
    private var innerStores: [String: StateStore] = [:]
    /// Per logged store, the changelog offset its data reflects (next offset to apply), once known.
    private var changelogPositions: [String: Int64] = [:]
    /// Records skipped by an error policy while their queue's head was being prepared, not yet reported.
    private var skippedWhilePreparing = 0

    /// Instantiates sub-topology `id.subtopology` of `topology` for partition `id.partition`.
    package init(
        id: TaskID, topology: Topology, applicationID: String, collector: RecordCollector, clock: WallClock,
        policies: ErrorPolicies, maxTaskIdleMs: Int64?, logger: Logger,
        storeProvider: StateStoreProvider = InMemoryStoreProvider(), globalStores: [String: SharedKeyValueStore] = [:]
    ) throws {
        self.id = id
        self.policies = policies
        self.maxTaskIdleMs = maxTaskIdleMs
        var taskLogger = logger
        taskLogger[metadataKey: "task"] = "\(id)"
        let context = TaskContext(
            taskID: id, applicationID: applicationID, collector: collector, clock: clock, logger: taskLogger)
        context.globalStores = globalStores
        self.context = context

        let subtopology = topology.subtopologies[id.subtopology]
        for name in subtopology.storeNames {
            guard let spec = topology.stores[name] else { continue }
            let inner = try storeProvider.makeStore(spec, taskID: id)
            innerStores[name] = inner
            if spec.logged {
                changelogPartitions.append(ChangelogPartition(
                    store: name, topic: spec.changelogTopic(applicationID: applicationID), partition: id.partition))
            }
            let logged = spec.logged
                ? try Self.changeLogging(inner, topic: spec.changelogTopic(applicationID: applicationID), task: context)
                : inner
            context.stores[name] = try Self.metered(logged)
        }
        for name in subtopology.nodeNames {
            context.storesByNode[name] = Set(topology.nodesByName[name]?.stores ?? [])
        }
        var instances: [String: NodeDefinition.Instance] = [:]
        var lifecycles: [NodeLifecycle] = []
        var queues: [PartitionQueue] = []
        // Children before parents, so each node is built from its children's instances.
        for name in subtopology.nodeNames.reversed() {
            guard let definition = topology.nodesByName[name] else { continue }
            let children = definition.children.compactMap { instances[$0] }
            let instance = try definition.instantiate(context, children)
            instances[name] = instance
            if let lifecycle = instance.lifecycle { lifecycles.append(lifecycle) }
        }
        for name in subtopology.nodeNames {
            guard let source = instances[name]?.source else { continue }
            for topic in source.topics {
                queues.append(PartitionQueue(topic: topic, partition: id.partition, source: source, slot: queues.count))
            }
        }
        queues.sort { $0.topic < $1.topic }
        for queue in queues { queue.source.allocateSlots(queues.count) }
        self.queues = queues
        self.queueByTopic = Dictionary(uniqueKeysWithValues: queues.map { ($0.topic, $0) })
        self.lifecycles = lifecycles.reversed()
        self.committedOffsets = Array(repeating: -1, count: queues.count)
    }

    private static func changeLogging(_ inner: StateStore, topic: String, task: TaskContext) throws -> StateStore {
        switch inner {
        case let store as KeyValueBytesStore: return ChangeLoggingKeyValueStore(inner: store, topic: topic, task: task)
        case let store as WindowBytesStore: return ChangeLoggingWindowStore(inner: store, topic: topic, task: task)
        case let store as SessionBytesStore: return ChangeLoggingSessionStore(inner: store, topic: topic, task: task)
        default: throw TopologyError.storeNotConnected(node: "changelog", store: inner.name)
        }
    }

    /// Layer 1 of every store: metering on top of changelogging (or the inner store when unlogged).
    private static func metered(_ store: StateStore) throws -> StateStore {
        switch store {
        case let store as KeyValueBytesStore: return MeteredKeyValueStore(inner: store)
        case let store as WindowBytesStore: return MeteredWindowStore(inner: store)
        case let store as SessionBytesStore: return MeteredSessionStore(inner: store)
        default: throw TopologyError.storeNotConnected(node: "metrics", store: store.name)
        }
    }

    /// Operation counts and times of each store of this task, by store name.
    package var storeMetrics: [String: StoreMetrics] {
        context.stores.compactMapValues { store in
            switch store {
            case let store as MeteredKeyValueStore: store.meter.metrics
            case let store as MeteredWindowStore: store.meter.metrics
            case let store as MeteredSessionStore: store.meter.metrics
            default: nil
            }
        }
    }

    /// The store `name` as its provider made it, below the metering and changelogging layers.
    package func innerStore(_ name: String) -> StateStore? { innerStores[name] }

    /// The task's stores by name (metering and changelogging layers included), for inspection.
    package var stores: [String: StateStore] { context.stores }

    /// The changelog partition of each logged store, sorted by store name.
    package private(set) var changelogPartitions: [ChangelogPartition] = []

    /// Commit step 1: hands every logged store's pending changelog records to the record collector.
    package func sendPendingChangelogs() throws {
        for name in context.stores.keys.sorted() {
            try (context.stores[name] as? ChangelogBuffering)?.sendPendingChangelog()
        }
    }

    /// Where restoration of `partition` starts: the offset the store's local data reflects, or `nil` when it
    /// has no checkpoint (no local state: restore from the beginning of the changelog).
    package func restoreStart(_ partition: ChangelogPartition) throws -> Int64? {
        guard let store = innerStores[partition.store] as? OffsetCheckpointing else { return nil }
        return try store.checkpoint()[partition.checkpointKey]
    }

    /// Applies a batch of changelog records of `partition`, in offset order (one write where the store allows).
    package func restore(_ partition: ChangelogPartition, batch: [(key: [UInt8]?, value: [UInt8]?)]) throws {
        guard let store = innerStores[partition.store] else { return }
        try ChangelogRecord.apply(batch, to: store)
    }

    /// Records that `partition`'s store now reflects its changelog up to `nextOffset` (exclusive) and
    /// checkpoints that, atomically with the data, in stores that keep checkpoints.
    package func finishRestoring(_ partition: ChangelogPartition, nextOffset: Int64) throws {
        changelogPositions[partition.store] = nextOffset
        if let store = innerStores[partition.store] as? OffsetCheckpointing {
            try store.writeCheckpoint([partition.checkpointKey: nextOffset])
        }
    }

    /// Step 4 of the commit protocol: makes every store's writes durable together with the changelog offset
    /// they reflect. `lastDelivered` gives the highest acknowledged offset of a changelog partition (after the
    /// producer flush, this covers every write of the store so far); stores without new writes keep theirs.
    /// Unlogged stores just apply their buffered writes.
    package func checkpointStores(lastDelivered: (ChangelogPartition) -> Int64?) throws {
        for partition in changelogPartitions {
            if let delivered = lastDelivered(partition) {
                changelogPositions[partition.store] = max(changelogPositions[partition.store] ?? 0, delivered + 1)
            }
        }
        for name in innerStores.keys.sorted() {
            guard let store = innerStores[name] as? OffsetCheckpointing else { continue }
            if let partition = changelogPartitions.first(where: { $0.store == name }) {
                guard let position = changelogPositions[name] else { continue }
                try store.writeCheckpoint([partition.checkpointKey: position])
            } else {
                try store.writeCheckpoint([:])
            }
        }
    }

    /// Source topic-partitions of this task, in queue order.
    package var sourcePartitions: [(topic: String, partition: Int32)] { queues.map { ($0.topic, $0.partition) } }

    /// The task's stream time, `Int64.min` before the first record.
    package var streamTime: Int64 { context.streamTime }

    /// Records buffered and not yet processed.
    package var bufferedCount: Int { queues.reduce(0) { $0 + $1.count } }

    /// Calls every processor's `initialize`; call once before processing.
    package func initialize() throws {
        for lifecycle in lifecycles { try lifecycle.initialize() }
    }

    /// Buffers records read from `topic` (this task's partition of it), in offset order.
    package func add(_ records: consuming [RawRecord], topic: String) {
        guard let queue = queueByTopic[topic] else { preconditionFailure("task \(id) does not read \(topic)") }
        queue.append(contentsOf: records)
    }

    /// Whether the task reads `topic`.
    package func reads(_ topic: String) -> Bool { queueByTopic[topic] != nil }

    /// Processes up to `maxRecords` buffered records in timestamp order (see the type's documentation).
    ///
    /// - Parameter hasPendingData: whether the broker holds records of a source partition beyond those
    ///   buffered (queue index in ``sourcePartitions`` order).
    /// - Returns: the number of records taken (processed or handled by an error policy).
    /// - Throws: ``StreamsError`` when a failing record's policy is ``ErrorPolicy/fail``.
    /// - Parameter limit: stop before a record whose event time is above this (see ``readiness(hasPendingData:)``).
    package func process(
        maxRecords: Int, through limit: Int64 = .max, hasPendingData: (Int) -> Bool = { _ in false }
    ) throws -> Int {
        var taken = 0
        defer { skippedWhilePreparing = 0 }
        while taken + skippedWhilePreparing < maxRecords {
            guard let queue = try nextQueue(hasPendingData: hasPendingData), queue.preparedTimestamp! <= limit else {
                break
            }
            taken += 1
            let timestamp = queue.preparedTimestamp!
            context.currentQueue = queue
            queue.partitionTime = max(queue.partitionTime, timestamp)
            if timestamp > context.streamTime { context.streamTime = timestamp }
            do {
                try queue.source.processPrepared(slot: queue.slot)
                tally.processed += 1
            } catch let failure as NodeFailure {
                try handle(failure, raw: queue.head)
            }
            queue.removeHead()
            if context.streamTime >= context.nextStreamTimePunctuation {
                _ = try punctuate(.streamTime, now: context.streamTime)
            }
        }
        return taken + skippedWhilePreparing
    }

    /// Whether the task can process now, for a stream thread that orders records across its tasks.
    package enum Readiness: Equatable {
        /// The next record is ready; its event time.
        case ready(Int64)
        /// The task must wait: a partition is empty while the broker holds more of it (or within `maxTaskIdle`).
        case waiting
        /// Nothing buffered and nothing pending.
        case idle
    }

    /// What ``process(maxRecords:through:hasPendingData:)`` would do next, preparing the head it would take.
    package func readiness(hasPendingData: (Int) -> Bool) throws -> Readiness {
        if let queue = try nextQueue(hasPendingData: hasPendingData) { return .ready(queue.preparedTimestamp!) }
        for (index, queue) in queues.enumerated() where !queue.isEmpty || hasPendingData(index) { return .waiting }
        return .idle
    }

    /// The queue whose head record goes next, with that head prepared; `nil` when the task must wait or is idle.
    private func nextQueue(hasPendingData: (Int) -> Bool) throws -> PartitionQueue? {
        if queues.count == 1 {
            let queue = queues[0]
            return try prepareHead(queue) ? queue : nil
        }
        var best: PartitionQueue?
        var now: Int64?
        for (index, queue) in queues.enumerated() {
            if try prepareHead(queue) {
                if best == nil || queue.preparedTimestamp! < best!.preparedTimestamp! { best = queue }
                continue
            }
            guard let maxTaskIdleMs else { continue }
            if hasPendingData(index) { return nil }
            let current = now ?? context.clock.nowMs()
            now = current
            let since = queue.emptySince ?? current
            queue.emptySince = since
            if current - since < maxTaskIdleMs { return nil }
        }
        return best
    }

    /// Deserializes the head of `queue` if needed; records that fail go to the error policy and are skipped.
    /// Returns whether the queue has a prepared head.
    private func prepareHead(_ queue: PartitionQueue) throws -> Bool {
        while !queue.isEmpty {
            if queue.preparedTimestamp != nil { return true }
            do {
                let source = queue.source
                let slot = queue.slot
                let partitionTime = queue.partitionTime
                queue.preparedTimestamp = try queue.withHead { raw in
                    try source.prepare(raw, slot: slot, partitionTime: partitionTime)
                }
                return true
            } catch let failure as NodeFailure {
                context.currentQueue = queue
                try handle(failure, raw: queue.head)
                queue.removeHead()
                skippedWhilePreparing += 1
            }
        }
        return false
    }

    /// Fires due wall-clock punctuations; returns how many fired.
    @discardableResult
    package func punctuateWallClock() throws -> Int {
        try punctuate(.wallClockTime, now: context.clock.nowMs())
    }

    private func punctuate(_ type: PunctuationType, now: Int64) throws -> Int {
        do {
            let fired = try context.punctuate(type, now: now)
            tally.punctuations += fired
            return fired
        } catch {
            let failure = (error as? NodeFailure) ?? NodeFailure(node: "punctuation", stage: .processing, underlying: error)
            let policy = policy(for: failure.stage)
            if policy == .fail {
                throw StreamsError(
                    stage: failure.stage, taskID: id,
                    metadata: RecordMetadata(topic: "", partition: id.partition, offset: -1), underlying: failure.underlying)
            }
            context.logger.error("punctuation failed; continuing", metadata: ["error": "\(failure.underlying)"])
            tally.failed[failure.stage, default: 0] += 1
            return 0
        }
    }

    private func policy(for stage: ErrorStage) -> ErrorPolicy {
        switch stage {
        case .deserialization: policies.deserialization
        case .processing: policies.processing
        case .production: policies.production
        }
    }

    /// Applies the stage's error policy to a failed record.
    private func handle(_ failure: NodeFailure, raw: RawRecord) throws {
        let metadata = RecordMetadata(topic: raw.topic, partition: raw.partition, offset: raw.offset)
        switch policy(for: failure.stage) {
        case .fail:
            throw StreamsError(stage: failure.stage, taskID: id, metadata: metadata, underlying: failure.underlying)
        case .logAndContinue:
            context.logger.warning(
                "skipping record after \(failure.stage.rawValue) error",
                metadata: [
                    "node": "\(failure.node)", "source": "\(raw.topic)-\(raw.partition)@\(raw.offset)",
                    "error": "\(failure.underlying)",
                ])
        case .deadLetter(let topic):
            try sendToDeadLetter(topic: topic, failure: failure, raw: raw)
            tally.deadLettered += 1
        }
        tally.failed[failure.stage, default: 0] += 1
    }

    /// The largest value sent to a dead-letter topic when the original does not fit.
    static let truncatedDeadLetterBytes = 64 * 1024

    private func sendToDeadLetter(topic: String, failure: NodeFailure, raw: RawRecord) throws {
        var headers = raw.headers
        headers.append(Header(key: DeadLetterHeaders.stage, string: failure.stage.rawValue))
        headers.append(Header(key: DeadLetterHeaders.message, string: "\(failure.underlying)"))
        headers.append(Header(key: DeadLetterHeaders.node, string: failure.node))
        headers.append(Header(key: DeadLetterHeaders.topic, string: raw.topic))
        headers.append(Header(key: DeadLetterHeaders.partition, string: String(raw.partition)))
        headers.append(Header(key: DeadLetterHeaders.offset, string: String(raw.offset)))
        do {
            try context.collector.send(
                topic: topic, partition: nil, key: raw.key, value: raw.value, timestamp: raw.timestamp, headers: headers)
        } catch {
            // The producer refused the original (typically: too large). Keep the evidence, cut to a size that fits.
            guard let value = raw.value, value.count > Self.truncatedDeadLetterBytes else {
                throw StreamsError(
                    stage: .production, taskID: id,
                    metadata: RecordMetadata(topic: raw.topic, partition: raw.partition, offset: raw.offset),
                    underlying: error)
            }
            headers.append(Header(key: DeadLetterHeaders.truncatedFrom, string: String(value.count)))
            try context.collector.send(
                topic: topic, partition: nil, key: raw.key.map { Array($0.prefix(1024)) },
                value: Array(value.prefix(Self.truncatedDeadLetterBytes)), timestamp: raw.timestamp, headers: headers)
        }
    }

    /// Next offsets to commit for the source partitions that progressed since the last ``markCommitted(_:)``.
    /// Offsets follow Kafka's convention: the offset of the next record to read.
    package func committableOffsets() -> [(topic: String, partition: Int32, offset: Int64)] {
        var result: [(topic: String, partition: Int32, offset: Int64)] = []
        for (index, queue) in queues.enumerated() where queue.lastTakenOffset >= 0 {
            let next = queue.lastTakenOffset + 1
            if next != committedOffsets[index] { result.append((queue.topic, queue.partition, next)) }
        }
        return result
    }

    /// Records that `offsets` (from ``committableOffsets()``) were committed.
    package func markCommitted(_ offsets: [(topic: String, partition: Int32, offset: Int64)]) {
        for entry in offsets {
            guard let index = queues.firstIndex(where: { $0.topic == entry.topic }) else { continue }
            committedOffsets[index] = entry.offset
        }
    }

    /// Closes every processor and drops buffered records.
    package func close() {
        for lifecycle in lifecycles.reversed() { lifecycle.close() }
        // The context's current queue leads to the source nodes, whose processors hold the context: a cycle.
        context.currentQueue = nil
        for queue in queues { queue.clear() }
        for name in context.stores.keys.sorted() { context.stores[name]!.close() }
    }
}
