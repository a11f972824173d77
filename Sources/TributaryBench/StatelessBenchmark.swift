import Foundation
import Logging
import TributaryCore
import TributaryKafka
import TributaryRuntime
import WikiEditsTopology

/// The `stateless` workload: WikiEdits over real recorded events, against raw consumption of the same topic.
///
/// 1. Fills `wikimedia.recentchange` on an embedded cluster with `records` events, cycling through the bundled
///    recordings (`data/wikimedia/*.jsonl`), keyed by wiki.
/// 2. Raw rate: one `KafkaConsumer` reads every record of the topic (bytes copied into Swift arrays, nothing
///    else), from the first record to the last.
/// 3. Topology rate: WikiEdits on one stream thread (JSON decoding, filter, pseudonymisation, JSON encoding,
///    producing to `wikimedia.edits`), timed from the partition assignment to the last record processed, so
///    the consumer group's 3 s join delay is not counted. Both rates include fetching from the first offset.
struct StatelessBenchmark {
    let records: Int
    let partitions: Int
    let dataDirectory: String
    /// `wikiedits`, or `passthrough` (bytes in, bytes out: the engine's own cost without JSON).
    let topologyName: String

    func run() throws {
        let lines = try loadRecordings()
        let cluster = try EmbeddedKafkaCluster(brokers: 1, defaultPartitions: partitions)
        defer { cluster.shutdown() }
        try cluster.createTopic(WikiEditsTopology.inputTopic, partitions: partitions)
        try cluster.createTopic(WikiEditsTopology.outputTopic, partitions: partitions)
        try cluster.createTopic(WikiEditsTopology.deadLetterTopic, partitions: 1)
        let inputBytes = try fill(cluster, lines: lines)
        print("filled \(records) records (\(inputBytes / 1_000_000) MB) into \(partitions) partitions")

        let raw = try RawConsumption.seconds(cluster, topic: WikiEditsTopology.inputTopic, partitions: partitions, records: records)
        print(String(format: "raw consume:   %.0f records/s (%.2f s)", Double(records) / raw, raw))
        let (processed, seconds) = try measureTopology(cluster)
        let rate = Double(processed) / seconds
        let rawRate = Double(records) / raw
        print(String(format: "topology:      %.0f records/s (%.2f s, %d records)", rate, seconds, processed))
        try cluster.checkHealthy()
        print(
            String(
                format: "RESULT workload=stateless-\(topologyName) records=%d seconds=%.3f rate=%.0f raw_rate=%.0f ratio=%.3f peak_rss_mb=%d",
                records, seconds, rate, rawRate, rate / rawRate, PeakMemory.megabytes()))
    }

    private func loadRecordings() throws -> [(key: [UInt8], value: [UInt8])] {
        let files = try FileManager.default.contentsOfDirectory(atPath: dataDirectory)
            .filter { $0.hasSuffix(".jsonl") }.sorted()
        var lines: [(key: [UInt8], value: [UInt8])] = []
        for file in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: dataDirectory + "/" + file))
            for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
                let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
                lines.append((Array(((object?["wiki"] as? String) ?? "").utf8), Array(line)))
            }
        }
        guard !lines.isEmpty else { throw BenchmarkError("no .jsonl recordings in \(dataDirectory)") }
        return lines
    }

    private func fill(_ cluster: EmbeddedKafkaCluster, lines: [(key: [UInt8], value: [UInt8])]) throws -> Int {
        let producer = try KafkaProducer(config: [
            "bootstrap.servers": cluster.bootstrapServers, "linger.ms": "50", "batch.num.messages": "10000",
            "batch.size": "4000000", "queue.buffering.max.messages": "1000000",
        ])
        defer { producer.close() }
        var bytes = 0
        for index in 0..<records {
            let line = lines[index % lines.count]
            try producer.send(topic: WikiEditsTopology.inputTopic, key: line.key, value: line.value)
            bytes += line.value.count
        }
        try producer.flush(timeout: .seconds(120))
        return bytes
    }


    private func makeTopology() throws -> Topology {
        guard topologyName == "passthrough" else { return try WikiEditsTopology.make(perMinuteCounts: false) }
        let builder = StreamsBuilder()
        builder.stream(WikiEditsTopology.inputTopic, key: .optional(.bytes), value: .bytes)
            .to(WikiEditsTopology.outputTopic, key: .optional(.bytes), value: .bytes)
        return try builder.build()
    }

    private func measureTopology(_ cluster: EmbeddedKafkaCluster) throws -> (Int, Double) {
        var config = StreamsConfig(applicationID: "bench-wikiedits", bootstrapServers: cluster.bootstrapServers)
        config.threads = 1
        config.errorPolicies = WikiEditsTopology.errorPolicies
        config.commitInterval = .seconds(1)
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let app = StreamsApp(topology: try makeTopology(), config: config, logger: logger)
        try app.start()
        while app.recordsProcessed < records { Thread.sleep(forTimeInterval: 0.001) }
        let end = SystemWallClock().nowMs()
        let start = app.firstAssignmentMs!
        app.stop()
        try app.waitUntilStopped()
        return (records, Double(end - start) / 1000)
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
