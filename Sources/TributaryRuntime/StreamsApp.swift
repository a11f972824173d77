import Foundation
import Logging
import Synchronization
import TributaryCore
import TributaryKafka
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
    /// This app's own metrics registry (never the process-wide `MetricsSystem`).
    private let metrics: StreamsMetrics

    /// Creates an app; nothing connects until ``start()``.
    public init(topology: Topology, config: StreamsConfig, logger: Logger = Logger(label: "tributary")) {
        self.topology = topology
        self.config = config
        var appLogger = logger
        appLogger[metadataKey: "app"] = "\(config.applicationID)"
        self.logger = appLogger
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

    /// Validates the source topics and starts the stream threads.
    public func start() throws {
        try validateSourceTopics()
        // Global tables: read every global topic to its end before any stream thread starts, then keep updating.
        let globalUpdater = GlobalStateUpdater(topology: topology, config: config, logger: logger)
        try globalUpdater.bootstrap()
        globalUpdater.start()
        self.globalUpdater = globalUpdater
        let barrier = ShutdownBarrier(parties: max(1, config.threads))
        let gate = StartupGate(
            parties: max(1, config.threads), nowMs: SystemWallClock().nowMs(), maxWait: config.startupAssignmentWait)
        let resources = RocksDBResources(options: RocksDBOptions(
            blockCacheBytes: config.stateStoreMemoryBytes, writeBufferBytes: config.stateStoreMemoryBytes / 4))
        stateResources = resources
        let storeProvider = RocksDBStoreProvider(
            stateDirectory: config.stateDirectory, applicationID: config.applicationID, resources: resources)
        for index in 0..<max(1, config.threads) {
            let thread = StreamThread(
                index: index, topology: topology, config: config, storeProvider: storeProvider,
                startupGate: gate, shutdownBarrier: barrier, metrics: metrics.thread(index), logger: logger)
            thread.globalStores = globalUpdater.stores
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
        for runner in runners { runner.start() }
        logger.info("started \(threads.count) stream threads")
    }

    /// Asks every thread to commit and close. Returns at once; see ``waitUntilStopped()``.
    public func stop() {
        for thread in threads { thread.requestShutdown() }
        globalUpdater?.stop()
    }

    /// Blocks until every thread has stopped; throws the first thread failure, after stopping the others.
    public func waitUntilStopped() throws {
        while finished.wait(timeout: .now() + .milliseconds(200)) == .timedOut {
            if failures.withLock({ !$0.isEmpty }) { stop() }
        }
        globalUpdater?.stop()
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

    /// Wall-clock ms of the latest processed record or partition assignment; `nil` until every thread has had
    /// its first assignment (before that, an idle app is still joining its group, not done).
    public var lastActivityMs: Int64? {
        let assignments = threads.map { $0.lastAssignmentMs.load(ordering: .relaxed) }
        guard !assignments.isEmpty, assignments.allSatisfy({ $0 > 0 }) else { return nil }
        return max(lastProgressMs, assignments.max()!)
    }

    private func validateSourceTopics() throws {
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
