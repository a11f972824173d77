import Foundation
import Logging
import Synchronization
import TributaryCore
import TributaryKafka

/// Keeps the global stores of a topology (``Topology/globalStores``) filled with every partition of their topics.
///
/// One updater per process: ``bootstrap()`` assigns all partitions of every global topic from the beginning to
/// a manual-assign consumer (no group, nothing committed) and applies records until each partition reaches the
/// high watermark measured at the start, so the stores hold the whole topic before the stream threads process
/// anything; ``start()`` then keeps applying new records on its own thread until ``stop()``.
///
/// **Thread-safety.** The stores are ``SharedKeyValueStore``s: in-memory, every call under one lock. The updater's
/// thread is the only writer; stream tasks call `get` from their threads and see every write that completed
/// before the call. A task's lookups are therefore not synchronised with its stream's event time (a global table
/// is read as the updater last left it). The stores are not persisted: each start reads the topics again.
///
/// ``StreamsApp/start()`` calls `bootstrap()` and `start()` before it starts the stream threads, and each
/// `StreamThread` passes ``stores`` to its tasks; ``StreamsApp/stop()`` stops the updater.
package final class GlobalStateUpdater: Sendable {
    /// The global stores by name, to hand to every task.
    package let stores: [String: SharedKeyValueStore]
    private let storesByTopic: [String: SharedKeyValueStore]
    private let bootstrapServers: String
    private let clientID: String
    private let overrides: [String: String]
    private let batchSize: Int
    private let logger: Logger
    private let consumer: Mutex<KafkaConsumer?> = Mutex(nil)
    private let stopping = Atomic<Bool>(false)
    private let finished = Mutex<Bool>(false)
    /// Records applied since construction.
    package let recordsApplied = Atomic<Int>(0)

    package init(topology: Topology, config: StreamsConfig, logger: Logger) {
        var stores: [String: SharedKeyValueStore] = [:]
        var byTopic: [String: SharedKeyValueStore] = [:]
        for spec in topology.globalStores {
            let store = SharedKeyValueStore(name: spec.name)
            stores[spec.name] = store
            byTopic[spec.topic] = store
        }
        self.stores = stores
        self.storesByTopic = byTopic
        self.bootstrapServers = config.bootstrapServers
        self.clientID = "\(config.applicationID)-global"
        self.overrides = config.consumerOverrides
        self.batchSize = config.pollBatchSize
        self.logger = logger
    }

    /// Reads every global topic to the end measured now. Call before the stream threads start.
    package func bootstrap() throws {
        guard !storesByTopic.isEmpty else { return }
        var settings = [
            "bootstrap.servers": bootstrapServers, "client.id": clientID, "group.id": clientID,
            "enable.partition.eof": "false", "auto.offset.reset": "earliest",
        ]
        settings.merge(overrides) { _, override in override }
        let consumer = try KafkaConsumer(config: settings)
        let admin = try KafkaAdmin(config: ["bootstrap.servers": bootstrapServers])
        let metadata = try admin.metadata(timeout: .seconds(10))
        var assignment: [TopicPartitionOffset] = []
        var remaining: [TopicPartition: Int64] = [:]
        for topic in storesByTopic.keys.sorted() {
            guard let found = metadata.topic(named: topic), found.errorCode == 0, found.partitionCount > 0 else {
                throw TopologyError.missingSourceTopic(topic)
            }
            for partition in 0..<Int32(found.partitionCount) {
                assignment.append(TopicPartitionOffset(topic: topic, partition: partition, offset: TopicPartitionOffset.beginning))
                let (low, high) = try consumer.watermarks(topic: topic, partition: partition, timeout: .seconds(10))
                if high > low { remaining[TopicPartition(topic: topic, partition: partition)] = high }
            }
        }
        try consumer.assign(assignment)
        let clock = ContinuousClock()
        let started = clock.now
        var applied = 0
        while !remaining.isEmpty {
            for message in try consumer.poll(maxMessages: batchSize, timeout: .milliseconds(100)) {
                try apply(message)
                applied += 1
                let partition = TopicPartition(topic: message.topic, partition: message.partition)
                if let end = remaining[partition], message.offset + 1 >= end { remaining[partition] = nil }
            }
        }
        logger.info(
            "global stores bootstrapped",
            metadata: ["records": "\(applied)", "seconds": "\(clock.now - started)", "stores": "\(stores.keys.sorted())"])
        self.consumer.withLock { $0 = consumer }
    }

    /// Keeps applying new records of the global topics on a new thread, until ``stop()``.
    package func start() {
        guard consumer.withLock({ $0 != nil }) else { return }
        let thread = Thread { [self] in
            while !stopping.load(ordering: .acquiring) {
                do {
                    let messages = try consumer.withLock { consumer in
                        try consumer?.poll(maxMessages: batchSize, timeout: .milliseconds(100)) ?? []
                    }
                    for message in messages { try apply(message) }
                } catch {
                    logger.error("global state update failed; retrying", metadata: ["error": "\(error)"])
                    Thread.sleep(forTimeInterval: 0.1)
                }
            }
            consumer.withLock { consumer in
                try? consumer?.close()
                consumer = nil
            }
            finished.withLock { $0 = true }
        }
        thread.name = clientID
        thread.start()
    }

    /// Asks the update thread to stop; it closes its consumer within one poll timeout.
    package func stop() {
        stopping.store(true, ordering: .releasing)
    }

    /// Whether the update thread has stopped and closed its consumer.
    package var isFinished: Bool { finished.withLock { $0 } }

    private func apply(_ message: ConsumerMessage) throws {
        try storesByTopic[message.topic]?.apply(key: message.key, value: message.value)
        recordsApplied.add(1, ordering: .relaxed)
    }
}
