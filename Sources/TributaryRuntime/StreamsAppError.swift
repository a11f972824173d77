import TributaryKafka

/// Why a ``StreamsApp`` could not start.
public enum StreamsAppError: Error, CustomStringConvertible {
    /// No broker answered a metadata request within 10 seconds.
    case clusterUnreachable(bootstrapServers: String, underlying: KafkaError)

    public var description: String {
        switch self {
        case .clusterUnreachable(let servers, let underlying):
            "cannot reach Kafka at \(servers) (\(underlying.message)); check --bootstrap-servers and that the "
                + "brokers are up"
        }
    }
}
