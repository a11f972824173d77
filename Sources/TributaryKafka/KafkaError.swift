internal import CRdKafka

/// An error reported by librdkafka or by the Tributary Kafka layer.
///
/// `code` is a librdkafka `rd_kafka_resp_err_t` value: negative codes are
/// client-local (for example `-185`, `_TIMED_OUT`), non-negative codes are
/// Kafka protocol error codes.
public struct KafkaError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The librdkafka error code (`rd_kafka_resp_err_t`).
    public let code: Int32
    /// The symbolic name of `code`, as given by `rd_kafka_err2name` (e.g. `_TIMED_OUT`).
    public let name: String
    /// A human-readable explanation: librdkafka's message, possibly with context.
    public let message: String
    /// Whether librdkafka classified the error as fatal: the client instance is unusable.
    public let isFatal: Bool

    /// Creates an error for `code`; `message` defaults to `rd_kafka_err2str(code)`.
    public init(code: Int32, message: String? = nil, isFatal: Bool = false) {
        self.code = code
        let err = rd_kafka_resp_err_t(rawValue: code)
        self.name = String(cString: rd_kafka_err2name(err))
        self.message = message ?? String(cString: rd_kafka_err2str(err))
        self.isFatal = isFatal
    }

    /// `name (code): message`, with a `FATAL` marker for fatal errors.
    public var description: String {
        "\(isFatal ? "FATAL " : "")KafkaError \(name) (\(code)): \(message)"
    }

    /// Takes ownership of an `rd_kafka_error_t` and destroys it.
    init(consuming error: OpaquePointer) {
        let code = rd_kafka_error_code(error).rawValue
        let message = String(cString: rd_kafka_error_string(error))
        let fatal = rd_kafka_error_is_fatal(error) != 0
        rd_kafka_error_destroy(error)
        self.init(code: code, message: message, isFatal: fatal)
    }
}

extension KafkaError {
    /// Well-known librdkafka error codes, for matching on `KafkaError.code`.
    public enum Code {
        /// `_TIMED_OUT`: an operation did not complete in time.
        public static let timedOut: Int32 = RD_KAFKA_RESP_ERR__TIMED_OUT.rawValue
        /// `_MSG_TIMED_OUT`: a produced message was not acknowledged within `message.timeout.ms`.
        public static let messageTimedOut: Int32 = RD_KAFKA_RESP_ERR__MSG_TIMED_OUT.rawValue
        /// `_QUEUE_FULL`: the producer's local queue is full.
        public static let queueFull: Int32 = RD_KAFKA_RESP_ERR__QUEUE_FULL.rawValue
        /// `_INVALID_ARG`: an argument or configuration value was rejected.
        public static let invalidArgument: Int32 = RD_KAFKA_RESP_ERR__INVALID_ARG.rawValue
        /// `_STATE`: the client is in the wrong state for the call (e.g. closed).
        public static let state: Int32 = RD_KAFKA_RESP_ERR__STATE.rawValue
        /// `_FATAL`: the client raised a fatal error.
        public static let fatal: Int32 = RD_KAFKA_RESP_ERR__FATAL.rawValue
        /// `_UNSUPPORTED_FEATURE`: the broker does not implement the request.
        ///
        /// `KafkaAdmin.createTopics` throws this when CreateTopics is not
        /// answered (as with the librdkafka mock cluster), so callers can fall back.
        public static let unsupportedFeature: Int32 = RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE.rawValue
        /// `UNKNOWN_TOPIC_OR_PART`: the topic or partition does not exist.
        public static let unknownTopicOrPartition: Int32 = RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART.rawValue
        /// `TOPIC_ALREADY_EXISTS`: a topic to create exists already.
        public static let topicAlreadyExists: Int32 = RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS.rawValue
        /// `TOPIC_AUTHORIZATION_FAILED`: the client may not access the topic.
        public static let topicAuthorizationFailed: Int32 = RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED.rawValue
        /// `_PARTITION_EOF`: the consumer reached the end of a partition.
        public static let partitionEOF: Int32 = RD_KAFKA_RESP_ERR__PARTITION_EOF.rawValue
    }
}
