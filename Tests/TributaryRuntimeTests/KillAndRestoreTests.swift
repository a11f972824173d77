import Foundation
import Testing
import TributaryCore
import TributaryKafka
import TributaryRocksDB
import WordCountTopology

@testable import TributaryRuntime

/// The `wordcount` binary, run as a child process over 200,000 lines, killed with SIGKILL part-way, restarted
/// with its local state kept or deleted: its tables end equal to counts the test computes from the input.
///
/// **At-least-once accounting.** After a SIGKILL, records after the last committed input offset are processed
/// again, and restoration has already replayed their changelog writes, so a count may be too high by exactly the
/// records re-processed. The test measures that set after the kill: the input records at or after the group's
/// committed input offsets, plus the repartition records between its committed repartition offsets and the
/// repartition topic's end at the kill. Each word's (and each word-minute's) result must lie between the true
/// count and the true count plus that word's (word-minute's) share of those records. Without a crash every
/// result must be exact, and every minute emitted exactly once.
@Suite(.serialized) struct KillAndRestoreTests {
    enum Variant: String, CaseIterable, Sendable {
        case noCrash, killKeepState, killDeleteState
    }

    static let app = "kill-app"
    static let lines = 200_000
    static let partitions = 2
    static let repartition = "kill-app-words-repartition"
    static let minute: Int64 = 60_000
    static let base: Int64 = 1_763_599_980_000  // a whole minute since the epoch: windows align to it

    static func word(_ index: Int) -> String { "w\(index * 7 % 50)" }
    /// 100 lines per second of event time: 200,000 lines span 2,000 s, 34 one-minute windows.
    static func timestamp(_ index: Int) -> Int64 { base + Int64(index) * 10 }

    struct Counts {
        var totals: [String: Int64] = [:]
        var perMinute: [String: Int64] = [:]  // "word@minute"

        mutating func add(word: String, timestamp: Int64) {
            totals[word, default: 0] += 1
            perMinute["\(word)@\((timestamp - KillAndRestoreTests.base) / KillAndRestoreTests.minute)", default: 0] += 1
        }
    }

    @Test(.timeLimit(.minutes(5)), arguments: Variant.allCases)
    func tablesEqualIndependentCountsAfterARestart(variant: Variant) throws {
        let binary = GracefulShutdownTests.binDirectory.appendingPathComponent("wordcount")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            Issue.record("wordcount binary not found next to the test bundle in \(binary.path)")
            return
        }
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        defer { cluster.shutdown() }
        let topology = try WordCountTopology.make()
        for topic in [WordCountTopology.inputTopic, WordCountTopology.totalsTopic, WordCountTopology.windowedTopic] {
            try cluster.createTopic(topic, partitions: Self.partitions)
        }
        try cluster.createTopic("wordcount.dlq", partitions: 1)
        let specs = topology.internalTopicSpecs(
            applicationID: Self.app, externalPartitionCounts: [WordCountTopology.inputTopic: Self.partitions])
        for spec in specs { try cluster.createTopic(spec.topic, partitions: spec.partitions) }

        var expected = Counts()
        var records: [(String, String)] = []
        for index in 0..<Self.lines {
            expected.add(word: Self.word(index), timestamp: Self.timestamp(index))
            records.append(("line\(index)", Self.word(index)))
        }
        try RuntimeHarness.produce(records, topic: WordCountTopology.inputTopic, cluster: cluster) { Self.timestamp($0) }
        let inputEnds = try RuntimeHarness.highWatermarks(
            topic: WordCountTopology.inputTopic, partitions: Self.partitions, cluster: cluster)
        let stateDirectory = RuntimeHarness.temporaryStateDirectory()
        defer { try? FileManager.default.removeItem(atPath: stateDirectory) }

        var reprocessed = Counts()
        if variant != .noCrash {
            let child = try Self.start(binary, cluster: cluster, stateDirectory: stateDirectory)
            // Kill once about 40% of the input is committed: state, changelogs and outputs are all mid-stream.
            let deadline = ContinuousClock.now + .seconds(120)
            while ContinuousClock.now < deadline {
                Thread.sleep(forTimeInterval: 0.1)
                let committed = try RuntimeHarness.committedOffsets(
                    group: Self.app, topic: WordCountTopology.inputTopic, partitions: Self.partitions, cluster: cluster)
                if committed.values.reduce(0, +) >= Int64(Self.lines * 4 / 10) { break }
            }
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
            #expect(child.terminationReason == .uncaughtSignal)
            reprocessed = try Self.recordsAfterCommits(cluster: cluster)
            print("killed at \(try Self.committedTotal(cluster: cluster)) committed lines; up to \(reprocessed.totals.values.reduce(0, +)) records may be re-processed")
            if variant == .killDeleteState { try FileManager.default.removeItem(atPath: stateDirectory) }
        }

        let child = try Self.start(binary, cluster: cluster, stateDirectory: stateDirectory)
        #expect(try Self.waitUntilCaughtUp(cluster: cluster, inputEnds: inputEnds), "the restarted child did not catch up")
        child.terminate()
        child.waitUntilExit()
        #expect(child.terminationStatus == 0, "wordcount exited with \(child.terminationStatus) after SIGTERM")

        // The totals table, read from the child's own RocksDB stores after its clean stop.
        let totals = try Self.readTotalsStore(stateDirectory: stateDirectory, topology: topology)
        // The final per-minute counts: the last result per word-minute on wordcount.windowed.
        var perMinute: [String: Int64] = [:]
        var emissions: [String: Int] = [:]
        for message in try RuntimeHarness.readAll(WordCountTopology.windowedTopic, cluster: cluster) {
            let word = String(decoding: message.key ?? [], as: UTF8.self)
            let count = try JSONDecoder().decode(WindowedCount.self, from: Data(message.value ?? []))
            let key = "\(word)@\((count.startMs - Self.base) / Self.minute)"
            perMinute[key] = count.count
            emissions[key, default: 0] += 1
        }
        // The input's last minute is still open (no later record, no idle wall-clock close yet): not emitted.
        let lastMinute = (Self.timestamp(Self.lines - 1) - Self.base) / Self.minute
        let expectedMinutes = expected.perMinute.filter { !$0.key.hasSuffix("@\(lastMinute)") }

        if variant == .noCrash {
            #expect(totals == expected.totals)
            #expect(perMinute == expectedMinutes)
            #expect(emissions.values.allSatisfy { $0 == 1 }, "a minute was emitted more than once")
        } else {
            #expect(Set(totals.keys) == Set(expected.totals.keys))
            for (word, count) in expected.totals {
                let found = totals[word] ?? 0
                #expect(found >= count && found <= count + (reprocessed.totals[word] ?? 0),
                        "total of \(word): \(found), expected \(count) + at most \(reprocessed.totals[word] ?? 0)")
            }
            #expect(Set(perMinute.keys) == Set(expectedMinutes.keys))
            for (key, count) in expectedMinutes {
                let found = perMinute[key] ?? 0
                #expect(found >= count && found <= count + (reprocessed.perMinute[key] ?? 0),
                        "count of \(key): \(found), expected \(count) + at most \(reprocessed.perMinute[key] ?? 0)")
            }
        }
    }

    static func start(_ binary: URL, cluster: EmbeddedKafkaCluster, stateDirectory: String) throws -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = [
            "run", "--bootstrap-servers", cluster.bootstrapServers, "--application-id", app, "--state-dir", stateDirectory,
            "--consumer-property", "session.timeout.ms=6000", "--consumer-property", "heartbeat.interval.ms=500",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    static func committedTotal(cluster: EmbeddedKafkaCluster) throws -> Int64 {
        try RuntimeHarness.committedOffsets(
            group: app, topic: WordCountTopology.inputTopic, partitions: partitions, cluster: cluster
        ).values.reduce(0, +)
    }

    /// Input offsets and then repartition offsets all committed: every line counted and every result produced.
    static func waitUntilCaughtUp(cluster: EmbeddedKafkaCluster, inputEnds: [Int32: Int64]) throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(180)
        func reached(_ topic: String, _ ends: [Int32: Int64]) throws -> Bool {
            while ContinuousClock.now < deadline {
                if try RuntimeHarness.committedOffsets(group: app, topic: topic, partitions: partitions, cluster: cluster) == ends {
                    return true
                }
                Thread.sleep(forTimeInterval: 0.25)
            }
            return false
        }
        guard try reached(WordCountTopology.inputTopic, inputEnds) else { return false }
        let repartitionEnds = try RuntimeHarness.highWatermarks(topic: repartition, partitions: partitions, cluster: cluster)
        return try reached(repartition, repartitionEnds)
    }

    /// The records a restarted child may count a second time (see the type's documentation), by word and minute.
    static func recordsAfterCommits(cluster: EmbeddedKafkaCluster) throws -> Counts {
        var counts = Counts()
        for topic in [WordCountTopology.inputTopic, repartition] {
            let committed = try RuntimeHarness.committedOffsets(group: app, topic: topic, partitions: partitions, cluster: cluster)
            for message in try RuntimeHarness.readAll(topic, cluster: cluster)
            where message.offset >= max(0, committed[message.partition] ?? 0) {
                // Input values are the word; repartition records are keyed by it.
                let word = String(decoding: (topic == repartition ? message.key : message.value) ?? [], as: UTF8.self)
                counts.add(word: word, timestamp: message.timestamp)
            }
        }
        return counts
    }

    /// Every entry of the `word-totals` stores under the child's state directory (one per downstream task).
    static func readTotalsStore(stateDirectory: String, topology: Topology) throws -> [String: Int64] {
        let subtopology = try #require(topology.subtopologies.first { $0.storeNames.contains(WordCountTopology.totalsStore) })
        let resources = RocksDBResources()
        var totals: [String: Int64] = [:]
        for partition in 0..<Int32(partitions) {
            let task = TaskID(subtopology: subtopology.id, partition: partition)
            let path = "\(stateDirectory)/\(app)/\(task)/\(WordCountTopology.totalsStore)"
            let store = try RocksDBKeyValueBytesStore(name: WordCountTopology.totalsStore, path: path, resources: resources)
            defer { store.close() }
            for entry in try store.all() {
                totals[String(decoding: entry.key, as: UTF8.self)] = try Serde<Int64>.int64.deserializeOptional(entry.value)
            }
        }
        return totals
    }
}
