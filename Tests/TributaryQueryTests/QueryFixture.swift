import Foundation
import Logging
import TributaryCore
import TributaryHTTP
import TributaryQuery
import TributaryRocksDB

/// Real RocksDB stores registered in a real registry behind a real query server on 127.0.0.1.
final class QueryFixture {
    static let counts = "counts"
    static let windows = "per-minute"
    static let partitions = 2
    static let staleAfterMs: Int64 = 600_000

    let directoryPath: String
    let resources: RocksDBResources
    let registry = StoreRegistry()
    let directory: InstanceDirectory
    let server: QueryServer
    let port: Int
    let instanceID: String
    var keyValueStores: [Int32: RocksDBKeyValueBytesStore] = [:]
    var windowStores: [Int32: RocksDBWindowStore] = [:]

    /// Stores for `partitions` (the others are not held here); `state` tells `/health`.
    init(
        instanceID: String = "a", partitions: [Int32] = [0, 1], token: String? = nil,
        state: @escaping @Sendable () -> InstanceState = { .running }, metrics: @escaping @Sendable () -> String = { "" },
        nowMs: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
    ) throws {
        self.instanceID = instanceID
        directoryPath = NSTemporaryDirectory() + "tributary-query-test-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directoryPath, withIntermediateDirectories: true)
        resources = RocksDBResources(options: RocksDBOptions(blockCacheBytes: 8 << 20, writeBufferBytes: 2 << 20))
        // Entries expire after 10 minutes here, so a slow (loaded) machine cannot expire them mid-test.
        directory = InstanceDirectory(selfID: instanceID, staleAfterMs: Self.staleAfterMs)
        for partition in partitions {
            let keyValue = try RocksDBKeyValueBytesStore(
                name: Self.counts, path: "\(directoryPath)/kv-\(partition)", resources: resources)
            let window = try RocksDBWindowStore(
                name: Self.windows, path: "\(directoryPath)/w-\(partition)", retentionMs: 86_400_000,
                resources: resources)
            keyValueStores[partition] = keyValue
            windowStores[partition] = window
            registry.register(
                keyValue.committedReader()!, name: Self.counts, partition: partition, type: .keyValue, state: .running)
            registry.register(
                window.committedReader()!, name: Self.windows, partition: partition, type: .window, state: .running)
        }
        var configuration = QueryPortConfiguration(port: 0, instanceID: instanceID, token: token)
        configuration.forwardConnectTimeout = .milliseconds(300)
        configuration.forwardTimeout = .seconds(2)
        let handler = QueryHandler(
            configuration: configuration,
            stores: [
                StoreDescription(
                    name: Self.counts, type: .keyValue, keyFormat: .string, valueFormat: .int64,
                    partitions: Self.partitions),
                StoreDescription(
                    name: Self.windows, type: .window, keyFormat: .string, valueFormat: .json, partitions: Self.partitions),
            ],
            inputPartitions: ["words": Self.partitions], registry: registry, directory: directory, health: state,
            metrics: metrics, nowMs: nowMs)
        server = QueryServer(handler: handler, host: "127.0.0.1", port: 0, logger: Logger(label: "query-test"))
        port = try server.start()
    }

    deinit {
        server.stop()
        for partition in keyValueStores.keys {
            registry.deregister(Self.counts, partition: partition)
            registry.deregister(Self.windows, partition: partition)
            keyValueStores[partition]!.close()
            windowStores[partition]!.close()
        }
        try? FileManager.default.removeItem(atPath: directoryPath)
    }

    var endpoint: String { "127.0.0.1:\(port)" }

    /// The partition `key` belongs to.
    static func partition(of key: String) -> Int32 {
        KeyPartitioner.partition(key: Array(key.utf8), count: partitions)
    }

    /// Writes and commits a count, if its partition is held here.
    func putCount(_ key: String, _ count: Int64) throws {
        guard let store = keyValueStores[Self.partition(of: key)] else { return }
        try store.put(Array(key.utf8), withUnsafeBytes(of: count.bigEndian) { Array($0) })
        try store.writeCheckpoint([:])
    }

    /// Writes and commits a window value (JSON), if its partition is held here.
    func putWindow(_ key: String, start: Int64, json: String) throws {
        guard let store = windowStores[Self.partition(of: key)] else { return }
        try store.put(Array(key.utf8), windowStart: start, Array(json.utf8))
        try store.writeCheckpoint([:])
    }

    /// An entry for the instance directory describing this fixture.
    func entry(updatedMs: Int64 = Int64(Date().timeIntervalSince1970 * 1000)) -> InstanceInfo {
        let partitions = keyValueStores.keys.sorted().map(Int.init)
        return InstanceInfo(
            id: instanceID, endpoint: endpoint, mode: .partitionSet, partitionSet: partitions,
            partitions: ["words": partitions],
            stores: [
                .init(name: Self.counts, type: .keyValue, partitions: partitions, state: .running),
                .init(name: Self.windows, type: .window, partitions: partitions, state: .running),
            ],
            state: .running, lag: 0, updatedMs: updatedMs)
    }

    /// GET `path` on this server.
    /// curl blocks: it runs on a thread of its own, leaving Swift's cooperative threads free.
    func get(_ path: String, headers: [(name: String, value: String)] = []) async throws -> HTTPResponse {
        let request = HTTPRequest(
            url: "http://\(endpoint)\(path)", headers: headers, connectTimeout: .seconds(2), totalTimeout: .seconds(10))
        return try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try HTTPClient().fetch(request) }) }.start()
        }
    }
}

extension HTTPResponse {
    /// The body parsed as a JSON object.
    func json() throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) as? [String: Any] ?? [:]
    }

    /// The body as text.
    var text: String { String(decoding: body, as: UTF8.self) }
}
