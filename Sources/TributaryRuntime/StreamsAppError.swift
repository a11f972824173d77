import TributaryKafka

/// Why a ``StreamsApp`` could not start.
public enum StreamsAppError: Error, CustomStringConvertible {
    /// No broker answered a metadata request within 10 seconds.
    case clusterUnreachable(bootstrapServers: String, underlying: KafkaError)
    /// An internal topic exists with another partition count than its tasks need.
    case internalTopicPartitions(topic: String, found: Int, expected: Int)
    /// An internal topic is missing and the broker did not create it.
    case internalTopicMissing(topic: String, partitions: Int, underlying: KafkaError)

    public var description: String {
        switch self {
        case .clusterUnreachable(let servers, let underlying):
            "cannot reach Kafka at \(servers) (\(underlying.message)); check --bootstrap-servers and that the "
                + "brokers are up"
        case .internalTopicPartitions(let topic, let found, let expected):
            "internal topic '\(topic)' has \(found) partitions but its tasks need \(expected); delete it (its data "
                + "is rebuilt from the inputs) or recreate it with \(expected) partitions"
        case .internalTopicMissing(let topic, let partitions, let underlying):
            "internal topic '\(topic)' does not exist and could not be created (\(underlying.message)); create it "
                + "with \(partitions) partitions and cleanup.policy=compact"
        }
    }
}
