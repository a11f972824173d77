import Foundation
import Logging
import TributaryCore
import TributaryKafka
import TributaryRocksDB
import TributaryRuntime

/// The `restore` workload: rebuild a RocksDB key-value store from a changelog of `records` records, against raw
/// consumption of the same changelog partition.
///
/// 1. Fills the changelog `bench-restore-counts-changelog` (one partition, the task's) with `records` updates of
///    `keys` distinct keys (8-byte counts), as a count's changelog looks before compaction.
/// 2. Raw rate: one consumer reads the partition from the start (bytes copied into Swift arrays, nothing else).
/// 3. Restore rate: a task of a `count` topology with an empty state directory is restored by the runtime's
///    `StateRestorer` (the code path a restarted app runs), timed around the restoration itself; then the store
///    is checked against the counts the fill wrote.
struct RestoreBenchmark {
    let records: Int
    let keys: Int
    let memoryBytes: Int

    static let applicationID = "bench-restore"
    static let changelog = "bench-restore-counts-changelog"

    func run() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1, defaultPartitions: 1)
        defer { cluster.shutdown() }
        try cluster.createTopic("bench-restore-input", partitions: 1)
        try cluster.createTopic(Self.changelog, partitions: 1)
        let expected = try fill(cluster)
        print("filled \(records) changelog records of \(keys) keys")

        let raw = try RawConsumption.seconds(cluster, topic: Self.changelog, partitions: 1, records: records)
        let rawRate = Double(records) / raw
        print(String(format: "raw consume:   %.0f records/s (%.2f s)", rawRate, raw))

        let stateDirectory = NSTemporaryDirectory() + "tributary-bench-restore-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: stateDirectory) }
        let resources = RocksDBResources(options: RocksDBOptions(
            blockCacheBytes: memoryBytes, writeBufferBytes: memoryBytes / 4))
        let provider = RocksDBStoreProvider(
            stateDirectory: stateDirectory, applicationID: Self.applicationID, resources: resources)
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let task = try StreamTask(
            id: TaskID(subtopology: 0, partition: 0), topology: try Self.topology(), applicationID: Self.applicationID,
            collector: DiscardingCollector(), clock: SystemWallClock(), policies: ErrorPolicies(), maxTaskIdleMs: nil,
            logger: logger, storeProvider: provider)
        defer { task.close() }
        let restorer = try StateRestorer(
            bootstrapServers: cluster.bootstrapServers, clientID: "bench-restore", overrides: [:], batchSize: 10_000,
            logger: logger)
        defer { restorer.close() }
        let clock = ContinuousClock()
        let start = clock.now
        let applied = try restorer.restore(task)
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        guard applied == records else { throw BenchmarkError("restored \(applied) records, expected \(records)") }
        try verify(task, expected: expected)
        let rate = Double(records) / seconds
        print(String(format: "restore:       %.0f records/s (%.2f s); store verified (%d keys)", rate, seconds, expected.count))
        print(String(format: "rocksdb memory: cache %d MiB in use (bound %d MiB), memtables %d MiB",
                     resources.cacheUsageBytes >> 20, memoryBytes >> 20, resources.memtableUsageBytes >> 20))
        try cluster.checkHealthy()
        print(String(
            format: "RESULT workload=restore records=%d seconds=%.3f rate=%.0f raw_rate=%.0f ratio=%.3f peak_rss_mb=%d",
            records, seconds, rate, rawRate, rate / rawRate, PeakMemory.megabytes()))
    }

    static func topology() throws -> Topology {
        let builder = StreamsBuilder()
        builder.stream("bench-restore-input", key: .string, value: .string)
            .groupByKey(key: .string, value: .string)
            .count(materializedAs: "counts")
        return try builder.build()
    }

    /// Writes the changelog and returns the final count per key.
    private func fill(_ cluster: EmbeddedKafkaCluster) throws -> [String: Int64] {
        let producer = try KafkaProducer(config: [
            "bootstrap.servers": cluster.bootstrapServers, "linger.ms": "50", "batch.num.messages": "10000",
            "queue.buffering.max.messages": "1000000",
        ])
        defer { producer.close() }
        var counts: [String: Int64] = [:]
        for index in 0..<records {
            let key = "key-\(index % keys)"
            let count = (counts[key] ?? 0) + 1
            counts[key] = count
            try producer.send(
                topic: Self.changelog, partition: 0, key: Array(key.utf8),
                value: try Serde<Int64>.int64.serializeOptional(count), timestamp: Int64(index))
        }
        try producer.flush(timeout: .seconds(120))
        return counts
    }


    private func verify(_ task: StreamTask, expected: [String: Int64]) throws {
        guard let store = task.stores["counts"] as? KeyValueBytesStore else { throw BenchmarkError("no store 'counts'") }
        var found = 0
        for entry in try store.all() {
            let key = String(decoding: entry.key, as: UTF8.self)
            guard try Serde<Int64>.int64.deserializeOptional(entry.value) == expected[key] else {
                throw BenchmarkError("restored count of \(key) differs from the changelog's last value")
            }
            found += 1
        }
        guard found == expected.count else { throw BenchmarkError("restored \(found) keys, expected \(expected.count)") }
    }
}

/// A collector for a task that only restores: it must never send.
private final class DiscardingCollector: RecordCollector {
    func send(topic: String, partition: Int32?, key: [UInt8]?, value: [UInt8]?, timestamp: Int64, headers: [Header]) throws {
        throw BenchmarkError("the restore benchmark's task sent a record to \(topic)")
    }
}
