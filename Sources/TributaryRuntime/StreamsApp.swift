import Foundation
import Logging
import Synchronization
import TributaryCore
import TributaryKafka
import TributaryQuery
import TributaryRocksDB

/// Runs a topology against Kafka with `config.threads` stream threads.
///
/// ```swift
/// let app = StreamsApp(topology: try WikiEditsTopology.make(),
///                      config: StreamsConfig(applicationID: "wikiedits", bootstrapServers: "localhost:9092"))
/// try app.start()
/// try app.waitUntilStopped()   // until stop() or a failure
/// ```
/// ``start()`` checks that every source topic exists and that topics read by one sub-topology have equal
/// partition counts, and throws a ``TopologyError`` naming the topics otherwise.
public final class StreamsApp: @unchecked Sendable {
    // `threads`, `runners` and `config.internalTopicGeneration` are set once in start() before any thread runs, then
    // only read.
    /// The topology this app runs.
    public let topology: Topology
    /// The configuration (at start, ``StreamsConfig/internalTopicGeneration`` is set from the cluster).
    public private(set) var config: StreamsConfig
    private let logger: Logger
    private var threads: [StreamThread] = []
    private var runners: [Thread] = []
    private let finished = DispatchGroup()
    private let failures = Mutex<[any Error]>([])
    /// The RocksDB memory shared by this instance's stores; set once in start().
    private var stateResources: RocksDBResources?
    /// Fills the global tables' stores; set once in start().
    private var globalUpdater: GlobalStateUpdater?
    /// This instance's id in the instances topic: ``StreamsConfig/instanceID`` or a UUID made now.
    public let instanceID: String
    /// The stores the query port reads, registered by the stream threads.
    private let storeRegistry = StoreRegistry()
    /// Announces this instance and reads the others; set once in start().
    private var announcer: InstanceAnnouncer?
    /// Serves the query port; set once in start() when configured.
    private var queryServer: QueryServer?
    /// The port the query port listens on (useful with port 0); `nil` without one or before start.
    public private(set) var queryPort: Int?
    /// The advertised query endpoint; set once in start().
    private var queryEndpoint: String?
    /// Partition counts of the external source topics; set once in start().
    private var inputPartitionCounts: [String: Int] = [:]
    private let stopping = Atomic<Bool>(false)
    /// This app's own metrics registry (never the process-wide `MetricsSystem`).
    private let metrics: StreamsMetrics
    /// Set once `threads` is complete; the query port, the announcer and stop() read `threads` only after
    /// seeing it, since they may run while start() is still making the threads.
    private let threadsReady = Atomic<Bool>(false)

    /// Creates an app; nothing connects until ``start()``.
    public init(topology: Topology, config: StreamsConfig, logger: Logger = Logger(label: "tributary")) {
        self.topology = topology
        self.config = config
        var appLogger = logger
        appLogger[metadataKey: "app"] = "\(config.applicationID)"
        self.logger = appLogger
        self.instanceID = config.instanceID ?? UUID().uuidString.lowercased()
        metrics = StreamsMetrics(applicationID: config.applicationID)
    }

    /// This app's metrics in the Prometheus text exposition format (version 0.0.4), for a `/metrics` endpoint.
    ///
    /// Every series is named `tributary_...` and labelled with `application` (and `thread`, `task`, `topic`,
    /// `partition`, `store` as they apply); docs/operations.md lists them. Each app keeps its own registry, so
    /// several apps in one process report separately. Counters and latencies cover the app's whole life; gauges of
    /// partitions, tasks and stores are present only while a stream thread of this app owns them. Safe to call
    /// from any thread, before, during and after a run.
    public func prometheusText() -> String { metrics.prometheusText() }

    /// Validates the source topics, reads the instances topic (refusing a partition set that overlaps a live
    /// instance), opens the query port if configured, and starts the stream threads.
    public func start() throws {
        inputPartitionCounts = try validateSourceTopics()
        let partitionSet = try checkedPartitionSet()
        let announcer = try InstanceAnnouncer(
            config: config, instanceID: instanceID, refreshInterval: config.instanceRefreshInterval,
            entry: { [unowned self] in self.instanceEntry() }, logger: logger)
        announcer.inputPartitionCounts = inputPartitionCounts
        self.announcer = announcer
        do {
            try announcer.bootstrap()
            if let partitionSet { try refuseOverlap(partitionSet, directory: announcer.directory) }
            if let options = config.queryPort { try startQueryPort(options, directory: announcer.directory) }
            try startThreads(partitionSet: partitionSet)
        } catch {
            // Nothing announced yet: no tombstone; the port (if open) closes.
            globalUpdater?.stop()
            announcer.stop()
            queryServer?.stop()
            throw error
        }
        announcer.start()
        let mode = partitionSet.map { "on partitions \(PartitionSet.format($0))" } ?? "in group mode"
        logger.info("started \(threads.count) stream threads as instance \(instanceID) \(mode)")
        logUncoveredPartitions(directory: announcer.directory, own: partitionSet)
    }

    private func startThreads(partitionSet: [Int32]?) throws {
        // Global tables: read every global topic to its end before any stream thread starts, then keep updating.
        let globalUpdater = GlobalStateUpdater(topology: topology, config: config, logger: logger)
        try globalUpdater.bootstrap()
        globalUpdater.start()
        self.globalUpdater = globalUpdater
        // In partition-set mode each thread takes every threadCount-th partition of the set.
        let threadCount = partitionSet.map { min(max(1, config.threads), $0.count) } ?? max(1, config.threads)
        let barrier = ShutdownBarrier(parties: threadCount)
        let gate = StartupGate(
            parties: threadCount, nowMs: SystemWallClock().nowMs(), maxWait: config.startupAssignmentWait)
        let resources = RocksDBResources(options: RocksDBOptions(
            blockCacheBytes: config.stateStoreMemoryBytes, writeBufferBytes: config.stateStoreMemoryBytes / 4))
        stateResources = resources
        let storeProvider = RocksDBStoreProvider(
            stateDirectory: config.stateDirectory, applicationID: config.applicationID, resources: resources)
        for index in 0..<threadCount {
            let thread = StreamThread(
                index: index, topology: topology, config: config, storeProvider: storeProvider,
                startupGate: gate, shutdownBarrier: barrier, metrics: metrics.thread(index), logger: logger)
            thread.globalStores = globalUpdater.stores
            thread.storeRegistry = storeRegistry
            thread.partitionSet = partitionSet.map { set in set.indices.filter { $0 % threadCount == index }.map { set[$0] } }
            threads.append(thread)
            finished.enter()
            let runner = Thread { [self] in
                do {
                    try thread.run()
                } catch {
                    self.failures.withLock { $0.append(error) }
                    self.logger.critical("stream thread \(index) stopped: \(error)")
                }
                self.finished.leave()
            }
            runner.name = "\(config.applicationID)-StreamThread-\(index)"
            runners.append(runner)
        }
        threadsReady.store(true, ordering: .sequentiallyConsistent)
        // A stop() that ran while the threads were being made saw no threads: pass its request on now.
        if stopping.load(ordering: .sequentiallyConsistent) { for thread in threads { thread.requestShutdown() } }
        for runner in runners { runner.start() }
    }

    /// Asks every thread to commit and close. Returns at once; see ``waitUntilStopped()``.
    public func stop() {
        // With startThreads(): whichever of the two flags is set second sees the other, so a stop during start
        // is never lost (the signal handler may call this while start() runs).
        stopping.store(true, ordering: .sequentiallyConsistent)
        if threadsReady.load(ordering: .sequentiallyConsistent) {
            for thread in threads { thread.requestShutdown() }
        }
        globalUpdater?.stop()
    }

    /// Blocks until every thread has stopped; throws the first thread failure, after stopping the others.
    public func waitUntilStopped() throws {
        while finished.wait(timeout: .now() + .milliseconds(200)) == .timedOut {
            if failures.withLock({ !$0.isEmpty }) { stop() }
        }
        globalUpdater?.stop()
        stopping.store(true, ordering: .relaxed)
        // Clean shutdown: the tombstone tells the others at once; then the port closes.
        announcer?.stop()
        queryServer?.stop()
        if let failure = failures.withLock({ $0.first }) { throw failure }
    }

    /// Records taken from source partitions since start, over all threads.
    public var recordsProcessed: Int { threads.reduce(0) { $0 + $1.recordsProcessed.load(ordering: .relaxed) } }

    /// Bytes of the shared RocksDB block cache in use now, memtables included (bounded by
    /// ``StreamsConfig/stateStoreMemoryBytes``); 0 before start.
    public var stateMemoryUsageBytes: Int { stateResources?.cacheUsageBytes ?? 0 }

    /// Changelog records applied to stores by restoration since start, over all threads.
    public var recordsRestored: Int {
        threads.reduce(0) { $0 + ($1.restorer?.recordsRestored.load(ordering: .relaxed) ?? 0) }
    }

    /// Wall-clock seconds the threads spent restoring stores since start (summed over threads).
    public var secondsRestoring: Double {
        Double(threads.reduce(Int64(0)) { $0 + ($1.restorer?.millisecondsRestoring.load(ordering: .relaxed) ?? 0) }) / 1000
    }

    /// Wall-clock ms at which any thread last processed a record; 0 before the first.
    public var lastProgressMs: Int64 { threads.map { $0.lastProgressMs.load(ordering: .relaxed) }.max() ?? 0 }

    /// Wall-clock ms at which the last of the threads got its first assignment; `nil` until all have one.
    public var firstAssignmentMs: Int64? {
        let firsts = threads.map { $0.firstAssignmentMs.load(ordering: .relaxed) }
        guard !firsts.isEmpty, firsts.allSatisfy({ $0 > 0 }) else { return nil }
        return firsts.max()
    }

    /// Wall-clock ms of the latest processed record or partition assignment, or now while a thread is processing;
    /// `nil` until every thread has had its first assignment (before that, an idle app is still joining its
    /// group, not done).
    public var lastActivityMs: Int64? {
        let assignments = threads.map { $0.lastAssignmentMs.load(ordering: .relaxed) }
        guard !assignments.isEmpty, assignments.allSatisfy({ $0 > 0 }) else { return nil }
        if threads.contains(where: { $0.isProcessing.load(ordering: .relaxed) }) {
            return Int64(Date().timeIntervalSince1970 * 1000)
        }
        return max(lastProgressMs, assignments.max()!)
    }

    private func validateSourceTopics() throws -> [String: Int] {
        let admin = try KafkaAdmin(config: ["bootstrap.servers": config.bootstrapServers])
        let metadata: ClusterMetadata
        do {
            metadata = try admin.metadata(timeout: .seconds(10))
        } catch {
            throw StreamsAppError.clusterUnreachable(bootstrapServers: config.bootstrapServers, underlying: error)
        }
        let generationTopic = InternalTopicGeneration.topic(applicationID: config.applicationID)
        if let found = metadata.topic(named: generationTopic), found.errorCode == 0 {
            config.internalTopicGeneration = try InternalTopicGeneration.read(
                applicationID: config.applicationID, bootstrapServers: config.bootstrapServers,
                partitions: found.partitionCount)
            if config.internalTopicGeneration > 0 {
                logger.info(
                    "internal topics are in generation \(config.internalTopicGeneration) (\(config.internalTopicPrefix)-...), set by tributary replay")
            }
        }
        var external: [String: Int] = [:]
        for subtopology in topology.subtopologies {
            var counts: [String: Int] = [:]
            for topic in subtopology.sourceTopics where !topology.internalTopics.contains(topic) {
                guard let found = metadata.topic(named: topic), found.errorCode == 0, found.partitionCount > 0 else {
                    throw TopologyError.missingSourceTopic(topic)
                }
                counts[topic] = found.partitionCount
            }
            if Set(counts.values).count > 1 {
                throw TopologyError.notCopartitioned(subtopology: subtopology.id, partitions: counts)
            }
            try topology.checkPartitioning(partitionCounts: counts)
            external.merge(counts) { first, _ in first }
        }
        try ensureInternalTopics(externalPartitionCounts: external, metadata: metadata, admin: admin)
        try ensureInstancesTopic(metadata: metadata, admin: admin)
        return external
    }

    /// Every internal topic (repartition and changelog) must have exactly one partition per task of its
    /// sub-topology. Missing ones are created with the admin API (changelogs compacted); a broker without
    /// CreateTopics (the embedded mock) gets a clear error instead of an auto-created topic with the wrong
    /// partition count.
    private func ensureInternalTopics(externalPartitionCounts: [String: Int], metadata: ClusterMetadata, admin: KafkaAdmin)
        throws
    {
        let specs = topology.internalTopicSpecs(
            applicationID: config.internalTopicPrefix, externalPartitionCounts: externalPartitionCounts)
        for (topic, partitions, topicConfig) in specs {
            if let found = metadata.topic(named: topic), found.errorCode == 0 {
                guard found.partitionCount == partitions else {
                    throw StreamsAppError.internalTopicPartitions(
                        topic: topic, found: found.partitionCount, expected: partitions)
                }
                continue
            }
            do {
                try admin.createTopics(
                    [NewTopic(name: topic, partitions: partitions, replicationFactor: -1, config: topicConfig)],
                    timeout: .seconds(10))
                logger.info("created internal topic \(topic) with \(partitions) partitions")
            } catch {
                throw StreamsAppError.internalTopicMissing(
                    topic: topic, partitions: partitions, config: topicConfig, underlying: error)
            }
        }
    }
}

extension StreamsApp {
    /// The state `/health` and the instances topic report.
    var instanceState: InstanceState {
        if stopping.load(ordering: .relaxed) { return .stopping }
        guard threadsReady.load(ordering: .acquiring) else { return .starting }
        if threads.isEmpty || threads.contains(where: { $0.firstAssignmentMs.load(ordering: .relaxed) == 0 }) {
            return .starting
        }
        return storeRegistry.anyRestoring ? .restoring : .running
    }

    /// This instance's entry for the instances topic (its `updatedMs` is set when written).
    func instanceEntry() -> InstanceInfo {
        var partitions: [String: [Int]] = [:]
        for thread in threadsReady.load(ordering: .acquiring) ? threads : [] {
            for partition in thread.currentPartitions.withLock({ $0 }) {
                partitions[partition.topic, default: []].append(Int(partition.partition))
            }
        }
        let external = Set(inputPartitionCounts.keys)
        partitions = partitions.filter { external.contains($0.key) }.mapValues { $0.sorted() }
        return InstanceInfo(
            id: instanceID, endpoint: queryEndpoint, mode: config.partitionSet == nil ? .group : .partitionSet,
            partitionSet: config.partitionSet.map { $0.map(Int.init) }, partitions: partitions,
            stores: storeRegistry.storeInfos(), state: instanceState,
            lag: (threadsReady.load(ordering: .acquiring) ? threads : []).reduce(0) { $0 + $1.lag.load(ordering: .relaxed) },
            updatedMs: 0)
    }

    /// The partition set, checked against the input topics' partition counts; `nil` in group mode.
    private func checkedPartitionSet() throws -> [Int32]? {
        guard let set = config.partitionSet else { return nil }
        guard !set.isEmpty else { throw StreamsAppError.invalidPartitionSet("", reason: "the set is empty") }
        for (topic, count) in inputPartitionCounts.sorted(by: { $0.key < $1.key }) {
            let outside = set.filter { Int($0) >= count }
            if !outside.isEmpty { throw StreamsAppError.partitionSetOutOfRange(partitions: outside, topic: topic, partitionCount: count) }
        }
        return set
    }

    /// Throws if a live instance (other than this id) processes or pins a partition of `set`.
    private func refuseOverlap(_ set: [Int32], directory: InstanceDirectory) throws {
        let mine = Set(set.map(Int.init))
        for other in directory.live(nowMs: SystemWallClock().nowMs()) where other.id != instanceID {
            let theirs = Set((other.partitionSet ?? []) + other.partitions.values.flatMap { $0 })
            let overlap = mine.intersection(theirs)
            if !overlap.isEmpty {
                throw StreamsAppError.partitionSetOverlap(
                    instance: other.id, endpoint: other.endpoint, overlap: overlap.sorted().map { Int32($0) })
            }
        }
    }

    /// Logs the input partitions that no live instance (this one's set included) processes.
    private func logUncoveredPartitions(directory: InstanceDirectory, own: [Int32]?) {
        let now = SystemWallClock().nowMs()
        var uncovered = directory.uncoveredPartitions(partitionCounts: inputPartitionCounts, nowMs: now)
        if let own {
            uncovered = uncovered.mapValues { $0.filter { !own.contains(Int32($0)) } }.filter { !$0.value.isEmpty }
        } else {
            uncovered = [:]  // the group assigns every partition to some member
        }
        for (topic, partitions) in uncovered.sorted(by: { $0.key < $1.key }) {
            logger.warning("no live instance processes partitions \(PartitionSet.format(partitions.map { Int32($0) })) of \(topic); start an instance with --partitions covering them")
        }
    }

    private func startQueryPort(_ options: QueryPortOptions, directory: InstanceDirectory) throws {
        var portConfig = QueryPortConfiguration(
            port: options.port, instanceID: instanceID, host: options.host, token: options.token)
        portConfig.retryAfterSeconds = max(1, Int(config.instanceRefreshInterval.milliseconds / 1000))
        // A store has one partition per task of its sub-topology, as many as its changelog.
        let internalCounts = Dictionary(
            topology.internalTopicSpecs(applicationID: config.internalTopicPrefix, externalPartitionCounts: inputPartitionCounts)
                .map { ($0.topic, $0.partitions) }) { first, _ in first }
        let stores = topology.stores.values.map { spec -> StoreDescription in
            let partitions = internalCounts[spec.changelogTopic(applicationID: config.internalTopicPrefix)]
                ?? inputPartitionCounts.values.max() ?? 1
            return StoreDescription(spec, partitions: partitions)
        }
        let handler = QueryHandler(
            configuration: portConfig, stores: stores, inputPartitions: inputPartitionCounts, registry: storeRegistry,
            directory: directory, health: { [unowned self] in self.instanceState }, metrics: { [unowned self] in self.prometheusText() })
        let server = QueryServer(handler: handler, host: options.host, port: options.port, logger: logger)
        let port = try server.start()
        queryServer = server
        queryPort = port
        queryEndpoint = options.advertisedEndpoint ?? "\(options.host):\(port)"
    }

    /// The compacted one-partition `<app>-instances` topic. Created with the admin API when missing; a broker
    /// without CreateTopics (the embedded mock, whose topics are created by whoever hosts it) auto-creates it on
    /// first use instead, which is harmless: only partition 0 is ever written or read.
    private func ensureInstancesTopic(metadata: ClusterMetadata, admin: KafkaAdmin) throws {
        let topic = InstanceAnnouncer.topic(applicationID: config.applicationID)
        if let found = metadata.topic(named: topic), found.errorCode == 0 { return }
        do {
            try admin.createTopics(
                [NewTopic(name: topic, partitions: 1, replicationFactor: -1, config: ["cleanup.policy": "compact"])],
                timeout: .seconds(1))
            logger.info("created internal topic \(topic) with 1 partition")
        } catch {
            logger.warning("could not create \(topic) (\(error)); it will be auto-created on first use")
        }
    }
}
