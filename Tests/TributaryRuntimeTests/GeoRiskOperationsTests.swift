import Foundation
import Testing
import TributaryHTTP
import TributaryRuntime

/// GeoRisk deployed as issue 7 describes, on one `tributary dev-cluster` with 6 partitions per topic: three
/// processes in partition-set mode answer every country over their query ports (forwarding to each other); a
/// killed one's countries fail clearly and fast until it is back; an overlapping set is refused. In group mode, the
/// survivor of two instances restores the moved tasks from the changelogs and answers every country.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct GeoRiskOperationsTests {
    /// The `country-risk-latest` answer for `country` from the instance on `port`, with the serving instance.
    static func latest(_ country: String, port: Int) throws -> (status: Int, servedBy: String?, value: [String: Any]?) {
        let response = try GeoRiskDeployment.get(port, "/v1/stores/country-risk-latest/keys/\(country)")
        let servedBy = response.headers.first { $0.name.lowercased() == "x-tributary-served-by" }?.value
        let body = try? JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
        return (response.status, servedBy, body?["value"] as? [String: Any])
    }

    static func same(_ found: [String: Any]?, _ expected: [String: Any]) -> Bool {
        guard let found else { return false }
        return (found["startMs"] as? NSNumber)?.int64Value == (expected["startMs"] as? NSNumber)?.int64Value
            && (found["risk"] as? NSNumber)?.doubleValue == (expected["risk"] as? NSNumber)?.doubleValue
            && found["country"] as? String == expected["country"] as? String
    }

    /// Waits until every instance on `ports` is healthy and the signals stop changing for 5 s.
    static func waitUntilProcessed(_ deployment: GeoRiskDeployment, ports: [Int]) throws -> [String: [String: Any]] {
        #expect(QueryPortRuntimeTests.eventually(.seconds(120)) {
            ports.allSatisfy { (try? GeoRiskDeployment.get($0, "/health").status) == 200 }
        }, "every instance healthy")
        var last = -1
        var stableSince = Date()
        let deadline = Date().addingTimeInterval(240)
        while Date() < deadline {
            let signals = try TopicReader.readAll(
                topic: "risk.signals", partitions: deployment.partitions, bootstrapServers: deployment.bootstrapServers
            ).count
            if signals != last || signals == 0 {
                last = signals
                stableSince = Date()
            } else if Date().timeIntervalSince(stableSince) > 5 {
                break
            }
            Thread.sleep(forTimeInterval: 1)
        }
        return try deployment.latestSignals()
    }

    @Test func threePartitionSetInstancesAnswerEveryCountryAndAKilledOnesCountriesFailFastUntilItIsBack() throws {
        let deployment = try GeoRiskDeployment(application: "georisk-ps", partitions: 6)
        defer { deployment.shutdown() }
        let ports = try (0..<3).map { _ in try GeoRiskDeployment.freePort() }
        let sets = ["0-1", "2-3", "4-5"]
        let ids = ["ps-a", "ps-b", "ps-c"]
        for index in 0..<3 { try deployment.start(ids[index], port: ports[index], ["--partitions", sets[index]]) }
        let expected = try Self.waitUntilProcessed(deployment, ports: ports)
        #expect(expected.count > 50, "signals for many countries")

        // /metrics of every instance parses as Prometheus text and its consumer lag has reached 0.
        for port in ports {
            #expect(QueryPortRuntimeTests.eventually(.seconds(30)) {
                guard let text = try? GeoRiskDeployment.get(port, "/metrics").body else { return false }
                return (try? MetricsRuntimeTests.runChecker(String(decoding: text, as: UTF8.self), arguments: ["--expect-zero-lag"]))?
                    .status == 0
            }, "metrics of the instance on \(port)")
        }

        // Every country, asked of every instance, gives the latest signal; some answers were forwarded.
        var servedBy: [String: String] = [:]
        var forwarded = 0
        for (index, country) in expected.keys.sorted().enumerated() {
            let port = ports[index % 3]
            let answer = try Self.latest(country, port: port)
            #expect(answer.status == 200 && Self.same(answer.value, expected[country]!), "\(country) via \(port)")
            servedBy[country] = answer.servedBy
            if answer.servedBy != ids[index % 3] { forwarded += 1 }
        }
        #expect(forwarded > 0, "some keys live on another instance")
        #expect(Set(servedBy.values) == Set(ids))

        // An overlapping set is refused at start, naming the instance that holds it.
        let overlapping = try deployment.start("ps-d", port: try GeoRiskDeployment.freePort(), ["--partitions", "3-4"])
        overlapping.waitUntilExit()
        #expect(overlapping.terminationStatus != 0)
        #expect(deployment.log("ps-d").contains("ps-b") || deployment.log("ps-d").contains("ps-c"), "\(deployment.log("ps-d"))")

        // Kill ps-b: its countries fail clearly and quickly through the others, the rest still answer.
        deployment.kill("ps-b")
        let lost = servedBy.filter { $0.value == "ps-b" }.keys.sorted()
        #expect(!lost.isEmpty)
        for country in lost.prefix(10) {
            let started = Date()
            let answer = try Self.latest(country, port: ports[0])
            #expect(answer.status == 502 || answer.status == 503, "\(country): \(answer.status)")
            #expect(Date().timeIntervalSince(started) < 5, "\(country) failed within 5 s")
        }
        for country in servedBy.filter({ $0.value == "ps-a" }).keys.prefix(5) {
            #expect(try Self.latest(country, port: ports[2]).status == 200)
        }

        // Back: the restarted instance restores its stores and answers the same values.
        try deployment.start("ps-b", port: ports[1], ["--partitions", "2-3"])
        #expect(QueryPortRuntimeTests.eventually(.seconds(120)) {
            lost.allSatisfy { country in
                (try? Self.latest(country, port: ports[0])).map { $0.status == 200 && Self.same($0.value, expected[country]!) }
                    ?? false
            }
        }, "\(deployment.log("ps-b"))")
    }

    @Test func inGroupModeTheSurvivorRestoresTheMovedTasksAndAnswersEveryCountry() throws {
        let deployment = try GeoRiskDeployment(application: "georisk-group", partitions: 6)
        defer { deployment.shutdown() }
        let ports = try (0..<2).map { _ in try GeoRiskDeployment.freePort() }
        try deployment.start("group-a", port: ports[0])
        try deployment.start("group-b", port: ports[1])
        let expected = try Self.waitUntilProcessed(deployment, ports: ports)
        #expect(expected.count > 50)
        for country in expected.keys {
            #expect(Self.same(try Self.latest(country, port: ports[0]).value, expected[country]!), "\(country)")
        }
        deployment.kill("group-b")
        // After the session timeout (6 s) the group rebalances and group-a restores group-b's tasks.
        #expect(QueryPortRuntimeTests.eventually(.seconds(120)) {
            expected.keys.allSatisfy { country in
                (try? Self.latest(country, port: ports[0])).map {
                    $0.status == 200 && $0.servedBy == "group-a" && Self.same($0.value, expected[country]!)
                } ?? false
            }
        }, "\(deployment.log("group-a"))")
    }
}
