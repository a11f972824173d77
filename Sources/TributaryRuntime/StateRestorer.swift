import Logging
import Synchronization
import TributaryCore
import TributaryKafka

/// Rebuilds the stores of newly assigned tasks from their changelog topics, before the tasks process.
///
/// For each logged store: read the changelog partition from the store's checkpoint (or from the log start
/// when the store has no local state) to the end offset measured when restoration starts, in batches, writing
/// each record into the store below its changelogging layer; then checkpoint the end offset with the data.
/// Runs on its stream thread with its own consumer (manual assignment, no group, nothing committed).
package final class StateRestorer {
    /// `nil` once closed.
    private var consumer: KafkaConsumer!
    private let logger: Logger
    private let batchSize: Int
    /// Changelog records applied since start, over all restorations of this thread.
    let recordsRestored = Atomic<Int>(0)
    /// Wall-clock milliseconds spent restoring since start.
    let millisecondsRestoring = Atomic<Int64>(0)
    /// Called on the restoring thread when a store's restoration starts, after each batch, and when it ends, with
    /// the task, the store, the records applied by that step and the changelog offsets still to read.
    var onProgress: ((_ task: TaskID, _ store: String, _ applied: Int, _ remaining: Int64) -> Void)?

    package init(bootstrapServers: String, clientID: String, overrides: [String: String], batchSize: Int, logger: Logger) throws {
        var config = [
            "bootstrap.servers": bootstrapServers, "client.id": clientID, "group.id": clientID,
            "enable.partition.eof": "false", "auto.offset.reset": "earliest",
        ]
        // The same thresholds as the stream consumer, for the same reason: with librdkafka's defaults the fetcher
        // stops whenever the queue fills and restoration waits on it.
        config.merge(ConsumerPrefetch.streamThreadDefaults) { _, value in value }
        config.merge(overrides) { _, override in override }
        consumer = try KafkaConsumer(config: config)
        self.batchSize = batchSize
        self.logger = logger
    }

    /// Restores every logged store of `task`; returns the number of changelog records applied.
    @discardableResult
    package func restore(_ task: StreamTask) throws -> Int {
        let clock = ContinuousClock()
        let started = clock.now
        var total = 0
        for partition in task.changelogPartitions {
            total += try restore(partition, of: task)
        }
        let elapsed = clock.now - started
        recordsRestored.add(total, ordering: .relaxed)
        millisecondsRestoring.add(elapsed.milliseconds, ordering: .relaxed)
        if !task.changelogPartitions.isEmpty {
            logger.info(
                "restored task \(task.id): \(total) changelog records in \(Self.seconds(elapsed)) s",
                metadata: ["task": "\(task.id)", "records": "\(total)"])
        }
        return total
    }

    private func restore(_ partition: ChangelogPartition, of task: StreamTask) throws -> Int {
        let marks = try consumer.watermarks(topic: partition.topic, partition: partition.partition, timeout: .seconds(30))
        let checkpoint = try task.restoreStart(partition)
        if let checkpoint, checkpoint > marks.high {
            throw StreamsAppError.checkpointBeyondChangelog(
                store: partition.store, task: task.id.description, checkpoint: checkpoint,
                changelogEnd: marks.high, topic: partition.topic)
        }
        let start = max(checkpoint ?? marks.low, marks.low)
        guard start < marks.high else {
            try task.finishRestoring(partition, nextOffset: marks.high)
            onProgress?(task.id, partition.store, 0, 0)
            return 0
        }
        onProgress?(task.id, partition.store, 0, marks.high - start)
        let origin = checkpoint == nil ? "no local state" : "local checkpoint"
        logger.info(
            "restoring store \(partition.store) of task \(task.id) from \(partition.topic)-\(partition.partition) offsets \(start)..<\(marks.high) (\(origin))")
        try consumer.assign([TopicPartitionOffset(topic: partition.topic, partition: partition.partition, offset: start)])
        defer { try? consumer.assign([]) }
        let clock = ContinuousClock()
        var lastLog = clock.now
        var applied = 0
        var next = start
        var idlePolls = 0
        while next < marks.high {
            let messages = try consumer.poll(maxMessages: batchSize, timeout: .milliseconds(500))
            if messages.isEmpty {
                // A compacted changelog may have no record at the offsets left; the position says how far we are.
                let position = try consumer.position([TopicPartition(topic: partition.topic, partition: partition.partition)])
                if let offset = position.first?.offset, offset >= marks.high { break }
                idlePolls += 1
                if idlePolls >= 120 {
                    throw StreamsAppError.restorationStalled(
                        topic: partition.topic, partition: partition.partition, reached: next, end: marks.high)
                }
                continue
            }
            idlePolls = 0
            var batch: [(key: [UInt8]?, value: [UInt8]?)] = []
            batch.reserveCapacity(messages.count)
            for message in messages where message.offset < marks.high {
                batch.append((message.key, message.value))
                next = message.offset + 1
            }
            try task.restore(partition, batch: batch)
            applied += batch.count
            onProgress?(task.id, partition.store, batch.count, marks.high - next)
            if let last = messages.last, last.offset >= marks.high - 1 { break }
            if clock.now - lastLog >= .seconds(5) {
                lastLog = clock.now
                logger.info("restoring \(partition.store) of task \(task.id): \(next - start) of \(marks.high - start) offsets")
            }
        }
        try task.finishRestoring(partition, nextOffset: marks.high)
        onProgress?(task.id, partition.store, 0, 0)
        return applied
    }

    package func close() {
        do {
            try consumer?.close()
        } catch {
            logger.warning("restore consumer close: \(error)")
        }
        consumer = nil
    }

    private static func seconds(_ duration: Duration) -> String {
        let ms = duration.milliseconds
        return "\(ms / 1000).\(String(format: "%03d", Int(ms % 1000)))"
    }
}
