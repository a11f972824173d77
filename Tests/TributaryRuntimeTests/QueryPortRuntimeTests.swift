import Foundation
import Testing
import TributaryCore
import TributaryHTTP
import TributaryKafka

@testable import TributaryRuntime

/// The query port on the embedded cluster: two partition-set instances of one counting topology answer
/// every key over HTTP, forwarding to each other; overlapping sets are refused; a stopped instance's keys
/// fail clearly.
@Suite(.serialized) struct QueryPortRuntimeTests {
    static let store = "clicks-per-user"
    static let partitions = 3

    static func cluster(app: String) throws -> EmbeddedKafkaCluster {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        for topic in ["clicks", "click-counts", "\(app)-\(store)-changelog"] {
            try cluster.createTopic(topic, partitions: partitions)
        }
        try cluster.createTopic("\(app)-instances", partitions: 1)
        return cluster
    }

    static func config(_ cluster: EmbeddedKafkaCluster, app: String, id: String, set: [Int32]) -> StreamsConfig {
        var config = RuntimeHarness.config(cluster, app: app, threads: 1)
        config.instanceID = id
        config.partitionSet = set
        config.queryPort = QueryPortOptions(port: 0)
        config.instanceRefreshInterval = .seconds(1)
        return config
    }

    static func get(_ port: Int?, _ path: String) throws -> HTTPResponse {
        try HTTPClient().fetch(HTTPRequest(
            url: "http://127.0.0.1:\(port ?? 0)\(path)", connectTimeout: .seconds(2), totalTimeout: .seconds(10)))
    }

    static func json(_ response: HTTPResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] ?? [:]
    }

    /// Polls `condition` every 100 ms until it holds or `timeout` passes.
    static func eventually(_ timeout: Duration = .seconds(20), _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return try condition()
    }

    @Test(.timeLimit(.minutes(4)))
    func twoPartitionSetInstancesAnswerEveryKeyAndAStoppedOnesKeysFailClearly() throws {
        let app = "iq-app"
        let cluster = try Self.cluster(app: app)
        defer { cluster.shutdown() }
        let topology = try AggregationRuntimeTests.topology()
        let first = StreamsApp(topology: topology, config: Self.config(cluster, app: app, id: "first", set: [0, 1]))
        let second = StreamsApp(topology: topology, config: Self.config(cluster, app: app, id: "second", set: [2]))
        try first.start()
        try second.start()
        var secondStopped = false
        defer {
            first.stop()
            try? first.waitUntilStopped()
            if !secondStopped {
                second.stop()
                try? second.waitUntilStopped()
            }
        }
        let records = (0..<3_000).map { index in ("user\(index * 7 % 37)", "page\(index)") }
        var expected: [String: Int64] = [:]
        for (user, _) in records { expected[user, default: 0] += 1 }
        try RuntimeHarness.produce(records, topic: "clicks", cluster: cluster) { Int64(1_000 + $0) }
        let ends = try RuntimeHarness.highWatermarks(topic: "clicks", partitions: Self.partitions, cluster: cluster)
        #expect(try Self.eventually(.seconds(60)) {
            try RuntimeHarness.committedOffsets(group: app, topic: "clicks", partitions: Self.partitions, cluster: cluster)
                == ends
        })
        // Both know each other from the instances topic.
        #expect(try Self.eventually {
            (try Self.json(Self.get(first.queryPort, "/v1/metadata"))["instances"] as? [Any])?.count == 2
        })
        #expect(try Self.get(first.queryPort, "/health").status == 200)
        // Every key from either instance, answered by the owner of its partition (committed within 200 ms).
        #expect(try Self.eventually {
            try expected.allSatisfy { user, count in
                let response = try Self.get(first.queryPort, "/v1/stores/\(Self.store)/keys/\(user)")
                guard response.status == 200 else { return false }
                return (try Self.json(response)["value"] as? Int).map(Int64.init) == count
            }
        })
        for (user, count) in expected {
            let owner = KeyPartitioner.partition(key: Array(user.utf8), count: Self.partitions) == 2 ? "second" : "first"
            for port in [first.queryPort, second.queryPort] {
                let response = try Self.get(port, "/v1/stores/\(Self.store)/keys/\(user)")
                #expect(response.status == 200)
                #expect(response.header("X-Tributary-Served-By") == owner)
                #expect((try Self.json(response)["value"] as? Int).map(Int64.init) == count)
            }
        }
        let stores = try Self.json(Self.get(second.queryPort, "/v1/stores"))["stores"] as? [[String: Any]]
        #expect(stores?.first?["partitions"] as? [Int] == [2])
        #expect(try Self.get(first.queryPort, "/v1/stores/\(Self.store)/keys/nobody").status == 404)

        // The second stops cleanly: its tombstone removes it, its partition is uncovered, its keys fail fast.
        second.stop()
        try second.waitUntilStopped()
        secondStopped = true
        #expect(try Self.eventually {
            (try Self.json(Self.get(first.queryPort, "/v1/metadata"))["instances"] as? [Any])?.count == 1
        })
        let metadata = try Self.json(Self.get(first.queryPort, "/v1/metadata"))
        #expect(metadata["uncoveredPartitions"] as? [String: [Int]] == ["clicks": [2]])
        let orphan = try #require(expected.keys.first {
            KeyPartitioner.partition(key: Array($0.utf8), count: Self.partitions) == 2
        })
        let started = ContinuousClock.now
        let response = try Self.get(first.queryPort, "/v1/stores/\(Self.store)/keys/\(orphan)")
        // No network on this path: the margin is for loaded machines.
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(response.status == 503)
        #expect(response.header("Retry-After") != nil)
        #expect((try Self.json(response)["error"] as? String)?.contains("no live instance holds partition 2") == true)
    }

    @Test(.timeLimit(.minutes(3)))
    func anOverlappingPartitionSetIsRefusedNamingTheOtherInstance() throws {
        let app = "iq-overlap"
        let cluster = try Self.cluster(app: app)
        defer { cluster.shutdown() }
        let topology = try AggregationRuntimeTests.topology()
        let running = StreamsApp(topology: topology, config: Self.config(cluster, app: app, id: "alpha", set: [0, 1]))
        try running.start()
        defer {
            running.stop()
            try? running.waitUntilStopped()
        }
        // The first announcement is written within a refresh interval of start.
        Thread.sleep(forTimeInterval: 1)
        let overlapping = StreamsApp(topology: topology, config: Self.config(cluster, app: app, id: "beta", set: [1, 2]))
        do {
            try overlapping.start()
            overlapping.stop()
            try? overlapping.waitUntilStopped()
            Issue.record("an overlapping partition set must be refused")
        } catch let error as StreamsAppError {
            guard case .partitionSetOverlap(let instance, _, let overlap) = error else {
                Issue.record("unexpected error: \(error)")
                return
            }
            #expect(instance == "alpha")
            #expect(overlap == [1])
            #expect(error.description.contains("partitions 1 are already processed by live instance 'alpha'"))
        }
        let outside = StreamsApp(topology: topology, config: Self.config(cluster, app: app, id: "gamma", set: [5]))
        #expect(throws: StreamsAppError.self) { try outside.start() }
    }

    @Test func partitionSetsParseRangesAndRejectOtherText() throws {
        #expect(try PartitionSet.parse("0-2,5") == [0, 1, 2, 5])
        #expect(try PartitionSet.parse("3, 1,1") == [1, 3])
        #expect(PartitionSet.format([0, 1, 2, 5, 7, 8]) == "0-2,5,7-8")
        for bad in ["", "a", "2-1", "1-", "-1", "1,,2", "0-2-4"] {
            #expect(throws: StreamsAppError.self) { try PartitionSet.parse(bad) }
        }
        do {
            _ = try PartitionSet.parse("x")
        } catch {
            #expect("\(error)".contains("e.g. --partitions 0-2,5"))
        }
    }
}
