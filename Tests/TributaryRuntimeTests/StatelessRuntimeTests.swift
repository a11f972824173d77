import Foundation
import Testing
import TributaryCore
import TributaryKafka

@testable import TributaryRuntime

/// A WikiEdits-shaped event: JSON in, filtered, transformed, re-keyed.
struct SyntheticChange: Codable, Sendable {
    var seq: Int
    var wiki: String
    var user: String
    var bot: Bool
    var namespace: Int
}

struct SyntheticEdit: Codable, Sendable, Equatable {
    var seq: Int
    var wiki: String
    var user: String
}

/// The topology under test: keep human namespace-0 changes, re-key by wiki, write a smaller record.
func syntheticEditsTopology(input: String, output: String) throws -> Topology {
    let builder = StreamsBuilder()
    builder.stream(input, key: .optional(.string), value: .json(SyntheticChange.self))
        .filter { _, change in !change.bot && change.namespace == 0 }
        .selectKey { _, change in change.wiki }
        .mapValues { change in SyntheticEdit(seq: change.seq, wiki: change.wiki, user: change.user.uppercased()) }
        .to(output, key: .string, value: .json(SyntheticEdit.self))
    return try builder.build()
}

@Suite(.serialized) struct StatelessRuntimeTests {
    static let wikis = ["enwiki", "dewiki", "frwiki", "ukwiki", "ruwiki", "jawiki", "eswiki", "itwiki", "plwiki"]

    /// Input event `seq`, keyed by a user name so input and output partitioning differ.
    static func change(_ seq: Int) -> SyntheticChange {
        SyntheticChange(
            seq: seq, wiki: wikis[(seq * 7) % wikis.count], user: "user\(seq % 97)", bot: seq % 5 == 0,
            namespace: seq % 11 == 0 ? 1 : 0)
    }

    static func inputRecords(_ range: Range<Int>) throws -> [(String, String)] {
        let encoder = JSONEncoder()
        return try range.map { seq in
            let change = change(seq)
            return (change.user, String(decoding: try encoder.encode(change), as: UTF8.self))
        }
    }

    /// The expected output, computed without the engine: the same rule written as a plain loop.
    static func expected(_ range: Range<Int>) -> [String: [Int]] {
        var byWiki: [String: [Int]] = [:]
        for seq in range where seq % 5 != 0 && seq % 11 != 0 {
            byWiki[wikis[(seq * 7) % wikis.count], default: []].append(seq)
        }
        return byWiki
    }

    /// Output sequence numbers per key, in log order, checking value/key consistency.
    static func outputByKey(_ messages: [ConsumerMessage]) throws -> [String: [Int]] {
        var byKey: [String: [Int]] = [:]
        let decoder = JSONDecoder()
        for message in messages {
            let key = String(decoding: try #require(message.key), as: UTF8.self)
            let edit = try decoder.decode(SyntheticEdit.self, from: Data(try #require(message.value)))
            #expect(edit.wiki == key)
            byKey[key, default: []].append(edit.seq)
        }
        return byKey
    }

    @Test(.timeLimit(.minutes(3)))
    func hundredThousandRecordsArriveOncePerKeyInOrderAndRestartResumes() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1, defaultPartitions: 6)
        defer { cluster.shutdown() }
        try cluster.createTopic("changes", partitions: 6)
        try cluster.createTopic("edits", partitions: 6)
        let topology = try syntheticEditsTopology(input: "changes", output: "edits")
        // Per user (the input key), sequence numbers rise with the timestamp, so per-key input order is seq order.
        try RuntimeHarness.produce(try Self.inputRecords(0..<100_000), topic: "changes", cluster: cluster) {
            1_700_000_000_000 + Int64($0)
        }

        let first = StreamsApp(topology: topology, config: RuntimeHarness.config(cluster, app: "edits-app", threads: 2))
        #expect(try RuntimeHarness.runUntilCaughtUp(first, topic: "changes", partitions: 6, cluster: cluster, timeout: .seconds(90)))

        let expectedFirst = Self.expected(0..<100_000)
        var output = try Self.outputByKey(try RuntimeHarness.readAll("edits", cluster: cluster))
        #expect(output.values.reduce(0) { $0 + $1.count } == expectedFirst.values.reduce(0) { $0 + $1.count })
        for (wiki, seqs) in expectedFirst {
            // Every user's records stay in order per output key because each input partition is processed in
            // order; across input partitions the interleaving is free, so compare per (wiki, user).
            let got = output[wiki] ?? []
            #expect(got.count - Set(got).count == 0, "duplicates for \(wiki)")
            #expect(Set(seqs).subtracting(got).count == 0, "missing records for \(wiki)")
            #expect(Set(got).subtracting(seqs).count == 0, "unexpected records for \(wiki)")
            var lastByUser: [Int: Int] = [:]
            for seq in got {
                #expect((lastByUser[seq % 97] ?? -1) < seq, "out of order for \(wiki) user\(seq % 97)")
                lastByUser[seq % 97] = seq
            }
        }
        let committed = try RuntimeHarness.committedOffsets(group: "edits-app", topic: "changes", partitions: 6, cluster: cluster)
        let ends = try RuntimeHarness.highWatermarks(topic: "changes", partitions: 6, cluster: cluster)
        #expect(committed == ends)

        // Restart: only the new records are processed, from the committed offsets.
        try RuntimeHarness.produce(try Self.inputRecords(100_000..<120_000), topic: "changes", cluster: cluster) {
            1_700_000_000_000 + 100_000 + Int64($0)
        }
        let second = StreamsApp(topology: topology, config: RuntimeHarness.config(cluster, app: "edits-app", threads: 2))
        #expect(try RuntimeHarness.runUntilCaughtUp(second, topic: "changes", partitions: 6, cluster: cluster, timeout: .seconds(60)))
        #expect(second.recordsProcessed == 20_000)
        output = try Self.outputByKey(try RuntimeHarness.readAll("edits", cluster: cluster))
        let expectedAll = Self.expected(0..<120_000)
        for (wiki, seqs) in expectedAll {
            let got = output[wiki] ?? []
            #expect(got.count - Set(got).count == 0, "after restart, duplicates for \(wiki)")
            #expect(Set(seqs).symmetricDifference(got).count == 0, "after restart, missing or extra for \(wiki)")
        }
        try cluster.checkHealthy()
    }

    @Test(.timeLimit(.minutes(1)))
    func startFailsClearlyWhenASourceTopicIsMissing() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        defer { cluster.shutdown() }
        let topology = try syntheticEditsTopology(input: "absent", output: "out")
        let app = StreamsApp(topology: topology, config: RuntimeHarness.config(cluster, app: "missing", threads: 1))
        #expect(throws: TopologyError.missingSourceTopic("absent")) { try app.start() }
    }

    @Test(.timeLimit(.minutes(1)))
    func startFailsClearlyWhenMergedTopicsAreNotCopartitioned() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        defer { cluster.shutdown() }
        try cluster.createTopic("left", partitions: 2)
        try cluster.createTopic("right", partitions: 3)
        let builder = StreamsBuilder()
        let left = builder.stream("left", key: .string, value: .string)
        left.merge(builder.stream("right", key: .string, value: .string)).to("merged", key: .string, value: .string)
        let app = StreamsApp(topology: try builder.build(), config: RuntimeHarness.config(cluster, app: "copart", threads: 1))
        #expect(throws: TopologyError.notCopartitioned(subtopology: 0, partitions: ["left": 2, "right": 3])) {
            try app.start()
        }
    }
}
