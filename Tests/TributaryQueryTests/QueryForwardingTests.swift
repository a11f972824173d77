import Foundation
import Testing
import TributaryCore
import TributaryHTTP
import TributaryQuery

/// Routing between two query servers on 127.0.0.1, each holding one of two partitions.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct QueryForwardingTests {
    /// A key of each partition.
    static func key(in partition: Int32) -> String {
        (0..<100).map { "word\($0)" }.first { QueryFixture.partition(of: $0) == partition }!
    }

    @Test func aKeyHeldElsewhereIsForwardedOnceAndNamesTheOwner() async throws {
        let a = try QueryFixture(instanceID: "a", partitions: [0])
        let b = try QueryFixture(instanceID: "b", partitions: [1])
        a.directory.update(b.entry())
        b.directory.update(a.entry())
        let onA = Self.key(in: 0)
        let onB = Self.key(in: 1)
        try a.putCount(onA, 10)
        try b.putCount(onB, 20)
        let forwarded = try await a.get("/v1/stores/counts/keys/\(onB)")
        #expect(forwarded.status == 200)
        #expect(forwarded.header("X-Tributary-Served-By") == "b")
        #expect(try forwarded.json()["value"] as? Int == 20)
        let local = try await b.get("/v1/stores/counts/keys/\(onB)")
        #expect(local.header("X-Tributary-Served-By") == "b")
        let back = try await b.get("/v1/stores/counts/keys/\(onA)")
        #expect(back.header("X-Tributary-Served-By") == "a")
        #expect(try back.json()["value"] as? Int == 10)
        // Errors of the owner come back as they are.
        let absent = (0..<100).map { "other\($0)" }.first { QueryFixture.partition(of: $0) == 1 }!
        let missing = try await a.get("/v1/stores/counts/keys/\(absent)")
        #expect(missing.status == 404)
        #expect(missing.header("X-Tributary-Served-By") == "b")
        let windows = try await a.get("/v1/stores/per-minute/keys/\(onB)/windows")
        #expect(windows.status == 200)
        #expect(windows.header("X-Tributary-Served-By") == "b")
    }

    @Test func theTokenTravelsWithTheForwardedRequest() async throws {
        let a = try QueryFixture(instanceID: "a", partitions: [0], token: "t")
        let b = try QueryFixture(instanceID: "b", partitions: [1], token: "t")
        a.directory.update(b.entry())
        try b.putCount(Self.key(in: 1), 5)
        let response = try await a.get("/v1/stores/counts/keys/\(Self.key(in: 1))", headers: [("Authorization", "Bearer t")])
        #expect(response.status == 200)
        #expect(response.header("X-Tributary-Served-By") == "b")
    }

    @Test func aForwardedRequestIsNeverForwardedAgain() async throws {
        let a = try QueryFixture(instanceID: "a", partitions: [0])
        let b = try QueryFixture(instanceID: "b", partitions: [1])
        // a believes b holds partition 0 too: without the guard the request would bounce back.
        var claim = b.entry()
        claim.stores = claim.stores.map { var store = $0; store.partitions = [0, 1]; return store }
        a.directory.update(claim)
        let response = try await a.get(
            "/v1/stores/counts/keys/\(Self.key(in: 1))", headers: [("X-Tributary-Forwarded", "b")])
        #expect(response.status == 503)
        #expect(response.header("X-Tributary-Served-By") == "a")
        #expect((try response.json()["error"] as? String)?.contains("forwarded the request") == true)
    }

    @Test func anUnreachableOwnerIs502Quickly() async throws {
        let a = try QueryFixture(instanceID: "a", partitions: [0])
        var dead = a.entry()
        dead.id = "dead"
        dead.endpoint = "127.0.0.1:1"
        dead.stores = dead.stores.map { var store = $0; store.partitions = [1]; return store }
        a.directory.update(dead)
        let started = ContinuousClock.now
        let response = try await a.get("/v1/stores/counts/keys/\(Self.key(in: 1))")
        // Bounded by the 300 ms connect timeout, not curl's default minutes; the margin is for loaded machines.
        #expect(ContinuousClock.now - started < .seconds(15))
        #expect(response.status == 502)
        #expect((try response.json()["error"] as? String)?.contains("instance dead at 127.0.0.1:1") == true)
    }

    @Test func aPartitionNoLiveInstanceHoldsIs503() async throws {
        let a = try QueryFixture(instanceID: "a", partitions: [0])
        var stale = a.entry(updatedMs: Int64(Date().timeIntervalSince1970 * 1000) - QueryFixture.staleAfterMs - 1_000)
        stale.id = "stale"
        stale.stores = stale.stores.map { var store = $0; store.partitions = [1]; return store }
        a.directory.update(stale)
        let response = try await a.get("/v1/stores/counts/keys/\(Self.key(in: 1))")
        #expect(response.status == 503)
        #expect(response.header("Retry-After") == "1")
        #expect((try response.json()["error"] as? String)?.contains("no live instance holds partition 1") == true)
    }
}
