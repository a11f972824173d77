import Foundation
import Testing
import TributaryCore
import TributaryKafka
import WordCountTopology

@testable import TributaryRuntime

/// `tributary replay` (``ApplicationReplay``) on the embedded cluster, which can neither describe groups, delete
/// topics nor list offsets by time: replay falls back to joining the group, a new generation of internal topics
/// and a binary search over record timestamps.
@Suite(.serialized) struct ReplayRuntimeTests {
    static let partitions = 2
    static let lines = (0..<300).map { index in ("line\(index)", "alpha beta w\(index % 17) x\(index % 5)") }

    /// Creates WordCount's topics for `app` in `generation` (the mock cannot create topics itself).
    static func createTopics(_ cluster: EmbeddedKafkaCluster, app: String, generation: Int, externals: Bool) throws {
        let topology = try WordCountTopology.make()
        if externals {
            for topic in [WordCountTopology.inputTopic, WordCountTopology.totalsTopic, WordCountTopology.windowedTopic] {
                try cluster.createTopic(topic, partitions: partitions)
            }
        }
        for spec in topology.internalTopicSpecs(
            applicationID: InternalTopicGeneration.prefix(applicationID: app, generation: generation),
            externalPartitionCounts: [WordCountTopology.inputTopic: partitions])
        {
            try cluster.createTopic(spec.topic, partitions: spec.partitions)
        }
    }

    /// Runs WordCount until its input and repartition offsets are committed to their ends.
    static func run(_ cluster: EmbeddedKafkaCluster, app: String, generation: Int, stateDirectory: String) throws {
        var config = RuntimeHarness.config(cluster, app: app, threads: 1)
        config.stateDirectory = stateDirectory
        let streams = StreamsApp(topology: try WordCountTopology.make(), config: config)
        let prefix = InternalTopicGeneration.prefix(applicationID: app, generation: generation)
        #expect(try RuntimeHarness.runUntilCaughtUp(
            streams, topic: WordCountTopology.inputTopic, partitions: partitions, cluster: cluster, timeout: .seconds(90),
            thenInternal: [("\(prefix)-words-repartition", partitions)]))
        #expect(streams.config.internalTopicGeneration == generation)
    }

    /// The latest value per key of `messages`.
    static func table(_ messages: [ConsumerMessage]) -> [String: String] {
        var table: [String: String] = [:]
        for message in messages {
            let key = String(decoding: message.key ?? [], as: UTF8.self)
            table[key] = message.value.map { String(decoding: $0, as: UTF8.self) } ?? "<deleted>"
        }
        return table
    }

    static func outputs(_ topic: String, _ cluster: EmbeddedKafkaCluster, after: [Int32: Int64] = [:]) throws -> [ConsumerMessage] {
        try RuntimeHarness.readAll(topic, cluster: cluster).filter { $0.offset >= after[$0.partition] ?? 0 }
    }

    @Test(.timeLimit(.minutes(5)))
    func replayToEarliestRecomputesIdenticalTablesAndChangelogsAndDryRunChangesNothing() throws {
        let app = "replay-wc"
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        defer { cluster.shutdown() }
        try Self.createTopics(cluster, app: app, generation: 0, externals: true)
        try RuntimeHarness.produce(Self.lines, topic: WordCountTopology.inputTopic, cluster: cluster) { Int64(1_000 + $0 * 1_000) }
        let stateDirectory = RuntimeHarness.temporaryStateDirectory()
        try Self.run(cluster, app: app, generation: 0, stateDirectory: stateDirectory)
        let totals1 = Self.table(try Self.outputs(WordCountTopology.totalsTopic, cluster))
        let windowed1 = try Self.outputs(WordCountTopology.windowedTopic, cluster)
        let changelog1 = Self.table(try Self.outputs("\(app)-word-totals-changelog", cluster))
        #expect(totals1["alpha"] == "300" && totals1["w3"] != nil)
        #expect(changelog1.count == totals1.count && !windowed1.isEmpty)
        let inputEnds = try RuntimeHarness.highWatermarks(
            topic: WordCountTopology.inputTopic, partitions: Self.partitions, cluster: cluster)
        let totalsEnds = try RuntimeHarness.highWatermarks(
            topic: WordCountTopology.totalsTopic, partitions: Self.partitions, cluster: cluster)
        let windowedEnds = try RuntimeHarness.highWatermarks(
            topic: WordCountTopology.windowedTopic, partitions: Self.partitions, cluster: cluster)

        // Dry run: the plan names every partition's move and the internal topics, and nothing changes.
        let replay = try ApplicationReplay(
            applicationID: app, bootstrapServers: cluster.bootstrapServers, target: .earliest, topics: nil,
            stateDirectory: stateDirectory)
        replay.requestTimeout = .seconds(3)
        let plan = try replay.plan()
        #expect(plan.resets.map(\.topic) == [WordCountTopology.inputTopic, WordCountTopology.inputTopic])
        #expect(plan.resets.map(\.current) == [inputEnds[0], inputEnds[1]])
        #expect(plan.resets.map(\.new) == [0, 0])
        #expect(plan.internalTopics.contains("\(app)-words-repartition"))
        #expect(plan.internalTopics.contains("\(app)-word-totals-changelog"))
        #expect(plan.stateDirectoryExists)
        #expect(plan.description.contains("\(WordCountTopology.inputTopic)-0: \(inputEnds[0]!) -> 0"), "\(plan)")
        #expect(try RuntimeHarness.committedOffsets(
            group: app, topic: WordCountTopology.inputTopic, partitions: Self.partitions, cluster: cluster) == inputEnds)
        #expect(cluster.partitionCount(of: InternalTopicGeneration.topic(applicationID: app)) == nil)
        #expect(FileManager.default.fileExists(atPath: plan.stateDirectory))

        // Replay: the mock cannot delete topics, so internal topics move to generation 1.
        let done = try replay.execute(plan)
        #expect(done.contains { $0.contains("generation 1") }, "\(done)")
        #expect(!FileManager.default.fileExists(atPath: plan.stateDirectory))
        #expect(try RuntimeHarness.committedOffsets(
            group: app, topic: WordCountTopology.inputTopic, partitions: Self.partitions, cluster: cluster) == [0: 0, 1: 0])

        try Self.createTopics(cluster, app: app, generation: 1, externals: false)
        try Self.run(cluster, app: app, generation: 1, stateDirectory: RuntimeHarness.temporaryStateDirectory())
        let totals2 = Self.table(try Self.outputs(WordCountTopology.totalsTopic, cluster, after: totalsEnds))
        let windowed2 = try Self.outputs(WordCountTopology.windowedTopic, cluster, after: windowedEnds)
        let changelog2 = Self.table(try Self.outputs("\(app)-g1-word-totals-changelog", cluster))
        #expect(totals2 == totals1)
        #expect(changelog2 == changelog1)
        #expect(Self.table(windowed2) == Self.table(windowed1))
        #expect(windowed2.count == windowed1.count)
    }

    @Test(.timeLimit(.minutes(3)))
    func replayRefusesWhileAnInstanceRunsOrAnnouncesItself() throws {
        let app = "replay-live"
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        defer { cluster.shutdown() }
        try Self.createTopics(cluster, app: app, generation: 0, externals: true)
        try RuntimeHarness.produce(Self.lines, topic: WordCountTopology.inputTopic, cluster: cluster) { Int64(1_000 + $0 * 1_000) }
        let stateDirectory = RuntimeHarness.temporaryStateDirectory()
        var config = RuntimeHarness.config(cluster, app: app, threads: 1)
        config.stateDirectory = stateDirectory
        let streams = StreamsApp(topology: try WordCountTopology.make(), config: config)
        try streams.start()
        defer {
            streams.stop()
            try? streams.waitUntilStopped()
        }
        let deadline = ContinuousClock.now + .seconds(60)
        let ends = try RuntimeHarness.highWatermarks(topic: WordCountTopology.inputTopic, partitions: Self.partitions, cluster: cluster)
        #expect(try RuntimeHarness.waitForCommits(
            streams, topic: WordCountTopology.inputTopic, partitions: Self.partitions, ends: ends, cluster: cluster,
            until: deadline))

        // A running instance announces itself in the instances topic and is a group member holding input
        // partitions: replay refuses before changing anything.
        let replay = try ApplicationReplay(
            applicationID: app, bootstrapServers: cluster.bootstrapServers, target: .earliest, topics: nil,
            stateDirectory: stateDirectory)
        replay.requestTimeout = .seconds(3)
        var refusal: ReplayError?
        do {
            _ = try replay.execute(try replay.plan())
        } catch let error as ReplayError {
            refusal = error
        }
        guard case .applicationAlive(_, let evidence)? = refusal else {
            Issue.record("replay did not refuse: \(String(describing: refusal))")
            return
        }
        #expect(evidence.contains { $0.contains(streams.instanceID) || $0.contains("another member") }, "\(evidence)")
        #expect(try RuntimeHarness.committedOffsets(
            group: app, topic: WordCountTopology.inputTopic, partitions: Self.partitions, cluster: cluster) == ends)
        #expect(FileManager.default.fileExists(atPath: stateDirectory))
        #expect(cluster.partitionCount(of: InternalTopicGeneration.topic(applicationID: app)) == nil)

        // The instances topic: a fresh entry is a live instance; stale entries and tombstones are not.
        let instances = InstancesTopicReader.topic(applicationID: app)
        if cluster.partitionCount(of: instances) == nil { try cluster.createTopic(instances, partitions: 1) }
        let nowMs = Int64(Date().timeIntervalSince1970 * 1000)
        let producer = try KafkaProducer(config: ["bootstrap.servers": cluster.bootstrapServers])
        defer { producer.close() }
        func announce(_ id: String, updatedMs: Int64?) throws {
            let value = updatedMs.map {
                #"{"endpoint":"127.0.0.1:9\#(id.count)","id":"\#(id)","lag":0,"mode":"group","partitionSet":null,"#
                    + #""partitions":{},"state":"running","stores":[],"updatedMs":\#($0)}"#
            }
            try producer.send(topic: instances, partition: 0, key: Array(id.utf8), value: value.map { Array($0.utf8) })
            try producer.flush(timeout: .seconds(10))
        }
        try announce("stale", updatedMs: nowMs - 60_000)
        try announce("gone", updatedMs: nowMs)
        try announce("gone", updatedMs: nil)
        let reader = InstancesTopicReader(applicationID: app, bootstrapServers: cluster.bootstrapServers)
        let metadata = try KafkaAdmin(config: ["bootstrap.servers": cluster.bootstrapServers]).metadata(timeout: .seconds(10))
        #expect(try reader.latestEntries(metadata: metadata).keys.sorted() == ["stale", streams.instanceID].sorted())
        #expect(try reader.liveEntries(metadata: metadata, nowMs: nowMs).map(\.id) == [streams.instanceID])
        try announce("instance-a", updatedMs: nowMs)
        #expect {
            _ = try replay.plan()
        } throws: { error in
            guard case .applicationAlive(_, let evidence) = error as? ReplayError else { return false }
            return evidence.contains { $0.contains("instance instance-a (running, endpoint 127.0.0.1:910") }
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func toDatetimeFindsTheFirstOffsetAtOrAfterTheTimeByBinarySearchOnTheMock() throws {
        let app = "replay-time"
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        defer { cluster.shutdown() }
        try cluster.createTopic(WordCountTopology.inputTopic, partitions: Self.partitions)
        try RuntimeHarness.produce(Self.lines, topic: WordCountTopology.inputTopic, cluster: cluster) { Int64(1_000 + $0 * 1_000) }
        let records = try RuntimeHarness.readAll(WordCountTopology.inputTopic, cluster: cluster)
        for time: Int64 in [0, 1_000, 150_500, 200_000, 299_000, 400_000] {
            let replay = try ApplicationReplay(
                applicationID: app, bootstrapServers: cluster.bootstrapServers, target: .timestamp(time),
                topics: [WordCountTopology.inputTopic], stateDirectory: RuntimeHarness.temporaryStateDirectory())
            replay.requestTimeout = .seconds(1)
            let plan = try replay.plan()
            for reset in plan.resets {
                let partition = records.filter { $0.partition == reset.partition }
                let expected = partition.first { $0.timestamp >= time }?.offset ?? Int64(partition.count)
                #expect(reset.new == expected, "partition \(reset.partition) at \(time)")
                #expect(reset.current == nil)
            }
            if time <= 299_000 {
                #expect(plan.notes.contains { $0.contains("binary search") }, "\(plan)")
            }
        }
        #expect(throws: ReplayError.self) {
            _ = try ApplicationReplay(
                applicationID: app, bootstrapServers: cluster.bootstrapServers, target: .earliest,
                topics: ["no-such-topic"], stateDirectory: "/tmp").plan()
        }
    }
}
