/// Why an `EmbeddedKafkaCluster` refused to start or became unhealthy.
public enum EmbeddedKafkaClusterError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The linked librdkafka is not the exact build whose private mock layout
    /// this code mirrors; nothing was written to its memory.
    case layoutNotRecognised(String)
    /// The mock evicted records from a partition: consumers would silently miss them.
    case dataEvicted(topic: String, partition: Int32, startOffset: Int64)
    /// A mock cluster operation failed.
    case operationFailed(String)
    /// The cluster was shut down.
    case shutDown

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .layoutNotRecognised(let detail):
            "EmbeddedKafkaCluster refuses to run: \(detail)"
        case let .dataEvicted(topic, partition, startOffset):
            "EmbeddedKafkaCluster lost data: the librdkafka mock evicted records from \(topic)-\(partition) "
                + "(log start offset is now \(startOffset)); records before it are gone"
        case .operationFailed(let detail):
            "EmbeddedKafkaCluster operation failed: \(detail)"
        case .shutDown:
            "EmbeddedKafkaCluster has been shut down"
        }
    }
}
