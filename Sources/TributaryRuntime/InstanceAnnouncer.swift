import Foundation
import Logging
import Synchronization
import TributaryCore
import TributaryKafka
import TributaryQuery

/// Keeps this instance's entry in the instances topic `<application id>-instances` and reads everyone's.
///
/// The topic is compacted, has one partition and is keyed by instance id; values are ``InstanceInfo`` JSON.
/// The announcer writes this instance's entry every `refreshInterval`, and within about 100 ms of any change
/// of the entry other than its time; ``stop()`` writes a tombstone. It reads the topic from the beginning into
/// an ``InstanceDirectory``, which treats entries older than 3 × `refreshInterval` as gone.
///
/// Runs on its own OS thread; ``bootstrap()`` reads the topic to its end before the stream threads start, so
/// a partition-set instance sees the live instances before it claims partitions.
final class InstanceAnnouncer: @unchecked Sendable {
    // `producer`, `consumer` and `lastAnnounced` are used by the announcer thread between start() and stop();
    // by the caller's thread before start() (bootstrap) and after the thread has finished (stop()).
    static func topic(applicationID: String) -> String { "\(applicationID)-instances" }

    let directory: InstanceDirectory
    private let topic: String
    private let instanceID: String
    private let refreshMs: Int64
    private let entry: @Sendable () -> InstanceInfo
    private let logger: Logger
    /// Set to `nil` by ``stop()`` once the thread is done, so librdkafka's threads end with it.
    private var producer: KafkaProducer!
    private var consumer: KafkaConsumer!
    private let stopRequested = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private var lastAnnounced: (info: InstanceInfo, atMs: Int64)?
    /// Whether ``start()`` ran (then ``stop()`` waits for the thread).
    private var started = false
    /// Partition counts of the input topics, for logging partitions no live instance covers.
    var inputPartitionCounts: [String: Int] = [:]
    private var lastUncovered: [String: [Int]] = [:]

    /// Connects; reads nothing until ``bootstrap()``.
    /// - Parameter entry: this instance's current entry (its `updatedMs` is set when it is written).
    init(
        config: StreamsConfig, instanceID: String, refreshInterval: Duration,
        entry: @escaping @Sendable () -> InstanceInfo, logger: Logger
    ) throws {
        topic = Self.topic(applicationID: config.applicationID)
        self.instanceID = instanceID
        refreshMs = max(1, refreshInterval.milliseconds)
        directory = InstanceDirectory(selfID: instanceID, staleAfterMs: 3 * refreshMs)
        self.entry = entry
        self.logger = logger
        var producerConfig = [
            "bootstrap.servers": config.bootstrapServers, "client.id": "\(config.applicationID)-\(instanceID)-announcer",
            "linger.ms": "5",
        ]
        producerConfig.merge(config.producerOverrides) { _, override in override }
        producer = try KafkaProducer(config: producerConfig)
        var consumerConfig = [
            "bootstrap.servers": config.bootstrapServers, "group.id": "\(config.applicationID)-instances-reader",
            "client.id": "\(config.applicationID)-\(instanceID)-instances-reader", "enable.partition.eof": "false",
        ]
        consumerConfig.merge(config.consumerOverrides) { _, override in override }
        consumer = try KafkaConsumer(config: consumerConfig)
        consumer.onError = { [logger] error in logger.warning("instances topic reader: \(error)") }
    }

    /// Reads the instances topic from the beginning to its current end (at most `timeout`).
    func bootstrap(timeout: Duration = .seconds(10)) throws {
        try consumer.assign([TopicPartitionOffset(topic: topic, partition: 0, offset: TopicPartitionOffset.beginning)])
        let end = try consumer.watermarks(topic: topic, partition: 0, timeout: .seconds(10)).high
        let deadline = ContinuousClock.now + timeout
        var next: Int64 = 0
        while next < end, ContinuousClock.now < deadline {
            for message in try consumer.poll(maxMessages: 1000, timeout: .milliseconds(100)) {
                apply(message)
                next = message.offset + 1
            }
            if next < end, let position = try consumer.position([TopicPartition(topic: topic, partition: 0)]).first,
                position.offset >= end
            {
                next = end
            }
        }
        if next < end { logger.warning("read the instances topic to offset \(next) of \(end) within \(timeout)") }
    }

    /// Starts the thread that announces and reads.
    func start() {
        started = true
        let thread = Thread { [self] in
            announce()
            while !stopRequested.load(ordering: .relaxed) {
                do {
                    for message in try consumer.poll(maxMessages: 1000, timeout: .milliseconds(100)) { apply(message) }
                } catch {
                    logger.warning("instances topic: \(error)")
                }
                announceIfDue()
            }
            finished.signal()
        }
        thread.name = "\(topic)-announcer"
        thread.start()
    }

    /// Writes this instance's current entry now, and into the local directory.
    private func announce() {
        var info = entry()
        let now = SystemWallClock().nowMs()
        info.updatedMs = now
        directory.update(info)
        do {
            try producer.send(topic: topic, partition: 0, key: Array(instanceID.utf8), value: try info.jsonBytes())
            try producer.poll()
            lastAnnounced = (info, now)
        } catch {
            logger.warning("could not announce this instance on \(topic): \(error)")
        }
    }

    private func announceIfDue() {
        guard let last = lastAnnounced else { return announce() }
        var current = entry()
        current.updatedMs = last.info.updatedMs
        if current != last.info || SystemWallClock().nowMs() - last.atMs >= refreshMs {
            announce()
            // A stopping instance gives its partitions up on purpose: no warning about them.
            if current.state != .stopping { logUncoveredChanges() }
        }
    }

    /// Logs the input partitions no live instance processes, whenever that set changes.
    private func logUncoveredChanges() {
        let uncovered = directory.uncoveredPartitions(
            partitionCounts: inputPartitionCounts, nowMs: SystemWallClock().nowMs())
        guard uncovered != lastUncovered else { return }
        lastUncovered = uncovered
        if uncovered.isEmpty {
            logger.info("every input partition is processed by a live instance again")
        }
        for (topic, partitions) in uncovered.sorted(by: { $0.key < $1.key }) {
            let list = PartitionSet.format(partitions.map { Int32($0) })
            logger.warning("no live instance processes partitions \(list) of \(topic) (see /v1/metadata)")
        }
    }

    private func apply(_ message: ConsumerMessage) {
        guard let key = message.key.flatMap({ String(validating: $0, as: UTF8.self) }) else { return }
        // Our own entry is kept from what we wrote, not from the (possibly older) echo of the topic.
        guard key != instanceID else { return }
        do {
            try directory.apply(key: key, value: message.value)
        } catch {
            logger.warning("ignoring entry '\(key)' of \(topic) at offset \(message.offset): \(error)")
        }
    }

    /// Stops the thread and, if this instance announced itself, writes its tombstone and waits (at most 10 s)
    /// for its delivery; then closes the clients.
    func stop() {
        guard !stopRequested.exchange(true, ordering: .relaxed) else { return }
        if started, finished.wait(timeout: .now() + .seconds(5)) == .timedOut {
            logger.warning("the instances topic announcer did not stop within 5 s; leaving its clients open")
            return
        }
        if lastAnnounced != nil {
            writeTombstone()
        }
        producer.close()
        do { try consumer.close() } catch { logger.warning("instances topic reader close: \(error)") }
        // Release the librdkafka handles now (their threads stop), not when the app object goes away.
        producer = nil
        consumer = nil
    }

    private func writeTombstone() {
        do {
            try producer.send(topic: topic, partition: 0, key: Array(instanceID.utf8), value: nil)
            try producer.flush(timeout: .seconds(10))
        } catch {
            logger.warning("could not write the tombstone of this instance on \(topic): \(error)")
        }
    }
}

