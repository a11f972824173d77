import AdClicksTopology
import Foundation
import Testing
import TributaryCore
import TributaryKafka

@testable import TributaryRuntime

/// The AdClicks windowed left join on the embedded cluster, over two pre-filled topics whose arrival order is
/// not their timestamp order (every impression is produced before every click): the output equals the join the
/// test computes itself, identically over three runs with one and two stream threads, and stays complete when
/// the `adclicks` binary is killed with SIGKILL part-way and restarted.
@Suite(.serialized) struct JoinRuntimeTests {
    static let impressions = 6_000
    static let partitions = 2
    static let base: Int64 = 1_763_599_980_000
    /// A timestamp far enough after every impression that all their windows close (end + grace passed).
    static let closing: Int64 = base + 10_000_000

    struct Input {
        var impressions: [(key: String, value: String, timestamp: Int64)] = []
        var clicks: [(key: String, value: String, timestamp: Int64)] = []
    }

    /// Impressions every 100 ms; half are clicked 0–90 s later (so some clicks miss the 60 s window), every tenth
    /// twice; one closing impression per partition moves each task's stream time past every window.
    static func input() -> Input {
        var input = Input()
        for index in 0..<impressions {
            let time = base + Int64(index) * 100
            input.impressions.append(("imp\(index)", "ad\(index % 13)", time))
            if index % 2 == 0 {
                var delay = Int64(index * 7_919 % 90_000)
                if delay == 60_000 { delay += 1 }  // keep clear of the window's edge
                input.clicks.append(("imp\(index)", "click\(index)", time + delay))
            }
            if index % 10 == 0 { input.clicks.append(("imp\(index)", "again\(index)", time + 5_000)) }
        }
        // Each topic in time order, as a producer of real events writes it; the two topics still arrive one after
        // the other, not interleaved by time.
        input.clicks.sort { $0.timestamp < $1.timestamp }
        for partition in 0..<Int32(partitions) {
            let key = (0...).lazy.map { "closing\($0)" }.first {
                KeyPartitioner.partition(key: Array($0.utf8), count: partitions) == partition
            }!
            input.impressions.append((key, "closing", closing))
        }
        return input
    }

    /// The expected results per impression id, computed from the input alone: every click within 60 s either way
    /// gives "ad|click"; an impression with none gives "ad|no-click" (all windows are closed by the closing
    /// impressions, which themselves stay open and give nothing).
    static func expected(_ input: Input) -> [String: [String]] {
        var clicksByKey: [String: [(value: String, timestamp: Int64)]] = [:]
        for click in input.clicks { clicksByKey[click.key, default: []].append((click.value, click.timestamp)) }
        var results: [String: [String]] = [:]
        for impression in input.impressions where impression.value != "closing" {
            let matches = (clicksByKey[impression.key] ?? []).filter { abs($0.timestamp - impression.timestamp) <= 60_000 }
            results[impression.key] = matches.isEmpty
                ? ["\(impression.value)|\(AdClicksTopology.noClick)"]
                : matches.map { "\(impression.value)|\($0.value)" }.sorted()
        }
        return results
    }

    static func prepare(_ input: Input) throws -> EmbeddedKafkaCluster {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        for topic in [AdClicksTopology.impressionsTopic, AdClicksTopology.clicksTopic, AdClicksTopology.attributedTopic] {
            try cluster.createTopic(topic, partitions: partitions)
        }
        try cluster.createTopic("adclicks.dlq", partitions: 1)
        for spec in try AdClicksTopology.make().internalTopicSpecs(
            applicationID: "adclicks", externalPartitionCounts: [AdClicksTopology.impressionsTopic: partitions])
        {
            try cluster.createTopic(spec.topic, partitions: spec.partitions)
        }
        try produce(input.impressions, topic: AdClicksTopology.impressionsTopic, cluster: cluster)
        try produce(input.clicks, topic: AdClicksTopology.clicksTopic, cluster: cluster)
        return cluster
    }

    static func produce(
        _ records: [(key: String, value: String, timestamp: Int64)], topic: String, cluster: EmbeddedKafkaCluster
    ) throws {
        try RuntimeHarness.produce(records.map { ($0.key, $0.value) }, topic: topic, cluster: cluster) {
            records[$0].timestamp
        }
    }

    /// The output per partition, in offset order, as "key=value@timestamp".
    static func output(_ cluster: EmbeddedKafkaCluster) throws -> [Int32: [String]] {
        var byPartition: [Int32: [String]] = [:]
        for message in try RuntimeHarness.readAll(AdClicksTopology.attributedTopic, cluster: cluster) {
            let key = String(decoding: message.key ?? [], as: UTF8.self)
            let value = String(decoding: message.value ?? [], as: UTF8.self)
            byPartition[message.partition, default: []].append("\(key)=\(value)@\(message.timestamp)")
        }
        return byPartition
    }

    static func resultsByKey(_ output: [Int32: [String]]) -> [String: [String]] {
        var results: [String: [String]] = [:]
        for line in output.values.joined() {
            let key = String(line.prefix { $0 != "=" })
            let value = String(line.dropFirst(key.count + 1).prefix { $0 != "@" })
            results[key, default: []].append(value)
        }
        return results.mapValues { $0.sorted() }
    }

    @Test(.timeLimit(.minutes(4)))
    func theJoinEqualsTheIndependentJoinIdenticallyOverRunsAndThreadCounts() throws {
        let input = Self.input()
        let expected = Self.expected(input)
        var outputs: [[Int32: [String]]] = []
        for threads in [1, 2, 1] {
            let cluster = try Self.prepare(input)
            defer { cluster.shutdown() }
            var config = RuntimeHarness.config(cluster, app: "adclicks", threads: threads)
            config.errorPolicies = AdClicksTopology.errorPolicies
            let app = StreamsApp(topology: try AdClicksTopology.make(), config: config)
            #expect(try RuntimeHarness.runUntilCaughtUp(
                app, topic: AdClicksTopology.clicksTopic, partitions: Self.partitions, cluster: cluster,
                timeout: .seconds(60)))
            let output = try Self.output(cluster)
            #expect(Self.resultsByKey(output) == expected, "\(threads) thread(s)")
            outputs.append(output)
        }
        #expect(outputs[1] == outputs[0], "two threads gave another output than one")
        #expect(outputs[2] == outputs[0], "a second one-thread run gave another output")
        #expect(expected.values.joined().count(where: { $0.hasSuffix("|no-click") }) > 0)
    }

    @Test(.timeLimit(.minutes(4)))
    func aJoinKilledPartWayAndRestartedLosesNoResult() throws {
        let binary = GracefulShutdownTests.binDirectory.appendingPathComponent("adclicks")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            Issue.record("adclicks binary not found next to the test bundle in \(binary.path)")
            return
        }
        let input = Self.input()
        let cluster = try Self.prepare(input)
        defer { cluster.shutdown() }
        let stateDirectory = RuntimeHarness.temporaryStateDirectory()
        defer { try? FileManager.default.removeItem(atPath: stateDirectory) }
        func start() throws -> Process {
            let process = Process()
            process.executableURL = binary
            process.arguments = [
                "run", "--bootstrap-servers", cluster.bootstrapServers, "--state-dir", stateDirectory,
                "--consumer-property", "session.timeout.ms=6000", "--consumer-property", "heartbeat.interval.ms=500",
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        let ends = try RuntimeHarness.highWatermarks(
            topic: AdClicksTopology.impressionsTopic, partitions: Self.partitions, cluster: cluster)
        let total = ends.values.reduce(0, +)
        let first = try start()
        let deadline = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            let committed = try RuntimeHarness.committedOffsets(
                group: "adclicks", topic: AdClicksTopology.impressionsTopic, partitions: Self.partitions, cluster: cluster)
            if committed.values.reduce(0, +) >= total / 3 { break }
        }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        #expect(first.terminationReason == .uncaughtSignal)

        let second = try start()
        let clickEnds = try RuntimeHarness.highWatermarks(
            topic: AdClicksTopology.clicksTopic, partitions: Self.partitions, cluster: cluster)
        var caughtUp = false
        while !caughtUp && ContinuousClock.now < deadline + .seconds(60) {
            Thread.sleep(forTimeInterval: 0.25)
            caughtUp = try RuntimeHarness.committedOffsets(
                group: "adclicks", topic: AdClicksTopology.impressionsTopic, partitions: Self.partitions, cluster: cluster)
                == ends
                && RuntimeHarness.committedOffsets(
                    group: "adclicks", topic: AdClicksTopology.clicksTopic, partitions: Self.partitions, cluster: cluster)
                == clickEnds
        }
        second.terminate()
        second.waitUntilExit()
        #expect(caughtUp)
        #expect(second.terminationStatus == 0)

        // At-least-once: every expected result is there (re-processing after the kill may repeat some).
        let found = Self.resultsByKey(try Self.output(cluster))
        for (key, results) in Self.expected(input) {
            let got = found[key] ?? []
            for result in Set(results) {
                #expect(got.contains(result), "missing \(key)=\(result)")
            }
        }
    }
}
