/// A topic to create with `KafkaAdmin.createTopics`.
public struct NewTopic: Sendable, Hashable {
    /// The topic name.
    public var name: String
    /// The number of partitions.
    public var partitions: Int
    /// The replication factor.
    public var replicationFactor: Int
    /// Topic configuration overrides (e.g. `cleanup.policy`).
    public var config: [String: String]

    /// Creates a topic specification.
    public init(name: String, partitions: Int, replicationFactor: Int, config: [String: String] = [:]) {
        self.name = name
        self.partitions = partitions
        self.replicationFactor = replicationFactor
        self.config = config
    }
}
