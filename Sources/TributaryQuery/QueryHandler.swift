import Foundation
import TributaryCore

/// Answers the query port's requests: authentication, routing by key partition, the JSON endpoints.
///
/// ```
/// GET /health                                        200 running, 503 starting/restoring/stopping (no token needed)
/// GET /metrics                                       Prometheus text
/// GET /v1/stores                                     stores, partitions held here, state
/// GET /v1/stores/{store}/keys/{key}                  key-value lookup (routed to the owning instance)
/// GET /v1/stores/{store}/range?from=&to=&limit=      key range over the partitions held here
/// GET /v1/stores/{store}/keys/{key}/windows?from=&to= windows or sessions of a key (routed)
/// GET /v1/metadata                                   live instances, uncovered partitions
/// ```
/// Every answer this instance gives itself carries `X-Tributary-Served-By: <instance id>`; a forwarded answer
/// carries the owner's. Errors are `{"error": "..."}`: 400 bad parameters, 401 token, 404 unknown store, key or
/// path, 405 a method other than GET, 502 owner unreachable, 503 restoring or no owner (with `Retry-After`).
package final class QueryHandler: Sendable {
    /// The largest `limit` a range query accepts.
    package static let maxRangeLimit = 10_000
    private let configuration: QueryPortConfiguration
    private let stores: [String: StoreDescription]
    private let inputPartitions: [String: Int]
    private let registry: StoreRegistry
    private let directory: InstanceDirectory
    private let health: @Sendable () -> InstanceState
    private let metrics: @Sendable () -> String
    private let forwarder: QueryForwarder
    private let nowMs: @Sendable () -> Int64

    /// Creates a handler.
    /// - Parameters:
    ///   - stores: every store of the topology, by name.
    ///   - inputPartitions: partition counts of the input topics, for uncovered partitions in `/v1/metadata`.
    ///   - health: this instance's state now.
    ///   - metrics: the Prometheus text of `/metrics`.
    package init(
        configuration: QueryPortConfiguration, stores: [StoreDescription], inputPartitions: [String: Int],
        registry: StoreRegistry, directory: InstanceDirectory, health: @escaping @Sendable () -> InstanceState,
        metrics: @escaping @Sendable () -> String = { "" },
        nowMs: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
    ) {
        self.configuration = configuration
        self.stores = Dictionary(uniqueKeysWithValues: stores.map { ($0.name, $0) })
        self.inputPartitions = inputPartitions
        self.registry = registry
        self.directory = directory
        self.health = health
        self.metrics = metrics
        self.nowMs = nowMs
        self.forwarder = QueryForwarder(
            connectTimeout: configuration.forwardConnectTimeout, timeout: configuration.forwardTimeout)
    }

    /// The response to `request`.
    package func handle(_ request: QueryRequest) async -> QueryResponse {
        do {
            return try await route(request)
        } catch let error as QueryError {
            return served(.error(error))
        } catch {
            return served(.error(QueryError(500, "reading the store failed: \(error)")))
        }
    }

    private func served(_ response: QueryResponse) -> QueryResponse {
        var response = response
        response.headers.append(("X-Tributary-Served-By", configuration.instanceID))
        return response
    }

    private func route(_ request: QueryRequest) async throws -> QueryResponse {
        guard request.method == "GET" else {
            var response = QueryResponse.error(
                QueryError(405, "the query port is read-only: use GET (got \(request.method))"))
            response.headers.append(("Allow", "GET"))
            return served(response)
        }
        let segments = try request.segments()
        if segments == ["health"] { return served(healthResponse()) }
        try authenticate(request)
        switch segments.count {
        case 1 where segments[0] == "metrics":
            return served(QueryResponse(
                status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")],
                body: Array(metrics().utf8)))
        case 2 where segments == ["v1", "stores"]:
            return served(.json(200, storesJSON()))
        case 2 where segments == ["v1", "metadata"]:
            return served(.json(200, try metadataJSON()))
        case 4 where segments[0] == "v1" && segments[1] == "stores" && segments[3] == "range":
            return served(try range(store: try store(segments[2]), parameters: try request.parameters()))
        case 5 where segments[0] == "v1" && segments[1] == "stores" && segments[3] == "keys":
            return try await key(request, store: try store(segments[2]), keyText: segments[4])
        case 6 where segments[0] == "v1" && segments[1] == "stores" && segments[3] == "keys" && segments[5] == "windows":
            return try await windows(request, store: try store(segments[2]), keyText: segments[4])
        default:
            throw QueryError(404, "no endpoint \(request.path): use /v1/stores, /v1/stores/{store}/keys/{key}, /v1/stores/{store}/range, /v1/stores/{store}/keys/{key}/windows, /v1/metadata, /health or /metrics")
        }
    }

    private func authenticate(_ request: QueryRequest) throws(QueryError) {
        guard let token = configuration.token else { return }
        guard let header = request.headers["authorization"] else {
            throw QueryError(401, "missing token: send 'Authorization: Bearer <token>' (the --query-token or TRIBUTARY_QUERY_TOKEN of the instance)")
        }
        let expected = Array("Bearer \(token)".utf8)
        let given = Array(header.utf8)
        // Constant time in the token's content: compare every byte whatever differs first.
        var difference = UInt8(given.count == expected.count ? 0 : 1)
        for index in expected.indices { difference |= expected[index] ^ (index < given.count ? given[index] : 0) }
        guard difference == 0 else {
            throw QueryError(401, "wrong token: send 'Authorization: Bearer <token>' with the instance's --query-token")
        }
    }

    private func store(_ name: String) throws(QueryError) -> StoreDescription {
        guard let store = stores[name] else {
            throw QueryError(404, "unknown store '\(name)'; stores: \(stores.keys.sorted().joined(separator: ", "))")
        }
        return store
    }

    private func healthResponse() -> QueryResponse {
        let state = health()
        var response = QueryResponse.json(
            state == .running ? 200 : 503, JSONText.object([("state", JSONText.string(state.rawValue))]))
        if state != .running { response.headers.append(("Retry-After", String(configuration.retryAfterSeconds))) }
        return response
    }

    private func storesJSON() -> String {
        let registrations = registry.registrations()
        let list = stores.keys.sorted().map { name -> String in
            let store = stores[name]!
            let held = registrations.filter { $0.name == name }
            let running = held.filter { $0.state == .running }.map { String($0.partition) }
            let restoring = held.filter { $0.state == .restoring }.map { String($0.partition) }
            let state = held.isEmpty ? "none" : restoring.isEmpty ? "running" : "restoring"
            return JSONText.object([
                ("name", JSONText.string(name)), ("type", JSONText.string(store.type.rawValue)),
                ("keyFormat", JSONText.string(store.keyFormat.rawValue)),
                ("valueFormat", JSONText.string(store.valueFormat.rawValue)),
                ("partitionCount", String(store.partitions)), ("partitions", JSONText.array(running)),
                ("restoringPartitions", JSONText.array(restoring)), ("state", JSONText.string(state)),
            ])
        }
        return JSONText.object([
            ("instance", JSONText.string(configuration.instanceID)), ("stores", JSONText.array(list)),
        ])
    }

    private func metadataJSON() throws -> String {
        let now = nowMs()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let instances = try directory.live(nowMs: now).map { String(decoding: try $0.jsonBytes(), as: UTF8.self) }
        let uncovered = directory.uncoveredPartitions(partitionCounts: inputPartitions, nowMs: now)
        return JSONText.object([
            ("instance", JSONText.string(configuration.instanceID)), ("instances", JSONText.array(instances)),
            ("staleAfterMs", String(directory.staleAfterMs)),
            ("uncoveredPartitions", String(decoding: try encoder.encode(uncovered), as: UTF8.self)),
        ])
    }

    private func key(_ request: QueryRequest, store: StoreDescription, keyText: String) async throws -> QueryResponse {
        guard store.type == .keyValue else {
            throw QueryError(400, "store '\(store.name)' is a \(store.type.rawValue) store: use /v1/stores/\(store.name)/keys/{key}/windows?from=&to=")
        }
        let key = try QueryCodec.keyBytes(keyText, format: store.keyFormat, store: store.name)
        let partition = KeyPartitioner.partition(key: key, count: store.partitions)
        switch try registry.read(store.name, partition: partition, { try $0.get(key) }) {
        case .value(let value?):
            return served(.json(200, JSONText.object([
                ("store", JSONText.string(store.name)), ("key", QueryCodec.json(key, format: store.keyFormat)),
                ("partition", String(partition)), ("value", QueryCodec.json(value, format: store.valueFormat)),
            ])))
        case .value(nil):
            throw QueryError(404, "key '\(keyText)' not found in store '\(store.name)' (partition \(partition))")
        case .restoring:
            throw restoring(store: store.name, partition: partition)
        case .absent:
            return try await forward(request, store: store.name, partition: partition)
        }
    }

    private func windows(_ request: QueryRequest, store: StoreDescription, keyText: String) async throws -> QueryResponse {
        guard store.type != .keyValue else {
            throw QueryError(400, "store '\(store.name)' is a key-value store: use /v1/stores/\(store.name)/keys/{key}")
        }
        let parameters = try request.parameters()
        let from = try parameters["from"].map { text throws(QueryError) in try QueryCodec.time(text, parameter: "from") } ?? 0
        let to = try parameters["to"].map { text throws(QueryError) in try QueryCodec.time(text, parameter: "to") } ?? Int64.max
        guard from <= to else { throw QueryError(400, "from (\(from)) is after to (\(to))") }
        let key = try QueryCodec.keyBytes(keyText, format: store.keyFormat, store: store.name)
        let partition = KeyPartitioner.partition(key: key, count: store.partitions)
        let lookup = try registry.read(store.name, partition: partition) {
            try $0.windows(key, type: store.type, from: from, to: to)
        }
        switch lookup {
        case .value(let found):
            let list = found.map { window in
                var members = [("start", String(window.start)), ("startTime", JSONText.string(ISO8601Timestamp.format(window.start)))]
                if let end = window.end {
                    members += [("end", String(end)), ("endTime", JSONText.string(ISO8601Timestamp.format(end)))]
                }
                members.append(("value", QueryCodec.json(window.value, format: store.valueFormat)))
                return JSONText.object(members)
            }
            return served(.json(200, JSONText.object([
                ("store", JSONText.string(store.name)), ("key", QueryCodec.json(key, format: store.keyFormat)),
                ("partition", String(partition)), ("windows", JSONText.array(list)),
            ])))
        case .restoring:
            throw restoring(store: store.name, partition: partition)
        case .absent:
            return try await forward(request, store: store.name, partition: partition)
        }
    }

    /// A key range over the partitions of the store held and running here, merged in key order; the answer
    /// names the partitions it covers and, for the others, the instances that hold them.
    private func range(store: StoreDescription, parameters: [String: String]) throws -> QueryResponse {
        guard store.type == .keyValue else {
            throw QueryError(400, "store '\(store.name)' is a \(store.type.rawValue) store: ranges are for key-value stores; use /v1/stores/\(store.name)/keys/{key}/windows")
        }
        let from = try parameters["from"].map { text throws(QueryError) in
            try QueryCodec.keyBytes(text, format: store.keyFormat, store: store.name)
        }
        let to = try parameters["to"].map { text throws(QueryError) in
            try QueryCodec.keyBytes(text, format: store.keyFormat, store: store.name)
        }
        var limit = 100
        if let text = parameters["limit"] {
            guard let value = Int(text), value >= 1, value <= Self.maxRangeLimit else {
                throw QueryError(400, "limit='\(text)' must be an integer from 1 to \(Self.maxRangeLimit)")
            }
            limit = value
        }
        var pairs: [KeyValueBytes] = []
        var covered: [Int32] = []
        var missing: [Int] = []
        for partition in 0..<Int32(store.partitions) {
            switch try registry.read(store.name, partition: partition, { try $0.range(from: from, to: to, limit: limit) }) {
            case .value(let found):
                pairs += found
                covered.append(partition)
            case .restoring, .absent:
                missing.append(Int(partition))
            }
        }
        pairs.sort { ByteOrder.compare($0.key, $1.key) < 0 }
        let entries = pairs.prefix(limit).map { pair in
            JSONText.object([
                ("key", QueryCodec.json(pair.key, format: store.keyFormat)),
                ("value", QueryCodec.json(pair.value, format: store.valueFormat)),
            ])
        }
        let now = nowMs()
        let elsewhere = directory.live(nowMs: now).filter { $0.id != configuration.instanceID }.compactMap { info -> String? in
            let held = missing.filter { info.holds(store: store.name, partition: $0) }
            guard !held.isEmpty else { return nil }
            return JSONText.object([
                ("instance", JSONText.string(info.id)), ("endpoint", info.endpoint.map(JSONText.string) ?? "null"),
                ("partitions", JSONText.array(held.map(String.init))),
            ])
        }
        return .json(200, JSONText.object([
            ("store", JSONText.string(store.name)), ("entries", JSONText.array(entries)),
            ("partitions", JSONText.array(covered.map { String($0) })),
            ("missingPartitions", JSONText.array(missing.map(String.init))), ("elsewhere", JSONText.array(elsewhere)),
            ("truncated", pairs.count > limit ? "true" : "false"),
        ]))
    }

    private func restoring(store: String, partition: Int32) -> QueryError {
        QueryError(
            503, "partition \(partition) of store '\(store)' is restoring from its changelog on instance \(configuration.instanceID); retry shortly",
            retryAfter: configuration.retryAfterSeconds)
    }

    /// Sends the request to the live instance holding the partition, unless it was forwarded already.
    private func forward(_ request: QueryRequest, store: String, partition: Int32) async throws -> QueryResponse {
        let retry = configuration.retryAfterSeconds
        if let from = request.headers[QueryForwarder.forwardedHeader.lowercased()] {
            throw QueryError(
                503, "partition \(partition) of store '\(store)' is not on instance \(configuration.instanceID), to which instance \(from) forwarded the request (ownership is moving); retry shortly",
                retryAfter: retry)
        }
        guard let owner = directory.owner(store: store, partition: Int(partition), nowMs: nowMs()) else {
            throw QueryError(
                503, "no live instance holds partition \(partition) of store '\(store)' (see /v1/metadata for uncovered partitions); retry once its instance is up",
                retryAfter: retry)
        }
        guard let endpoint = owner.endpoint else {
            throw QueryError(
                503, "instance \(owner.id) holds partition \(partition) of store '\(store)' but has no query port; start it with --query-port",
                retryAfter: retry)
        }
        do {
            return try await forwarder.forward(request, to: endpoint, from: configuration.instanceID)
        } catch {
            throw QueryError(
                502, "instance \(owner.id) at \(endpoint), which holds partition \(partition) of store '\(store)', did not answer: \(error)")
        }
    }
}
