import Foundation
import Logging
import TributaryCore
import TributaryKafka
import TributaryRuntime

/// The `windowed-count` workload: per-key counts in 1-minute tumbling windows, emitted final, with RocksDB
/// stores and changelogs, against raw consumption of the same topic.
///
/// 1. Fills `bench.recentchange` with `records` real Wikimedia recent-change JSON values (the bundled
///    recordings, cycled, without their longest bookkeeping fields: about 600 bytes on average), keyed by one of 20 wikis (`wiki-00` … `wiki-19`, round
///    robin), with record timestamps advancing 10 ms per event (100 events per second of event time).
/// 2. Raw rate: one consumer reads every record (bytes copied into Swift arrays, nothing else).
/// 3. Topology rate, one stream thread: `groupByKey → windowedBy(1 min, grace 10 s) → count` into the RocksDB
///    window store `counts-1m` (changelogged), `suppress(untilWindowCloses)` (its buffer changelogged too), final
///    counts to `bench.window-counts`. Timed from the partition assignment to the last record processed. The
///    values are carried as bytes: event time is the record timestamp, not parsed from the JSON.
struct WindowedCountBenchmark {
    let records: Int
    let partitions: Int
    let dataDirectory: String
    let memoryBytes: Int

    static let applicationID = "bench-windowed"
    static let inputTopic = "bench.recentchange"
    static let outputTopic = "bench.window-counts"
    static let base: Int64 = 1_763_599_980_000

    func run() throws {
        let values = try loadValues()
        let cluster = try EmbeddedKafkaCluster(brokers: 1, defaultPartitions: partitions)
        defer { cluster.shutdown() }
        let topology = try Self.topology()
        try cluster.createTopic(Self.inputTopic, partitions: partitions)
        try cluster.createTopic(Self.outputTopic, partitions: partitions)
        for spec in topology.internalTopicSpecs(
            applicationID: Self.applicationID, externalPartitionCounts: [Self.inputTopic: partitions])
        {
            try cluster.createTopic(spec.topic, partitions: spec.partitions)
        }
        let bytes = try fill(cluster, values: values)
        print("filled \(records) records (\(bytes / 1_000_000) MB, \(bytes / records) bytes per value) into \(partitions) partitions")

        let filledRSS = PeakMemory.currentMegabytes()
        let raw = try RawConsumption.seconds(cluster, topic: Self.inputTopic, partitions: partitions, records: records)
        let rawRate = Double(records) / raw
        print(String(format: "raw consume:   %.0f records/s (%.2f s)", rawRate, raw))
        let beforeTopologyRSS = PeakMemory.currentMegabytes()
        let (seconds, peakRSS) = try measureTopology(cluster, topology: topology)
        print("rss: \(filledRSS) MB after the fill (the in-process broker holds the topic), \(beforeTopologyRSS) MB before "
            + "the topology, \(peakRSS) MB at most while it ran (sampled every ms)")
        let rate = Double(records) / seconds
        print(String(format: "topology:      %.0f records/s (%.2f s)", rate, seconds))
        let finals = try TopicReader.readAll(
            topic: Self.outputTopic, partitions: partitions, bootstrapServers: cluster.bootstrapServers)
        // 100 events/s, 20 keys round robin: every closed minute holds 300 events of each key.
        let full = finals.filter { (try? Serde<Int64>.int64.deserializeOptional($0.value)) == 300 }.count
        print("final window counts: \(finals.count) (\(full) with exactly 300 events)")
        try cluster.checkHealthy()
        print(String(
            format: "RESULT workload=windowed-count records=%d seconds=%.3f rate=%.0f raw_rate=%.0f ratio=%.3f peak_rss_mb=%d state_memory_mb=%d",
            records, seconds, rate, rawRate, rate / rawRate, PeakMemory.megabytes(), memoryBytes >> 20))
    }

    static func topology() throws -> Topology {
        let builder = StreamsBuilder()
        builder.stream(inputTopic, key: .string, value: .bytes, named: "events")
            .groupByKey(key: .string, value: .bytes)
            .windowedBy(.ofSizeAndGrace(size: .seconds(60), grace: .seconds(10)))
            .count(named: "count-per-minute", materializedAs: "counts-1m")
            .suppress(.untilWindowCloses, named: "final-counts")
            .toStream(named: "finals")
            .selectKey(named: "wiki") { windowed, _ in windowed.key }
            .to(outputTopic, key: .string, value: .optional(.int64), named: "finals-sink")
        return try builder.build()
    }

    /// The recorded events without the fields that make them long (schema URL, notify URL, script path, parsed
    /// HTML comment, stream bookkeeping in `meta`): about 600 bytes each, as the workload specifies.
    private func loadValues() throws -> [[UInt8]] {
        let files = try FileManager.default.contentsOfDirectory(atPath: dataDirectory)
            .filter { $0.hasSuffix(".jsonl") }.sorted()
        var values: [[UInt8]] = []
        for file in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: dataDirectory + "/" + file))
            for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
                guard var event = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else { continue }
                for field in ["$schema", "notify_url", "server_script_path", "parsedcomment"] { event[field] = nil }
                if var meta = event["meta"] as? [String: Any] {
                    for field in ["request_id", "stream", "topic", "partition", "offset"] { meta[field] = nil }
                    event["meta"] = meta
                }
                values.append(Array(try JSONSerialization.data(withJSONObject: event, options: [.sortedKeys])))
            }
        }
        guard !values.isEmpty else { throw BenchmarkError("no .jsonl recordings in \(dataDirectory)") }
        return values
    }

    private func fill(_ cluster: EmbeddedKafkaCluster, values: [[UInt8]]) throws -> Int {
        let producer = try KafkaProducer(config: [
            "bootstrap.servers": cluster.bootstrapServers, "linger.ms": "50", "batch.num.messages": "10000",
            "batch.size": "4000000", "queue.buffering.max.messages": "1000000",
        ])
        defer { producer.close() }
        let keys = (0..<20).map { Array(String(format: "wiki-%02d", $0).utf8) }
        var bytes = 0
        for index in 0..<records {
            let value = values[index % values.count]
            try producer.send(
                topic: Self.inputTopic, key: keys[index % keys.count], value: value,
                timestamp: Self.base + Int64(index) * 10)
            bytes += value.count
        }
        try producer.flush(timeout: .seconds(120))
        return bytes
    }


    private func measureTopology(_ cluster: EmbeddedKafkaCluster, topology: Topology) throws -> (Double, Int) {
        var config = StreamsConfig(applicationID: Self.applicationID, bootstrapServers: cluster.bootstrapServers)
        config.threads = 1
        config.commitInterval = .seconds(1)
        config.stateStoreMemoryBytes = memoryBytes
        config.stateDirectory = NSTemporaryDirectory() + "tributary-bench-windowed-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: config.stateDirectory) }
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let app = StreamsApp(topology: topology, config: config, logger: logger)
        try app.start()
        var peakStateMemory = 0
        var peakRSS = 0
        while app.recordsProcessed < records {
            Thread.sleep(forTimeInterval: 0.001)
            peakStateMemory = max(peakStateMemory, app.stateMemoryUsageBytes)
            peakRSS = max(peakRSS, PeakMemory.currentMegabytes())
        }
        let end = SystemWallClock().nowMs()
        print("rocksdb memory: peak \(peakStateMemory >> 20) MiB in use of the \(memoryBytes >> 20) MiB bound")
        let start = app.firstAssignmentMs!
        app.stop()
        try app.waitUntilStopped()
        return (Double(end - start) / 1000, peakRSS)
    }
}
