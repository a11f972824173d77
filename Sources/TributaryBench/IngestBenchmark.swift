import Foundation
import Logging
import TributaryConnectors
import TributaryKafka

/// The `ingest-gdelt` and `ingest-wikimedia` workloads: the connectors' replay paths (read, parse, produce to
/// the embedded cluster, wait for every acknowledgement), exactly as `tributary ingest ... --from-dir/--from-file
/// --speed max` runs them. GDELT replays the recorded directory `rounds` times (a fresh connector per round, each
/// round in its own consecutive slots). Wikimedia replays one file holding the recordings `rounds` times, as one
/// `--from-file` replay of a long recording: a replay completes (every record acknowledged) before it returns, so
/// replaying the two small bundled files 200 times measured 200 of those waits (about 5 ms each) rather than the
/// connector's rate. Timed from the first file read to the last acknowledgement; the cluster start and writing the
/// Wikimedia file are not counted.
struct IngestBenchmark {
    enum Source: String {
        case gdelt = "ingest-gdelt"
        case wikimedia = "ingest-wikimedia"
    }

    let source: Source
    let dataDirectory: String
    let rounds: Int
    let partitions: Int

    func run() throws {
        let topic = source == .gdelt ? "gdelt.events" : "wikimedia.recentchange"
        let cluster = try EmbeddedKafkaCluster(brokers: 1, defaultPartitions: partitions)
        defer { cluster.shutdown() }
        try cluster.createTopic(topic, partitions: partitions)
        try cluster.createTopic(topic + ".dlq", partitions: 1)
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let (records, seconds, deadLettered) = try measure(cluster: cluster, topic: topic, logger: logger)
        try cluster.checkHealthy()
        print(String(format: "%@: %d records produced in %.2f s, %d dead-lettered", source.rawValue, records, seconds, deadLettered))
        print(
            String(
                format: "RESULT workload=\(source.rawValue) records=%d seconds=%.3f rate=%.0f rounds=%d peak_rss_mb=%d",
                records, seconds, Double(records) / seconds, rounds, PeakMemory.megabytes()))
    }

    private func measure(cluster: EmbeddedKafkaCluster, topic: String, logger: Logger) throws -> (Int, Double, Int) {
        let output = try RecordOutput(topic: topic, bootstrapServers: cluster.bootstrapServers)
        defer { output.close() }
        let metrics = ConnectorMetrics(name: source.rawValue)
        let files = try FileManager.default.contentsOfDirectory(atPath: dataDirectory).sorted()
        let recording = source == .wikimedia ? try writeRecording(files.filter { $0.hasSuffix(".jsonl") }) : nil
        defer { if let recording { try? FileManager.default.removeItem(atPath: recording) } }
        let clock = ContinuousClock()
        let start = clock.now
        switch source {
        case .gdelt:
            for round in 0..<rounds {
                // A fresh connector per round (no state), each round shifted to its own consecutive slots.
                let connector = try GDELTConnector(output: output, configuration: .init(), logger: logger, metrics: metrics)
                let startSlot = Int64(1_900_000_000_000) + Int64(round) * Int64(files.count + 1) * GDELTSlot.intervalMilliseconds
                try connector.replay(directory: dataDirectory, timeShift: .consecutiveBatches(startMilliseconds: startSlot))
            }
        case .wikimedia:
            let connector = try WikimediaConnector(output: output, configuration: .init(), logger: logger, metrics: metrics)
            try connector.replay(file: recording!, rebaseTo: nil)
        }
        try output.flush()
        let elapsed = clock.now - start
        let snapshot = metrics.snapshot
        guard snapshot.produced > 0 else { throw BenchmarkError("nothing produced from \(dataDirectory)") }
        return (
            snapshot.produced, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            snapshot.deadLettered
        )
    }

    /// Writes the `.jsonl` recordings `files`, `rounds` times over, into one temporary file; returns its path.
    private func writeRecording(_ files: [String]) throws -> String {
        guard !files.isEmpty else { throw BenchmarkError("no .jsonl recordings in \(dataDirectory)") }
        var contents = Data()
        for file in files {
            var data = try Data(contentsOf: URL(fileURLWithPath: dataDirectory + "/" + file))
            if data.last != UInt8(ascii: "\n") { data.append(UInt8(ascii: "\n")) }
            contents.append(data)
        }
        let path = NSTemporaryDirectory() + "tributary-bench-ingest-\(UUID().uuidString).jsonl"
        var repeated = Data(capacity: contents.count * rounds)
        for _ in 0..<rounds { repeated.append(contents) }
        try repeated.write(to: URL(fileURLWithPath: path))
        return path
    }
}
