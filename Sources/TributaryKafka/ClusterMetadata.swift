/// A snapshot of cluster metadata: brokers and topics.
public struct ClusterMetadata: Sendable {
    /// A broker in the cluster.
    public struct Broker: Sendable, Hashable {
        /// The broker id.
        public var id: Int32
        /// The advertised host name.
        public var host: String
        /// The advertised port.
        public var port: Int32
    }

    /// A topic in the cluster.
    public struct Topic: Sendable, Hashable {
        /// The topic name.
        public var name: String
        /// The number of partitions.
        public var partitionCount: Int
        /// The topic-level error code the broker reported (0 for none).
        public var errorCode: Int32
    }

    /// The brokers.
    public var brokers: [Broker]
    /// The topics, including internal ones such as `__consumer_offsets` if present.
    public var topics: [Topic]

    /// The topic named `name`, if listed.
    public func topic(named name: String) -> Topic? { topics.first { $0.name == name } }
}
