import Foundation
import Testing
import TributaryCore
import TributaryHTTP
import TributaryQuery

/// Every endpoint and error of the query port, over HTTP on 127.0.0.1 against real RocksDB stores.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct QueryHandlerTests {
    @Test func keyLookupAnswersTheTypedValueAndNamesTheServingInstance() async throws {
        let fixture = try QueryFixture()
        try fixture.putCount("apple", 3)
        let response = try await fixture.get("/v1/stores/counts/keys/apple")
        #expect(response.status == 200)
        #expect(response.header("X-Tributary-Served-By") == "a")
        #expect(response.header("Content-Type") == "application/json")
        let body = try response.json()
        #expect(body["key"] as? String == "apple")
        #expect(body["value"] as? Int == 3)
        #expect(body["partition"] as? Int == Int(QueryFixture.partition(of: "apple")))
    }

    @Test func percentEncodedKeysAreDecoded() async throws {
        let fixture = try QueryFixture()
        try fixture.putCount("a b/c", 7)
        let response = try await fixture.get("/v1/stores/counts/keys/a%20b%2Fc")
        #expect(response.status == 200)
        #expect(try response.json()["value"] as? Int == 7)
    }

    @Test func unknownStoreKeyAndPathAre404WithAReason() async throws {
        let fixture = try QueryFixture()
        let store = try await fixture.get("/v1/stores/nope/keys/x")
        #expect(store.status == 404)
        #expect((try store.json()["error"] as? String)?.contains("unknown store 'nope'; stores: counts, per-minute") == true)
        let key = try await fixture.get("/v1/stores/counts/keys/missing")
        #expect(key.status == 404)
        #expect((try key.json()["error"] as? String)?.contains("key 'missing' not found") == true)
        let path = try await fixture.get("/v2/whatever")
        #expect(path.status == 404)
        #expect((try path.json()["error"] as? String)?.contains("/v1/stores") == true)
    }

    @Test func writesAreRefusedWith405() async throws {
        let fixture = try QueryFixture()
        let handler = try #require(Self.handler(fixture))
        let post = await handler.handle(QueryRequest(method: "POST", path: "/v1/stores", query: nil, headers: [:]))
        #expect(post.status == 405)
        #expect(post.header("Allow") == "GET")
    }

    @Test func badParametersAre400WithTheReason() async throws {
        let fixture = try QueryFixture()
        let window = try await fixture.get("/v1/stores/per-minute/keys/apple/windows?from=yesterday")
        #expect(window.status == 400)
        #expect((try window.json()["error"] as? String)?.contains("from='yesterday' is not a time") == true)
        let order = try await fixture.get("/v1/stores/per-minute/keys/apple/windows?from=2000&to=1000")
        #expect(order.status == 400)
        let limit = try await fixture.get("/v1/stores/counts/range?limit=0")
        #expect(limit.status == 400)
        #expect((try limit.json()["error"] as? String)?.contains("limit='0' must be an integer from 1 to 10000") == true)
        let kind = try await fixture.get("/v1/stores/per-minute/keys/apple")
        #expect(kind.status == 400)
        #expect((try kind.json()["error"] as? String)?.contains("is a window store") == true)
    }

    @Test func tokenIsRequiredEverywhereButHealth() async throws {
        let fixture = try QueryFixture(token: "s3cret")
        try fixture.putCount("apple", 1)
        let missing = try await fixture.get("/v1/stores/counts/keys/apple")
        #expect(missing.status == 401)
        #expect(missing.header("WWW-Authenticate") == "Bearer")
        #expect((try missing.json()["error"] as? String)?.contains("missing token") == true)
        let wrong = try await fixture.get("/v1/stores/counts/keys/apple", headers: [("Authorization", "Bearer s3creT")])
        #expect(wrong.status == 401)
        #expect((try wrong.json()["error"] as? String)?.contains("wrong token") == true)
        let longer = try await fixture.get("/v1/metadata", headers: [("Authorization", "Bearer s3cret2")])
        #expect(longer.status == 401)
        let right = try await fixture.get("/v1/stores/counts/keys/apple", headers: [("Authorization", "Bearer s3cret")])
        #expect(right.status == 200)
        #expect(try await fixture.get("/metrics").status == 401)
        #expect(try await fixture.get("/health").status == 200)
    }

    @Test func healthIs503UntilRunning() async throws {
        let state = StateBox(.starting)
        let fixture = try QueryFixture(state: { state.value })
        let starting = try await fixture.get("/health")
        #expect(starting.status == 503)
        #expect(starting.header("Retry-After") == "1")
        #expect(try starting.json()["state"] as? String == "starting")
        state.value = .restoring
        #expect(try await fixture.get("/health").status == 503)
        state.value = .running
        let running = try await fixture.get("/health")
        #expect(running.status == 200)
        #expect(try running.json()["state"] as? String == "running")
    }

    @Test func metricsServesTheRuntimeText() async throws {
        let fixture = try QueryFixture(metrics: { "# TYPE tributary_up gauge\ntributary_up 1\n" })
        let response = try await fixture.get("/metrics")
        #expect(response.status == 200)
        #expect(response.header("Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(response.text == "# TYPE tributary_up gauge\ntributary_up 1\n")
    }

    @Test func restoringPartitionsAnswer503WithRetryAfter() async throws {
        let fixture = try QueryFixture()
        let partition = QueryFixture.partition(of: "apple")
        fixture.registry.setState(.restoring, name: QueryFixture.counts, partition: partition)
        let response = try await fixture.get("/v1/stores/counts/keys/apple")
        #expect(response.status == 503)
        #expect(response.header("Retry-After") == "1")
        #expect((try response.json()["error"] as? String)?.contains("restoring") == true)
        let stores = try await fixture.get("/v1/stores").json()["stores"] as? [[String: Any]] ?? []
        let counts = try #require(stores.first { $0["name"] as? String == "counts" })
        #expect(counts["state"] as? String == "restoring")
        #expect(counts["restoringPartitions"] as? [Int] == [Int(partition)])
    }

    @Test func storesListsTypesFormatsAndPartitionsHeldHere() async throws {
        let fixture = try QueryFixture(partitions: [1])
        let body = try await fixture.get("/v1/stores").json()
        #expect(body["instance"] as? String == "a")
        let stores = body["stores"] as? [[String: Any]] ?? []
        #expect(stores.map { $0["name"] as? String } == ["counts", "per-minute"])
        #expect(stores[0]["type"] as? String == "keyValue")
        #expect(stores[0]["keyFormat"] as? String == "string")
        #expect(stores[0]["valueFormat"] as? String == "int64")
        #expect(stores[0]["partitions"] as? [Int] == [1])
        #expect(stores[0]["partitionCount"] as? Int == 2)
        #expect(stores[1]["type"] as? String == "window")
        #expect(stores[1]["state"] as? String == "running")
    }

    @Test func rangeMergesTheLocalPartitionsInKeyOrder() async throws {
        let fixture = try QueryFixture()
        for (index, word) in ["delta", "alpha", "echo", "charlie", "bravo"].enumerated() {
            try fixture.putCount(word, Int64(index))
        }
        let body = try await fixture.get("/v1/stores/counts/range?from=b&to=e&limit=10").json()
        let entries = body["entries"] as? [[String: Any]] ?? []
        #expect(entries.map { $0["key"] as? String } == ["bravo", "charlie", "delta"])
        #expect(entries.map { $0["value"] as? Int } == [4, 3, 0])
        #expect(body["partitions"] as? [Int] == [0, 1])
        #expect(body["truncated"] as? Bool == false)
        let limited = try await fixture.get("/v1/stores/counts/range?limit=2").json()
        #expect((limited["entries"] as? [[String: Any]])?.map { $0["key"] as? String } == ["alpha", "bravo"])
        #expect(limited["truncated"] as? Bool == true)
    }

    @Test func rangeNamesTheInstancesHoldingTheOtherPartitions() async throws {
        let other = try QueryFixture(instanceID: "b", partitions: [1])
        let fixture = try QueryFixture(instanceID: "a", partitions: [0])
        fixture.directory.update(other.entry())
        let body = try await fixture.get("/v1/stores/counts/range").json()
        #expect(body["partitions"] as? [Int] == [0])
        #expect(body["missingPartitions"] as? [Int] == [1])
        let elsewhere = body["elsewhere"] as? [[String: Any]] ?? []
        #expect(elsewhere.first?["instance"] as? String == "b")
        #expect(elsewhere.first?["endpoint"] as? String == other.endpoint)
    }

    @Test func windowsTakeEpochMillisecondsOrISOTimes() async throws {
        let fixture = try QueryFixture()
        let base: Int64 = 1_767_225_600_000  // 2026-01-01T00:00:00Z
        for minute in 0..<3 {
            try fixture.putWindow("apple", start: base + Int64(minute) * 60_000, json: "{\"count\":\(minute + 1)}")
        }
        let iso = try await fixture.get("/v1/stores/per-minute/keys/apple/windows?from=2026-01-01T00:01:00Z&to=2026-01-01T00:02:00Z")
        #expect(iso.status == 200)
        let windows = try iso.json()["windows"] as? [[String: Any]] ?? []
        #expect(windows.map { $0["start"] as? Int64 } == [base + 60_000, base + 120_000])
        #expect(windows.first?["startTime"] as? String == "2026-01-01T00:01:00.000Z")
        #expect((windows.first?["value"] as? [String: Any])?["count"] as? Int == 2)
        let millis = try await fixture.get("/v1/stores/per-minute/keys/apple/windows?from=\(base)&to=\(base)").json()
        #expect((millis["windows"] as? [[String: Any]])?.count == 1)
        let all = try await fixture.get("/v1/stores/per-minute/keys/apple/windows").json()
        #expect((all["windows"] as? [[String: Any]])?.count == 3)
    }

    @Test func metadataListsLiveInstancesAndUncoveredPartitions() async throws {
        let fixture = try QueryFixture(partitions: [0])
        fixture.directory.update(fixture.entry())
        var stale = fixture.entry(updatedMs: Int64(Date().timeIntervalSince1970 * 1000) - QueryFixture.staleAfterMs - 1_000)
        stale.id = "gone"
        fixture.directory.update(stale)
        let body = try await fixture.get("/v1/metadata").json()
        let instances = body["instances"] as? [[String: Any]] ?? []
        #expect(instances.map { $0["id"] as? String } == ["a"])
        #expect(instances.first?["endpoint"] as? String == fixture.endpoint)
        #expect(instances.first?["mode"] as? String == "partition-set")
        #expect((body["uncoveredPartitions"] as? [String: [Int]]) == ["words": [1]])
        #expect(body["staleAfterMs"] as? Int == Int(QueryFixture.staleAfterMs))
    }

    /// The handler behind a fixture, for requests that curl's GET cannot make.
    private static func handler(_ fixture: QueryFixture) -> QueryHandler? {
        QueryHandler(
            configuration: QueryPortConfiguration(port: 0, instanceID: "a"), stores: [], inputPartitions: [:],
            registry: fixture.registry, directory: fixture.directory, health: { .running })
    }
}

/// A value shared with a `@Sendable` closure.
final class StateBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: InstanceState
    init(_ value: InstanceState) { stored = value }
    var value: InstanceState {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
