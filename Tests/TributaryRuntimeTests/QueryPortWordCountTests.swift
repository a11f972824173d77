import Foundation
import Testing
import TributaryCore
import TributaryHTTP
import TributaryKafka
import WordCountTopology

@testable import TributaryRuntime

/// WordCount in group mode with a query port: totals and per-minute windows read over HTTP while it runs equal
/// the test's own counts once it has caught up.
@Suite(.serialized) struct QueryPortWordCountTests {
    static let app = "iq-wordcount"
    static let partitions = 2
    static let base: Int64 = 1_763_599_980_000  // a whole minute

    @Test(.timeLimit(.minutes(4)))
    func totalsAndWindowsAreQueryableWhileWordCountRuns() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        defer { cluster.shutdown() }
        let topology = try WordCountTopology.make()
        for topic in [WordCountTopology.inputTopic, WordCountTopology.totalsTopic, WordCountTopology.windowedTopic] {
            try cluster.createTopic(topic, partitions: Self.partitions)
        }
        try cluster.createTopic("wordcount.dlq", partitions: 1)
        for spec in topology.internalTopicSpecs(
            applicationID: Self.app, externalPartitionCounts: [WordCountTopology.inputTopic: Self.partitions])
        {
            try cluster.createTopic(spec.topic, partitions: spec.partitions)
        }
        try cluster.createTopic("\(Self.app)-instances", partitions: 1)
        var config = RuntimeHarness.config(cluster, app: Self.app, threads: 2)
        config.errorPolicies = WordCountTopology.errorPolicies
        config.queryPort = QueryPortOptions(port: 0, token: "wc-token")
        config.instanceID = "wc-1"
        let app = StreamsApp(topology: topology, config: config)
        try app.start()
        defer {
            app.stop()
            try? app.waitUntilStopped()
        }
        let port = try #require(app.queryPort)
        func get(_ path: String) throws -> HTTPResponse {
            try HTTPClient().fetch(HTTPRequest(
                url: "http://127.0.0.1:\(port)\(path)", headers: [("Authorization", "Bearer wc-token")],
                connectTimeout: .seconds(2), totalTimeout: .seconds(10)))
        }
        var totals: [String: Int64] = [:]
        var perMinute: [String: [Int64: Int64]] = [:]
        var records: [(String, String)] = []
        for index in 0..<2_000 {
            let word = "w\(index * 7 % 20)"
            totals[word, default: 0] += 1
            perMinute[word, default: [:]][Self.base + Int64(index) * 35 / 60_000 * 60_000, default: 0] += 1
            records.append(("line\(index)", "\(word) \(word.uppercased())"))
        }
        try RuntimeHarness.produce(records, topic: WordCountTopology.inputTopic, cluster: cluster) {
            Self.base + Int64($0) * 35
        }
        // Each line holds its word twice. The lines span 70 s of event time: two one-minute windows, both
        // within the store's retention (size + grace) and neither closed, so the store holds every count.
        let deadline = ContinuousClock.now + .seconds(60)
        var answered = false
        while ContinuousClock.now < deadline, !answered {
            answered = try totals.allSatisfy { word, count in
                let response = try get("/v1/stores/\(WordCountTopology.totalsStore)/keys/\(word)")
                guard response.status == 200 else { return false }
                let body = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
                return (body?["value"] as? Int).map(Int64.init) == 2 * count
            }
            if !answered { Thread.sleep(forTimeInterval: 0.2) }
        }
        #expect(answered)
        #expect(try get("/health").status == 200)
        let metrics = String(decoding: try get("/metrics").body, as: UTF8.self)
        #expect(metrics.contains("tributary_task_records_in_total{application=\"iq-wordcount\""), "the app's own metrics")
        for (word, minutes) in perMinute {
            let response = try get(
                "/v1/stores/\(WordCountTopology.windowStore)/keys/\(word)/windows?from=\(Self.base)&to=2100-01-01T00:00:00Z")
            #expect(response.status == 200)
            let windows = (try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])?["windows"]
                as? [[String: Any]] ?? []
            var found: [Int64: Int64] = [:]
            for window in windows {
                found[(window["start"] as? Int).map(Int64.init) ?? -1] = (window["value"] as? Int).map(Int64.init)
            }
            #expect(found == minutes.mapValues { 2 * $0 })
        }
        let stores = (try JSONSerialization.jsonObject(with: Data(try get("/v1/stores").body)) as? [String: Any])?["stores"]
            as? [[String: Any]] ?? []
        let totalsStore = stores.first { $0["name"] as? String == WordCountTopology.totalsStore }
        #expect(totalsStore?["partitions"] as? [Int] == [0, 1])
        #expect(totalsStore?["keyFormat"] as? String == "string")
        #expect(totalsStore?["valueFormat"] as? String == "int64")
        let unauthorized = try HTTPClient().fetch(HTTPRequest(url: "http://127.0.0.1:\(port)/v1/stores"))
        #expect(unauthorized.status == 401)
    }
}
