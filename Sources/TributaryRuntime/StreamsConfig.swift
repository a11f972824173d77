import TributaryCore

/// How a ``StreamsApp`` connects, commits, and handles failures.
public struct StreamsConfig: Sendable {
    /// The application id: the consumer group id, and the prefix of internal topics and state directories.
    public var applicationID: String
    /// Kafka bootstrap servers, `host:port[,host:port...]`.
    public var bootstrapServers: String
    /// Stream threads in this instance; tasks are spread over them by the consumer group.
    public var threads: Int = 1
    /// Where local state lives (`<stateDirectory>/<applicationID>/<task>/<store>`).
    public var stateDirectory: String = "/tmp/tributary"
    /// The memory all RocksDB stores of this instance share: one LRU block cache of this size holding data,
    /// index and filter blocks and, charged to it by a write buffer manager, the memtables of every store
    /// (together at most a quarter of it). Default: 128 MiB. See README, "State, restoration and memory".
    public var stateStoreMemoryBytes: Int = 128 << 20
    /// How often offsets are committed (at-least-once: outputs are acknowledged first).
    public var commitInterval: Duration = .seconds(1)
    /// How long a task reading several partitions waits for an empty one before processing without it.
    public var maxTaskIdle: Duration = .zero
    /// At start, how long the threads of this instance wait for every one of them to get its first assignment
    /// before processing (see README, "Order across partitions"). Default: 10 s; zero disables the wait.
    public var startupAssignmentWait: Duration = .seconds(10)
    /// The most records one poll returns.
    public var pollBatchSize: Int = 10_000
    /// What to do with records that fail to deserialize, process or produce.
    public var errorPolicies: ErrorPolicies = ErrorPolicies()
    /// Extra librdkafka properties for consumers, e.g. `session.timeout.ms`.
    public var consumerOverrides: [String: String] = [:]
    /// Extra librdkafka properties for producers, e.g. `linger.ms`.
    public var producerOverrides: [String: String] = [:]
    /// This instance's id in the instances topic (and, in group mode, its static membership
    /// `group.instance.id`, suffixed with the thread index). `nil`: a new UUID at every start, no static membership.
    public var instanceID: String?
    /// Partition-set mode: process exactly these partitions of every input topic, assigned manually (no
    /// consumer group membership; offsets still committed under ``applicationID``). `nil`: group mode.
    public var partitionSet: [Int32]?
    /// The query port (HTTP) to serve, or `nil` for none. See README, "Query port".
    public var queryPort: QueryPortOptions?
    /// How often this instance rewrites its entry in the `<applicationID>-instances` topic; entries older than
    /// three intervals count as gone.
    public var instanceRefreshInterval: Duration = .seconds(5)

    /// The generation of internal topic names: 0 names repartition and changelog topics `<applicationID>-<name>`,
    /// N > 0 names them `<applicationID>-g<N>-<name>`. ``StreamsApp`` reads it at start from the compacted topic
    /// `<applicationID>-generation`, which `tributary replay` advances when the broker cannot delete topics.
    package var internalTopicGeneration = 0

    /// The prefix of internal topic names for ``internalTopicGeneration``; every internal topic name is built from it.
    package var internalTopicPrefix: String {
        InternalTopicGeneration.prefix(applicationID: applicationID, generation: internalTopicGeneration)
    }

    /// Creates a configuration with defaults for everything but the id and the servers.
    public init(applicationID: String, bootstrapServers: String) {
        self.applicationID = applicationID
        self.bootstrapServers = bootstrapServers
    }
}
