import Foundation

/// One instance's entry in the instances topic `<application id>-instances` (compacted, one partition, keyed
/// by instance id; a clean shutdown writes a tombstone).
///
/// The value is this JSON object, keys sorted, `null` written out:
/// ```json
/// {"endpoint":"127.0.0.1:8080","id":"a1","lag":0,"mode":"partition-set","partitionSet":[0,1,2],
///  "partitions":{"words":[0,1,2]},"state":"running",
///  "stores":[{"name":"counts","partitions":[0,1,2],"state":"running","type":"keyValue"}],"updatedMs":1767225600000}
/// ```
package struct InstanceInfo: Codable, Sendable, Equatable {
    /// One store of the instance: the partitions it holds in one state.
    package struct StoreInfo: Codable, Sendable, Equatable {
        /// The store name.
        package var name: String
        /// Its kind.
        package var type: QueryStoreType
        /// Partitions held in `state`, ascending.
        package var partitions: [Int]
        /// `running` or `restoring`.
        package var state: QueryStoreState

        /// Creates an entry.
        package init(name: String, type: QueryStoreType, partitions: [Int], state: QueryStoreState) {
            self.name = name
            self.type = type
            self.partitions = partitions
            self.state = state
        }
    }

    /// How the instance gets its partitions.
    package enum Mode: String, Codable, Sendable, Equatable {
        /// The consumer group assigns them.
        case group
        /// `--partitions` pins them.
        case partitionSet = "partition-set"
    }

    /// The instance id (`--instance-id`, or a UUID made at start).
    package var id: String
    /// The query port's advertised `host:port`, or `nil` without a query port.
    package var endpoint: String?
    /// How it gets its partitions.
    package var mode: Mode
    /// The pinned partitions in partition-set mode, ascending; `nil` in group mode.
    package var partitionSet: [Int]?
    /// Partitions of each input topic it processes now, ascending.
    package var partitions: [String: [Int]]
    /// Its stores, sorted by name then state.
    package var stores: [StoreInfo]
    /// Its state.
    package var state: InstanceState
    /// Records behind the end of its input partitions, summed (0 when unknown).
    package var lag: Int
    /// Wall-clock ms when it wrote this entry.
    package var updatedMs: Int64

    /// Creates an entry.
    package init(
        id: String, endpoint: String?, mode: Mode, partitionSet: [Int]?, partitions: [String: [Int]],
        stores: [StoreInfo], state: InstanceState, lag: Int, updatedMs: Int64
    ) {
        self.id = id
        self.endpoint = endpoint
        self.mode = mode
        self.partitionSet = partitionSet
        self.partitions = partitions
        self.stores = stores
        self.state = state
        self.lag = lag
        self.updatedMs = updatedMs
    }

    private enum CodingKeys: String, CodingKey {
        case id, endpoint, mode, partitionSet, partitions, stores, state, lag, updatedMs
    }

    /// Writes every key, `null` for a missing endpoint or partition set (the contract has no absent keys).
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(endpoint, forKey: .endpoint)
        try container.encode(mode, forKey: .mode)
        try container.encode(partitionSet, forKey: .partitionSet)
        try container.encode(partitions, forKey: .partitions)
        try container.encode(stores, forKey: .stores)
        try container.encode(state, forKey: .state)
        try container.encode(lag, forKey: .lag)
        try container.encode(updatedMs, forKey: .updatedMs)
    }

    /// The entry's JSON value, keys sorted.
    package func jsonBytes() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }

    /// Decodes an entry's JSON value.
    package static func decode(_ bytes: [UInt8]) throws -> InstanceInfo {
        try JSONDecoder().decode(InstanceInfo.self, from: Data(bytes))
    }

    /// Whether it holds partition `partition` of store `name`, in any state.
    package func holds(store name: String, partition: Int) -> Bool {
        stores.contains { $0.name == name && $0.partitions.contains(partition) }
    }
}
