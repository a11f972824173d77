import Foundation
import Logging
import Synchronization
import TributaryCore
import TributaryKafka
import TributaryQuery

/// One stream thread: a consumer, a producer, and the tasks the group assigned to it.
///
/// The loop is poll → buffer per partition → process each task → punctuate → commit every `commitInterval`.
/// Everything here runs on the thread's own OS thread; blocking librdkafka calls never touch Swift's
/// cooperative pool. Only ``requestShutdown()`` and the counters are touched from other threads.
///
/// **Commit protocol (at-least-once), in order:** (1) stores send their pending changelog records (the latest
/// write per key since the last commit) to the producer; (2) flush the producer and wait for every acknowledgement, including
/// the changelogs'; (3) commit the input offsets of records taken; (4) write each RocksDB store's buffered
/// writes together with the changelog offset they reflect (the last acknowledged one + 1), in one atomic batch.
/// A crash between (2) and (3) re-processes records whose outputs were already written: outputs may repeat,
/// never go missing; restored counts may then be too high by the records re-processed.
///
/// **Restoration:** a newly assigned task first rebuilds its stores from their changelogs (``StateRestorer``),
/// from the local checkpoint or from the beginning, and only then initializes its processors and processes.
final class StreamThread: @unchecked Sendable {
    // Mutable state below is confined to the thread running `run()`; cross-thread access is via atomics.
    let index: Int
    private let topology: Topology
    private let config: StreamsConfig
    private let logger: Logger
    private let shutdownRequested = Atomic<Bool>(false)
    /// Records taken from source partitions, over all tasks, since start.
    let recordsProcessed = Atomic<Int>(0)
    /// Wall-clock ms of the last processed record (0 before the first).
    let lastProgressMs = Atomic<Int64>(0)
    /// True while the thread processes records it has buffered (one pass can take seconds on a slow build).
    let isProcessing = Atomic<Bool>(false)
    /// Wall-clock ms of the last partition assignment (0 before the first).
    let lastAssignmentMs = Atomic<Int64>(0)
    /// Wall-clock ms of the first partition assignment (0 before it).
    let firstAssignmentMs = Atomic<Int64>(0)
    private let clock = SystemWallClock()
    private var consumer: KafkaConsumer!
    private var producer: KafkaProducer!
    private var collector: KafkaRecordCollector!
    private var tasks: [TaskID: StreamTask] = [:]
    private var taskByPartition: [TopicPartition: StreamTask] = [:]
    /// Committed offsets of the assigned partitions at assignment time (where reading starts).
    private var startOffsets: [TopicPartition: Int64] = [:]
    private var lastCommitMs: Int64 = 0
    private var failure: (any Error)?

    private let shutdownBarrier: ShutdownBarrier
    private let startupGate: StartupGate
    /// Whether the startup gate has opened for this thread (it never closes again).
    private var started = false
    private let storeProvider: StateStoreProvider
    /// Sub-topologies whose tasks write repartition topics; their records are processed merged by event time.
    private let orderedSubtopologies: Set<Int>
    /// Rebuilds the stores of new tasks; created when the thread starts.
    private(set) var restorer: StateRestorer?
    /// Tasks created at assignment whose stores are not restored yet; they process nothing until they are.
    private var tasksToRestore: Set<TaskID> = []
    /// Global stores (filled by `GlobalStateUpdater`), passed read-only to every task; set before ``run()``.
    var globalStores: [String: SharedKeyValueStore] = [:]
    /// Where the tasks' stores are registered for the query port (registered at creation, running once
    /// restored, deregistered before close); set before ``run()``.
    var storeRegistry: StoreRegistry?
    /// Partition-set mode: the partitions of every source topic this thread is assigned manually (no group
    /// membership; offsets are still committed under the application id). `nil`: group mode. Set before ``run()``.
    var partitionSet: [Int32]?
    /// Source partitions assigned now, for the instances topic.
    let currentPartitions = Mutex<[TopicPartition]>([])
    /// Records behind the end of the assigned partitions at the last commit (from cached watermarks).
    let lag = Atomic<Int>(0)
    /// This thread's series in the app's metrics registry.
    private let metrics: StreamThreadMetrics

    init(
        index: Int, topology: Topology, config: StreamsConfig, storeProvider: StateStoreProvider,
        startupGate: StartupGate, shutdownBarrier: ShutdownBarrier, metrics: StreamThreadMetrics, logger: Logger
    ) {
        self.metrics = metrics
        self.startupGate = startupGate
        self.index = index
        self.storeProvider = storeProvider
        self.orderedSubtopologies = Set(topology.subtopologies.filter { subtopology in
            subtopology.sinkTopics.contains { topology.internalTopics.contains($0) }
        }.map(\.id))
        self.shutdownBarrier = shutdownBarrier
        self.topology = topology
        self.config = config
        var threadLogger = logger
        threadLogger[metadataKey: "thread"] = "\(index)"
        self.logger = threadLogger
    }

    /// Prefetch thresholds of the stream consumer (librdkafka's defaults: 100,000 messages, 64 MiB).
    ///
    /// librdkafka 2.0's fetcher stops fetching a partition once the local queue reaches either threshold and
    /// decides again only when its broker thread next wakes, up to a second later; a stream thread that drains
    /// the queue faster than that then waits with nothing to process. With the defaults the WikiEdits benchmark
    /// thread waited about 40% of the time (1 KB records: 64 MiB is ~0.5 s of processing). Deeper thresholds
    /// keep a second or more of records queued; the price is up to 128 MiB of prefetched records per stream
    /// thread. ``StreamsConfig/consumerOverrides`` can set either back.
    static var prefetchDefaults: [String: String] { ConsumerPrefetch.streamThreadDefaults }

    /// Asks the loop to finish its batch, commit, and close.
    func requestShutdown() { shutdownRequested.store(true, ordering: .relaxed) }

    /// Runs until shutdown is requested or a task fails; throws the failure after closing.
    func run() throws {
        var consumerConfig = [
            "bootstrap.servers": config.bootstrapServers, "group.id": config.applicationID,
            "client.id": "\(config.applicationID)-StreamThread-\(index)-consumer",
            "auto.offset.reset": "earliest", "enable.partition.eof": "false",
        ]
        if let instanceID = config.instanceID, partitionSet == nil {
            // Static membership: a restart within session.timeout.ms keeps the assignment (no rebalance).
            consumerConfig["group.instance.id"] = "\(instanceID)-\(index)"
        }
        consumerConfig.merge(Self.prefetchDefaults) { _, value in value }
        consumerConfig.merge(config.consumerOverrides) { _, override in override }
        var producerConfig = [
            "bootstrap.servers": config.bootstrapServers,
            "client.id": "\(config.applicationID)-StreamThread-\(index)-producer",
            "linger.ms": "100",
        ]
        producerConfig.merge(config.producerOverrides) { _, override in override }
        producer = try KafkaProducer(config: producerConfig)
        for (topic, _) in topology.changelogTopics(applicationID: config.internalTopicPrefix) {
            try producer.trackDeliveredOffsets(of: topic)
        }
        restorer = try StateRestorer(
            bootstrapServers: config.bootstrapServers, clientID: "\(config.applicationID)-StreamThread-\(index)-restore",
            overrides: config.consumerOverrides, batchSize: config.pollBatchSize, logger: logger)
        restorer?.onProgress = { [unowned self] task, store, applied, remaining in
            self.metrics.restoreProgress(task: task, store: store, applied: applied, remaining: remaining)
        }
        collector = KafkaRecordCollector(producer: producer)
        consumer = try KafkaConsumer(
            config: consumerConfig,
            onAssigned: { [unowned self] partitions in self.assigned(partitions) },
            onRevoked: { [unowned self] partitions in self.revoked(partitions) })
        consumer.onError = { [logger] error in logger.warning("consumer error: \(error)") }
        if let partitionSet {
            let partitions = topology.sourceTopics(applicationID: config.internalTopicPrefix).flatMap { topic in
                partitionSet.map { TopicPartition(topic: topic, partition: $0) }
            }
            try consumer.assign(partitions.map { TopicPartitionOffset($0, offset: TopicPartitionOffset.stored) })
            assigned(partitions)
        } else {
            try consumer.subscribe(topics: topology.sourceTopics(applicationID: config.internalTopicPrefix))
        }
        lastCommitMs = clock.nowMs()
        do {
            try loop()
            try commit()
        } catch {
            failure = error
            logger.error("stream thread failed: \(error)")
        }
        metrics.setState(.stopping)
        shutdownBarrier.arriveAndWait()
        closeAll()
        metrics.setState(failure == nil ? .stopped : .failed)
        if let failure { throw failure }
    }

    private func loop() throws {
        var buffered = 0
        var previouslyTaken = 0
        while !shutdownRequested.load(ordering: .relaxed) {
            if let failure { throw failure }
            let messages = try consumer.poll(
                maxMessages: config.pollBatchSize, timeout: buffered > 0 && started ? .zero : .milliseconds(100))
            if let failure { throw failure }
            let polledAny = !messages.isEmpty
            bufferMessages(consume messages)
            if !started {
                guard startupGate.isOpen(nowMs: clock.nowMs()) else { continue }
                started = true
                try consumer.resume(try consumer.assignment())
            }
            if !tasksToRestore.isEmpty { metrics.setState(.restoring) }
            try restoreNewTasks()
            // Busy when there is new input or the last pass made progress, not while tasks only wait for input.
            isProcessing.store(
                (polledAny || previouslyTaken > 0) && tasks.values.contains { $0.bufferedCount > 0 },
                ordering: .relaxed)
            defer { isProcessing.store(false, ordering: .relaxed) }
            metrics.setState(.running)
            let processStart = ContinuousClock.now
            var taken = 0
            var ordered: [StreamTask] = []
            for id in tasks.keys.sorted() {
                let task = tasks[id]!
                if orderedSubtopologies.contains(id.subtopology) {
                    ordered.append(task)
                    continue
                }
                let sentBefore = collector.sentCount
                let taskTaken = try task.process(maxRecords: Int.max) { [unowned self] index in
                    self.brokerHasMore(task.sourcePartitions[index])
                }
                if taskTaken > 0 {
                    metrics.recordBatch(task: id, taken: taskTaken, sent: collector.sentCount - sentBefore)
                    taken += taskTaken
                }
            }
            taken += try processInTimestampOrder(ordered)
            for id in tasks.keys.sorted() { try tasks[id]!.punctuateWallClock() }
            buffered = tasks.values.reduce(0) { $0 + $1.bufferedCount }
            previouslyTaken = taken
            if taken > 0 {
                metrics.recordProcessing(ContinuousClock.now - processStart)
                recordsProcessed.add(taken, ordering: .relaxed)
                lastProgressMs.store(clock.nowMs(), ordering: .relaxed)
            }
            try checkDeliveries()
            if clock.nowMs() - lastCommitMs >= config.commitInterval.milliseconds { try commit() }
        }
    }

    /// Processes the records of `ordered` tasks merged by event time, as if they were one task: the task with the
    /// earliest next record runs until its next record is later than every other task's, and nothing runs while a
    /// task waits for a partition the broker holds more of. These tasks write repartition topics; merging keeps
    /// each repartition partition in event-time order when one thread owns the writing tasks, so downstream
    /// windows do not see records of one input partition as late because another was processed ahead of it.
    private func processInTimestampOrder(_ ordered: [StreamTask]) throws -> Int {
        guard !ordered.isEmpty else { return 0 }
        // Runs can be a single record each when the tasks' times interleave: count per task here, publish once.
        var takenByTask = [Int](repeating: 0, count: ordered.count)
        var sentByTask = [Int](repeating: 0, count: ordered.count)
        defer {
            for (slot, task) in ordered.enumerated() where takenByTask[slot] > 0 {
                metrics.recordBatch(task: task.id, taken: takenByTask[slot], sent: sentByTask[slot])
            }
        }
        var taken = 0
        while true {
            var best: Int?
            var bestTime = Int64.max
            var secondTime = Int64.max
            for (slot, task) in ordered.enumerated() {
                let hasMore: (Int) -> Bool = { [unowned self] index in self.brokerHasMore(task.sourcePartitions[index]) }
                switch try task.readiness(hasPendingData: hasMore) {
                case .ready(let time):
                    if best == nil || time < bestTime {
                        secondTime = best == nil ? secondTime : bestTime
                        best = slot
                        bestTime = time
                    } else {
                        secondTime = min(secondTime, time)
                    }
                case .waiting:
                    return taken
                case .idle:
                    continue
                }
            }
            guard let slot = best else { return taken }
            let task = ordered[slot]
            let sentBefore = collector.sentCount
            let runTaken = try task.process(maxRecords: Int.max, through: secondTime) { [unowned self] index in
                self.brokerHasMore(task.sourcePartitions[index])
            }
            takenByTask[slot] += runTaken
            sentByTask[slot] += collector.sentCount - sentBefore
            taken += runTaken
        }
    }

    /// Appends polled messages to their tasks' queues; runs of one partition go in as one batch.
    /// Hands polled records to their tasks' partition queues. The key, value and headers are moved out of the
    /// messages, not copied: a copy retains (and the messages' release then releases) each record's buffers,
    /// and in a 10,000-record batch those are no longer in the CPU cache, so each retain or release was a miss.
    private func bufferMessages(_ polled: consuming [ConsumerMessage]) {
        var messages = polled
        var start = 0
        while start < messages.count {
            let topic = messages[start].topic
            let partition = messages[start].partition
            var end = start + 1
            while end < messages.count, messages[end].partition == partition, messages[end].topic == topic {
                end += 1
            }
            if let task = taskByPartition[TopicPartition(topic: topic, partition: partition)] {
                var records: [RawRecord] = []
                records.reserveCapacity(end - start)
                for index in start..<end { records.append(Self.takeRawRecord(&messages[index])) }
                task.add(records, topic: topic)
            } else {
                logger.warning("dropping \(end - start) records of unassigned \(topic)-\(partition)")
            }
            start = end
        }
    }

    /// `message` as a record, its key, value and headers moved out of it (left `nil` and empty).
    private static func takeRawRecord(_ message: inout ConsumerMessage) -> RawRecord {
        var headers: [KafkaHeader] = []
        swap(&headers, &message.headers)
        return RawRecord(
            topic: message.topic, partition: message.partition, offset: message.offset, key: message.key.take(),
            value: message.value.take(), timestamp: message.timestamp,
            headers: headers.isEmpty ? [] : headers.map { Header(key: $0.key, value: $0.value) })
    }

    /// Whether the broker may hold records of a partition that the consumer has not returned yet, judged from
    /// the watermarks of the latest fetch response (no request is made). Before the first fetch response the
    /// answer is yes: the partition's lag is unknown, and guessing "empty" would make replays order-dependent.
    private func brokerHasMore(_ source: (topic: String, partition: Int32)) -> Bool {
        guard let marks = consumer.cachedWatermarks(topic: source.topic, partition: source.partition) else {
            return true
        }
        let partition = TopicPartition(topic: source.topic, partition: source.partition)
        var position = (try? consumer.position([partition]))?.first?.offset ?? -1
        if position < 0 {
            // Nothing returned yet since assignment: reading starts at the committed offset, or the log start.
            position = max(startOffsets[partition] ?? -1, marks.low)
        }
        return marks.high > position
    }

    /// Delivery failures after the producer's retries are production errors.
    private func checkDeliveries() throws {
        let errors = producer.pollDeliveryErrors()
        guard let first = errors.first else { return }
        if config.errorPolicies.production == .fail {
            throw first
        }
        logger.error("\(errors.count) records could not be delivered; first: \(first)")
    }

    /// Restores and initializes the tasks created since the last loop iteration, in task order.
    private func restoreNewTasks() throws {
        guard !tasksToRestore.isEmpty, let restorer else { return }
        for id in tasksToRestore.sorted() {
            guard let task = tasks[id] else { continue }
            try restorer.restore(task)
            try task.initialize()
            storeRegistry?.markRunning(task, topology: topology)
        }
        tasksToRestore.removeAll()
    }

    /// Steps (1)–(4) of the commit protocol; see the type's documentation.
    private func commit() throws {
        lastCommitMs = clock.nowMs()
        let commitStart = ContinuousClock.now
        // (1) Stores hand their pending changelog records (the latest per key) to the producer.
        for id in tasks.keys.sorted() where !tasksToRestore.contains(id) { try tasks[id]!.sendPendingChangelogs() }
        // (2) Every output, changelog and dead-letter record acknowledged.
        try producer.flush(timeout: .seconds(60))
        try checkDeliveries()
        // (3) Input offsets of records taken.
        var offsets: [TopicPartitionOffset] = []
        var byTask: [(StreamTask, [(topic: String, partition: Int32, offset: Int64)])] = []
        for id in tasks.keys.sorted() {
            let task = tasks[id]!
            let entries = task.committableOffsets()
            guard !entries.isEmpty else { continue }
            byTask.append((task, entries))
            offsets += entries.map { TopicPartitionOffset(topic: $0.topic, partition: $0.partition, offset: $0.offset) }
        }
        var committed: [TopicPartitionOffset] = []
        if !offsets.isEmpty {
            do {
                try consumer.commit(offsets)
                committed = offsets
                for (task, entries) in byTask { task.markCommitted(entries) }
                updateLag()
            } catch {
                guard Self.isRebalanceRace(error) else { throw error }
                // The group is rebalancing: the offsets stay pending and are committed on revocation or next
                // time. If this member loses the partitions first, the new owner re-processes them.
                logger.info("commit deferred by a rebalance: \(error)")
            }
        }
        // (4) Store data with the changelog offsets it reflects, whatever happened to the input offsets: the
        // checkpoint describes the store against its changelog, not against the inputs.
        let delivered = producer.deliveredOffsets()
        for id in tasks.keys.sorted() where !tasksToRestore.contains(id) {
            try tasks[id]!.checkpointStores { delivered[TopicPartition(topic: $0.topic, partition: $0.partition)] }
        }
        metrics.recordCommit(ContinuousClock.now - commitStart)
        metrics.publish(tasks: tasks, restoring: tasksToRestore, committed: committed) { [consumer] partition in
            consumer?.cachedWatermarks(topic: partition.topic, partition: partition.partition)
        }
    }

    /// Records between the consumer's position and the cached high watermark, over the assigned partitions.
    private func updateLag() {
        var total = 0
        for partition in taskByPartition.keys {
            guard let marks = consumer.cachedWatermarks(topic: partition.topic, partition: partition.partition),
                let position = (try? consumer.position([partition]))?.first?.offset, position >= 0
            else { continue }
            total += Int(max(0, marks.high - position))
        }
        lag.store(total, ordering: .relaxed)
    }

    /// Commit errors that mean "the group is moving", not "something is broken".
    static func isRebalanceRace(_ error: KafkaError) -> Bool {
         [22, 25, 27].contains(error.code)  // ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, REBALANCE_IN_PROGRESS
    }

    private func assigned(_ partitions: [TopicPartition]) {
        var byTask: [TaskID: [TopicPartition]] = [:]
        for partition in partitions {
            guard let subtopology = topology.subtopology(reading: partition.topic, applicationID: config.internalTopicPrefix)
            else { continue }
            byTask[TaskID(subtopology: subtopology.id, partition: partition.partition), default: []].append(partition)
        }
        for (id, taskPartitions) in byTask.sorted(by: { $0.key < $1.key }) {
            do {
                if tasks[id] == nil {
                    let task = try makeTask(id)
                    tasks[id] = task
                    tasksToRestore.insert(id)
                    storeRegistry?.register(task, topology: topology)
                }
                let task = tasks[id]!
                for partition in taskPartitions { taskByPartition[partition] = task }
            } catch {
                failure = error
            }
        }
        do {
            for entry in try consumer.committed(partitions, timeout: .seconds(10)) {
                startOffsets[entry.topicPartition] = entry.offset
            }
        } catch {
            logger.warning("could not read committed offsets at assignment: \(error)")
        }
        if !started {
            // Fetch nothing until every thread of the instance has its first assignment (StartupGate).
            do {
                try consumer.pause(partitions)
            } catch {
                logger.warning("could not pause partitions while waiting for the other threads: \(error)")
            }
        }
        currentPartitions.withLock { $0 = Array(taskByPartition.keys) }
        metrics.assigned(Dictionary(
            partitions.map { ($0, startOffsets[$0].flatMap { $0 >= 0 ? $0 : nil }) }, uniquingKeysWith: { first, _ in first }))
        let now = clock.nowMs()
        lastAssignmentMs.store(now, ordering: .relaxed)
        if firstAssignmentMs.compareExchange(expected: 0, desired: now, ordering: .relaxed).exchanged {
            startupGate.arrive()
        }
        logger.info("assigned \(partitions.count) partitions; tasks \(tasks.keys.sorted().map(\.description))")
    }

    private func makeTask(_ id: TaskID) throws -> StreamTask {
        let task = try StreamTask(
            id: id, topology: topology, applicationID: config.internalTopicPrefix, collector: collector, clock: clock,
            policies: config.errorPolicies, maxTaskIdleMs: config.maxTaskIdle.milliseconds, logger: logger,
            storeProvider: storeProvider, globalStores: globalStores)
        return task
    }

    private func revoked(_ partitions: [TopicPartition]) {
        do {
            try commit()
        } catch {
            logger.error("commit on revocation failed: \(error); records since the last commit will be re-processed")
        }
        var removedTasks: [TaskID] = []
        for partition in partitions {
            guard let task = taskByPartition.removeValue(forKey: partition) else { continue }
            if tasks.removeValue(forKey: task.id) != nil {
                storeRegistry?.deregister(task, topology: topology)
                task.close()
                removedTasks.append(task.id)
            }
            tasksToRestore.remove(task.id)
        }
        currentPartitions.withLock { $0 = Array(taskByPartition.keys) }
        metrics.removed(partitions: partitions, tasks: removedTasks)
        logger.info("revoked \(partitions.count) partitions")
    }

    private func closeAll() {
        metrics.removed(partitions: Array(taskByPartition.keys), tasks: Array(tasks.keys))
        for id in tasks.keys.sorted() {
            storeRegistry?.deregister(tasks[id]!, topology: topology)
            tasks[id]!.close()
        }
        currentPartitions.withLock { $0 = [] }
        tasks.removeAll()
        taskByPartition.removeAll()
        tasksToRestore.removeAll()
        restorer?.close()
        do {
            try consumer?.close()
        } catch {
            logger.warning("consumer close: \(error)")
        }
        do {
            try producer?.flush(timeout: .seconds(30))
        } catch {
            logger.warning("producer flush on close: \(error)")
        }
        producer?.close()
        // Release the librdkafka handles now (their threads stop), not when the app object goes away.
        consumer = nil
        collector = nil
        producer = nil
    }
}
