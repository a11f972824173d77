import Foundation
import GeoRiskTopology
import Logging
import TributaryConnectors
import TributaryCore
import TributaryKafka
import TributaryRuntime

/// The `georisk` workload: GeoRisk end to end on the embedded cluster, over the bundled real sample
/// (data/demo/georisk: 42 GDELT exports, 59,660 rows, and 2,973 Wikipedia edits spanning the same 10.5 hours)
/// replayed `rounds` times, each round 10.5 hours of event time after the previous one.
///
/// 1. Fills `gdelt.events` with the connector's JSON of every row (DATEADDED set to the batch's slot, the
///    batches back to back from 2025-05-16T02:00Z, as `ingest gdelt --as-consecutive-batches` writes them) and
///    `wikimedia.recentchange` with the edits shifted like `ingest wikimedia --rebase-time`; loads the gazetteer.
/// 2. Raw rate: one consumer reads every record of both input topics (bytes copied, nothing else).
/// 3. GeoRisk on one stream thread, both sides, the join, suppression, signals and tables, with RocksDB stores and
///    changelogs. Timed from the partition assignment until the last record (inputs and repartitioned) was
///    processed; the rate counts input records of both topics. Windows are closed by stream time only.
struct GeoRiskBenchmark {
    let rounds: Int
    let dataDirectory: String
    let memoryBytes: Int

    static let applicationID = "bench-georisk"
    static let start = ISO8601Timestamp.parse("2025-05-16T02:00:00Z")!
    static let windowMs: Int64 = 15 * 60 * 1000

    func run() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        defer { cluster.shutdown() }
        let topology = try prepare(cluster)
        let (gdeltRecords, wikiRecords) = try fill(cluster)
        let total = gdeltRecords + wikiRecords
        print("filled \(gdeltRecords) GDELT rows and \(wikiRecords) Wikipedia edits (\(rounds) rounds of the sample)")

        let raw = try RawConsumption.seconds(
            cluster, topics: [GeoRiskTopology.gdeltTopic, GeoRiskTopology.wikiTopic], partitions: 1, records: total)
        let rawRate = Double(total) / raw
        print(String(format: "raw consume:   %.0f records/s (%.2f s)", rawRate, raw))
        let (seconds, processed) = try measureTopology(cluster, topology: topology, inputs: total)
        let rate = Double(total) / seconds
        print(String(format: "GeoRisk:       %.0f input records/s (%.2f s; %d records processed with the repartitioned ones)", rate, seconds, processed))
        let signals = try TopicReader.readAll(
            topic: GeoRiskTopology.signalsTopic, partitions: 1, bootstrapServers: cluster.bootstrapServers)
        let late = try TopicReader.readAll(
            topic: GeoRiskTopology.deadLetterTopic, partitions: 1, bootstrapServers: cluster.bootstrapServers)
        print("signals: \(signals.count); dead letters: \(late.count)")
        try cluster.checkHealthy()
        print(String(
            format: "RESULT workload=georisk records=%d seconds=%.3f rate=%.0f raw_rate=%.0f ratio=%.3f peak_rss_mb=%d state_memory_mb=%d",
            total, seconds, rate, rawRate, rate / rawRate, PeakMemory.megabytes(), memoryBytes >> 20)
            + " signals=\(signals.count)")
    }

    /// Creates GeoRisk's topics on `cluster` and returns the topology (windows closed by stream time only).
    func prepare(_ cluster: EmbeddedKafkaCluster) throws -> Topology {
        let topology = try GeoRiskTopology.make(idleClose: nil)
        let external = [GeoRiskTopology.gdeltTopic, GeoRiskTopology.wikiTopic]
        for topic in external + [
            GeoRiskTopology.gazetteerTopic, GeoRiskTopology.signalsTopic, GeoRiskTopology.alertsTopic,
            GeoRiskTopology.gdeltWindowTopic, GeoRiskTopology.wikiWindowTopic, GeoRiskTopology.deadLetterTopic,
        ] {
            try cluster.createTopic(topic, partitions: 1)
        }
        for spec in topology.internalTopicSpecs(
            applicationID: Self.applicationID, externalPartitionCounts: Dictionary(uniqueKeysWithValues: external.map { ($0, 1) }))
        {
            try cluster.createTopic(spec.topic, partitions: spec.partitions)
        }
        return topology
    }

    /// Produces `rounds` copies of the sample and the gazetteer; returns the GDELT and Wikipedia record counts.
    func fill(_ cluster: EmbeddedKafkaCluster) throws -> (Int, Int) {
        let producer = try KafkaProducer(config: [
            "bootstrap.servers": cluster.bootstrapServers, "linger.ms": "50", "batch.num.messages": "10000",
            "batch.size": "4000000", "queue.buffering.max.messages": "1000000",
        ])
        defer { producer.close() }
        let gazetteer = try Gazetteer.load(path: "data/georisk/gazetteer.tsv")
        let encoder = JSONEncoder()
        for (code, entry) in gazetteer.entries {
            try producer.send(topic: GeoRiskTopology.gazetteerTopic, key: Array(code.utf8), value: Array(try encoder.encode(entry)))
        }

        let gdeltDirectory = dataDirectory + "/gdelt"
        let files = try FileManager.default.contentsOfDirectory(atPath: gdeltDirectory)
            .filter { $0.hasSuffix(".export.CSV.zip") }.sorted()
        let batches = try files.map { file in
            GDELTBatch(csv: try GDELTArchive.read(path: gdeltDirectory + "/" + file), source: file, slot: nil).events
        }
        let wikiLines = try String(contentsOfFile: dataDirectory + "/wikimedia/enwiki-20150912-wikiticker.jsonl", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let wikiTimes = try wikiLines.map { line in
            guard let dt = line.firstMatch(of: /"dt": ?"([^"]+)"/)?.1, let time = ISO8601Timestamp.parse(String(dt)) else {
                throw ValidationFailure(message: "no meta.dt in \(line.prefix(100))")
            }
            return time
        }
        let span = Int64(files.count) * Self.windowMs
        var gdeltRecords = 0
        var wikiRecords = 0
        for round in 0..<rounds {
            let roundStart = Self.start + Int64(round) * span
            for (index, events) in batches.enumerated() {
                let slotMs = roundStart + Int64(index) * Self.windowMs
                let slot = GDELTSlot.slot(slotMs)
                for event in events {
                    try producer.send(
                        topic: GeoRiskTopology.gdeltTopic, key: event.actionGeoCountryCode.map { Array($0.utf8) },
                        value: event.jsonBytes(dateAdded: slot), timestamp: slotMs)
                    gdeltRecords += 1
                }
            }
            let shift = roundStart - wikiTimes[0]
            for (line, time) in zip(wikiLines, wikiTimes) {
                let shifted = line.replacing(/"dt": ?"[^"]+"/, with: "\"dt\":\"\(ISO8601Timestamp.format(time + shift))\"")
                try producer.send(
                    topic: GeoRiskTopology.wikiTopic, key: nil, value: Array(shifted.utf8), timestamp: time + shift)
                wikiRecords += 1
            }
        }
        try producer.flush(timeout: .seconds(300))
        return (gdeltRecords, wikiRecords)
    }

    private func measureTopology(_ cluster: EmbeddedKafkaCluster, topology: Topology, inputs: Int) throws -> (Double, Int) {
        var config = StreamsConfig(applicationID: Self.applicationID, bootstrapServers: cluster.bootstrapServers)
        config.threads = 1
        config.stateStoreMemoryBytes = memoryBytes
        config.errorPolicies = GeoRiskTopology.errorPolicies
        config.stateDirectory = NSTemporaryDirectory() + "tributary-bench-georisk-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: config.stateDirectory) }
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let app = StreamsApp(topology: topology, config: config, logger: logger)
        try app.start()
        // Every input record, then quiet for 3 s: the repartitioned records are done too.
        while app.recordsProcessed < inputs || Self.nowMs() - (app.lastActivityMs ?? Self.nowMs()) < 3_000 {
            Thread.sleep(forTimeInterval: 0.01)
        }
        let started = app.firstAssignmentMs ?? 0
        let finished = app.lastProgressMs
        let processed = app.recordsProcessed
        app.stop()
        try app.waitUntilStopped()
        return (Double(finished - started) / 1000, processed)
    }

    private static func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    struct ValidationFailure: Error { let message: String }
}
