import Foundation
import Testing
import TributaryCore
import TributaryKafka
import WordCountTopology

@testable import TributaryRuntime

/// `StreamsApp.prometheusText()` after a real run of WordCount on the embedded cluster: the text parses as
/// Prometheus exposition format (scripts/check-prometheus-text.py), holds every series docs/operations.md lists
/// and the Grafana dashboard queries, counts what the test produced, and reports a lag of 0 once caught up.
@Suite(.serialized) struct MetricsRuntimeTests {
    static let app = "metrics-wc"
    static let partitions = 2
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test(.timeLimit(.minutes(3)))
    func metricsTextParsesCountsTheRunAndLagReachesZero() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        defer { cluster.shutdown() }
        let topology = try WordCountTopology.make()
        for topic in [WordCountTopology.inputTopic, WordCountTopology.totalsTopic, WordCountTopology.windowedTopic] {
            try cluster.createTopic(topic, partitions: Self.partitions)
        }
        for spec in topology.internalTopicSpecs(
            applicationID: Self.app, externalPartitionCounts: [WordCountTopology.inputTopic: Self.partitions])
        {
            try cluster.createTopic(spec.topic, partitions: spec.partitions)
        }
        let lines = (0..<400).map { index in ("line\(index)", "alpha beta w\(index % 23)") }
        let other = StreamsApp(topology: topology, config: RuntimeHarness.config(cluster, app: "other-app", threads: 1))
        #expect(!other.prometheusText().contains(Self.app), "a second app's registry is its own")
        let app = StreamsApp(topology: topology, config: RuntimeHarness.config(cluster, app: Self.app, threads: 2))
        try app.start()
        var stopped = false
        defer { if !stopped { app.stop(); try? app.waitUntilStopped() } }
        let deadline = ContinuousClock.now + .seconds(90)
        while app.firstAssignmentMs == nil && ContinuousClock.now < deadline { Thread.sleep(forTimeInterval: 0.05) }
        try RuntimeHarness.produce(lines, topic: WordCountTopology.inputTopic, cluster: cluster) { Int64(1_000 + $0 * 10) }
        let repartition = topology.topicName("words-repartition", applicationID: Self.app)
        for topic in [WordCountTopology.inputTopic, repartition] {
            let ends = try RuntimeHarness.highWatermarks(topic: topic, partitions: Self.partitions, cluster: cluster)
            #expect(try RuntimeHarness.waitForCommits(
                app, topic: topic, partitions: Self.partitions, ends: ends, cluster: cluster, until: deadline))
        }
        // Lag is published at each commit (every 200 ms here); a few commits after catching up it must be 0.
        Thread.sleep(forTimeInterval: 1.0)
        let text = app.prometheusText()
        let check = try Self.runChecker(
            text, arguments: ["--expect-zero-lag", "--dashboard", Self.repository.appendingPathComponent(
                "docs/grafana/tributary-dashboard.json").path, "--require", Self.allMetricNames.joined(separator: ",")])
        #expect(check.status == 0, "\(check.output)\n\(text)")

        let samples = Self.samples(text)
        // 400 lines in, 1,200 words through the repartition topic: every record taken is counted once.
        let taken = samples.filter { $0.name == "tributary_task_records_in_total" }.reduce(0) { $0 + $1.value }
        #expect(taken == 400 + 1_200)
        let lag = samples.filter { $0.name == "tributary_consumer_lag_records" }
        #expect(Set(lag.map { "\($0.labels["topic"]!)-\($0.labels["partition"]!)" }) == [
            "\(WordCountTopology.inputTopic)-0", "\(WordCountTopology.inputTopic)-1", "\(repartition)-0", "\(repartition)-1",
        ])
        let keys = samples.filter { $0.name == "tributary_store_estimated_keys" && $0.labels["store"] == "word-totals" }
        #expect(keys.count == Self.partitions)
        let running = samples.filter { $0.name == "tributary_thread_state" && $0.labels["state"] == "running" }
        #expect(running.map(\.value) == [1, 1])

        app.stop()
        try app.waitUntilStopped()
        stopped = true
        let after = Self.samples(app.prometheusText())
        #expect(after.filter { $0.name == "tributary_consumer_lag_records" }.isEmpty, "a stopped app owns no partitions")
        #expect(after.filter { $0.name == "tributary_thread_state" && $0.labels["state"] == "stopped" }.map(\.value) == [1, 1])

        // A second instance with empty local state restores every store from its changelog: the restore counters add
        // up to what the restorer applied, and nothing remains.
        var config = RuntimeHarness.config(cluster, app: Self.app, threads: 2)
        config.stateDirectory = RuntimeHarness.temporaryStateDirectory()
        let restored = StreamsApp(topology: topology, config: config)
        try restored.start()
        defer {
            restored.stop()
            try? restored.waitUntilStopped()
        }
        var restoreSamples: [(name: String, labels: [String: String], value: Double)] = []
        let restoreDeadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < restoreDeadline {
            Thread.sleep(forTimeInterval: 0.2)
            restoreSamples = Self.samples(restored.prometheusText())
            let running = restoreSamples.filter { $0.name == "tributary_thread_state" && $0.labels["state"] == "running" }
            if running.map(\.value) == [1, 1] && restored.recordsRestored > 0 { break }
        }
        let restoredTotal = restoreSamples.filter { $0.name == "tributary_restore_records_total" }.reduce(0) { $0 + $1.value }
        #expect(restoredTotal > 0 && restoredTotal == Double(restored.recordsRestored))
        let remaining = restoreSamples.filter { $0.name == "tributary_restore_remaining_records" }
        #expect(!remaining.isEmpty && remaining.allSatisfy { $0.value == 0 })
        #expect(Set(remaining.map { $0.labels["store"]! }).contains("word-totals"))
    }

    @Test(.timeLimit(.minutes(1)))
    func theCheckerRejectsTextThatIsNotPrometheusExposition() throws {
        for bad in [
            "tributary_x{application=\"a\" 1\n",  // unterminated labels
            "# TYPE tributary_x counter\ntributary_x{application=\"a\"} one\n",  // bad value
            "tributary_x{application=\"a\"} 1\ntributary_x{application=\"a\"} 2\n",  // duplicate series
            "# TYPE tributary_h histogram\ntributary_h_bucket{application=\"a\",le=\"1\"} 2\n"
                + "tributary_h_bucket{application=\"a\",le=\"+Inf\"} 1\ntributary_h_sum{application=\"a\"} 1\n"
                + "tributary_h_count{application=\"a\"} 1\n",  // buckets not cumulative
        ] {
            #expect(try Self.runChecker(bad, arguments: []).status == 1, "\(bad)")
        }
        #expect(try Self.runChecker("tributary_consumer_lag_records{application=\"a\"} 3\n", arguments: ["--expect-zero-lag"]).status == 1)
        #expect(try Self.runChecker("tributary_x{application=\"a\",t=\"q\\\"\"} 1\n", arguments: []).status == 0)
    }

    /// Every series docs/operations.md documents.
    static let allMetricNames = [
        "tributary_thread_state", "tributary_process_duration_seconds", "tributary_commit_duration_seconds",
        "tributary_consumer_lag_records", "tributary_task_records_in_total", "tributary_task_records_out_total",
        "tributary_task_records_dropped_total", "tributary_task_records_dead_lettered_total",
        "tributary_restore_records_total", "tributary_restore_remaining_records",
        "tributary_store_estimated_live_data_bytes", "tributary_store_estimated_keys",
    ]

    static func runChecker(_ text: String, arguments: [String]) throws -> (status: Int32, output: String) {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("metrics-\(UUID().uuidString).txt")
        try Data(text.utf8).write(to: input)
        defer { try? FileManager.default.removeItem(at: input) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", repository.appendingPathComponent("scripts/check-prometheus-text.py").path, input.path]
            + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Samples of a Prometheus text whose label values hold no quotes or commas (what this test exports).
    static func samples(_ text: String) -> [(name: String, labels: [String: String], value: Double)] {
        text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#"), let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...])
            else { return nil }
            let series = line[..<space]
            guard let brace = series.firstIndex(of: "{") else { return (String(series), [:], value) }
            var labels: [String: String] = [:]
            for pair in series[series.index(after: brace)..<series.index(before: series.endIndex)].split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                labels[String(parts[0])] = String(parts[1].dropFirst().dropLast())
            }
            return (String(series[..<brace]), labels, value)
        }
    }
}
