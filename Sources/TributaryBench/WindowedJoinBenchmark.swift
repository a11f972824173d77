import Foundation
import Logging
import TributaryCore
import TributaryKafka
import TributaryRuntime

/// The `windowed-join` workload: a stream-stream windowed join of two pre-filled topics with RocksDB window
/// stores and changelogs, on one stream thread, against raw consumption of both topics.
///
/// 1. Fills `bench.join-left` and `bench.join-right` with `records` records each, keyed round robin by one of 20
///    keys (`key-00` … `key-19`); the value of record `i` is `i` as 8 big-endian bytes. Left record `i` has time
///    `base + 6 s · i`, right record `i` has time `base + 6 s · i + 1 s`: one key's records are 120 s apart on
///    each side, so with a 1-minute join window every left record meets exactly its right partner (Δ = 1 s).
/// 2. Raw rate: one consumer reads every record of both topics (bytes copied into Swift arrays, nothing else).
/// 3. Topology rate, one stream thread: `left.join(right, |Δt| <= 1 min, grace 10 s)` (or `--kind left|outer`),
///    stores `pairs-left-store` / `pairs-right-store` (and `pairs-outer-store`), results (16 bytes: left value,
///    right value) to `bench.join-pairs`. Timed from the partition assignment to the last input record processed;
///    the rate counts input records of both topics.
struct WindowedJoinBenchmark {
    enum Kind: String, CaseIterable {
        case inner, left, outer
    }

    let records: Int
    let partitions: Int
    let kind: Kind
    let memoryBytes: Int

    static let applicationID = "bench-join"
    static let leftTopic = "bench.join-left"
    static let rightTopic = "bench.join-right"
    static let outputTopic = "bench.join-pairs"
    static let base: Int64 = 1_763_599_980_000
    static let spacingMs: Int64 = 6_000

    func run() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1, defaultPartitions: partitions)
        defer { cluster.shutdown() }
        let topology = try Self.topology(kind)
        for topic in [Self.leftTopic, Self.rightTopic, Self.outputTopic] {
            try cluster.createTopic(topic, partitions: partitions)
        }
        for spec in topology.internalTopicSpecs(
            applicationID: Self.applicationID,
            externalPartitionCounts: [Self.leftTopic: partitions, Self.rightTopic: partitions])
        {
            try cluster.createTopic(spec.topic, partitions: spec.partitions)
        }
        try fill(cluster)
        print("filled \(records) records into each of \(Self.leftTopic) and \(Self.rightTopic) (\(partitions) partitions)")
        let total = 2 * records

        let raw = try RawConsumption.seconds(
            cluster, topics: [Self.leftTopic, Self.rightTopic], partitions: partitions, records: total)
        let rawRate = Double(total) / raw
        print(String(format: "raw consume:   %.0f records/s (%.2f s)", rawRate, raw))
        let seconds = try measureTopology(cluster, topology: topology, total: total)
        let rate = Double(total) / seconds
        print(String(format: "topology:      %.0f records/s (%.2f s)", rate, seconds))
        let pairs = try TopicReader.readAll(
            topic: Self.outputTopic, partitions: partitions, bootstrapServers: cluster.bootstrapServers)
        // Every left record meets exactly its right partner: value = left index ++ right index, equal halves.
        let exact = pairs.filter { message in
            guard let value = message.value, value.count == 16 else { return false }
            return value[0..<8].elementsEqual(value[8..<16])
        }.count
        print("join results: \(pairs.count) (\(exact) pairing record i with its partner i; expected \(records))")
        try cluster.checkHealthy()
        print(String(
            format: "RESULT workload=windowed-join records=%d seconds=%.3f rate=%.0f raw_rate=%.0f ratio=%.3f peak_rss_mb=%d state_memory_mb=%d",
            total, seconds, rate, rawRate, rate / rawRate, PeakMemory.megabytes(), memoryBytes >> 20)
            + " kind=\(kind.rawValue) results=\(pairs.count)")
    }

    static func topology(_ kind: Kind) throws -> Topology {
        let builder = StreamsBuilder()
        let left = builder.stream(leftTopic, key: .string, value: .bytes, named: "left")
        let right = builder.stream(rightTopic, key: .string, value: .bytes, named: "right")
        let windows = JoinWindows.ofTimeDifferenceAndGrace(.seconds(60), .seconds(10))
        let pairs: KStream<String, [UInt8]>
        switch kind {
        case .inner:
            pairs = left.join(right, windows: windows, named: "pairs", key: .string, value: .bytes, otherValue: .bytes) {
                $0 + $1
            }
        case .left:
            pairs = left.leftJoin(right, windows: windows, named: "pairs", key: .string, value: .bytes, otherValue: .bytes) {
                $0 + ($1 ?? [])
            }
        case .outer:
            pairs = left.outerJoin(right, windows: windows, named: "pairs", key: .string, value: .bytes, otherValue: .bytes) {
                ($0 ?? []) + ($1 ?? [])
            }
        }
        pairs.to(outputTopic, key: .string, value: .bytes, named: "pairs-sink")
        return try builder.build()
    }

    private func fill(_ cluster: EmbeddedKafkaCluster) throws {
        let producer = try KafkaProducer(config: [
            "bootstrap.servers": cluster.bootstrapServers, "linger.ms": "50", "batch.num.messages": "10000",
            "batch.size": "4000000", "queue.buffering.max.messages": "1000000",
        ])
        defer { producer.close() }
        let keys = (0..<20).map { Array(String(format: "key-%02d", $0).utf8) }
        for index in 0..<records {
            var value: [UInt8] = []
            for shift in stride(from: 56, through: 0, by: -8) { value.append(UInt8(truncatingIfNeeded: index >> shift)) }
            let time = Self.base + Int64(index) * Self.spacingMs
            try producer.send(topic: Self.leftTopic, key: keys[index % keys.count], value: value, timestamp: time)
            try producer.send(topic: Self.rightTopic, key: keys[index % keys.count], value: value, timestamp: time + 1_000)
        }
        try producer.flush(timeout: .seconds(120))
    }

    private func measureTopology(_ cluster: EmbeddedKafkaCluster, topology: Topology, total: Int) throws -> Double {
        var config = StreamsConfig(applicationID: Self.applicationID, bootstrapServers: cluster.bootstrapServers)
        config.threads = 1
        config.commitInterval = .seconds(1)
        config.stateStoreMemoryBytes = memoryBytes
        config.stateDirectory = NSTemporaryDirectory() + "tributary-bench-join-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: config.stateDirectory) }
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let app = StreamsApp(topology: topology, config: config, logger: logger)
        try app.start()
        while app.recordsProcessed < total { Thread.sleep(forTimeInterval: 0.001) }
        let end = SystemWallClock().nowMs()
        let start = app.firstAssignmentMs!
        app.stop()
        try app.waitUntilStopped()
        return Double(end - start) / 1000
    }
}
