/// What to do with a record that could not be deserialized, processed or produced.
///
/// Policies are set per stage in ``ErrorPolicies``. With ``deadLetter(topic:)`` the original bytes go to the
/// topic unchanged, with headers naming the failure (see ``DeadLetterHeaders``); the next records are processed
/// as usual, so bad input never stops the pipeline and valid records around it are not lost.
public enum ErrorPolicy: Sendable, Equatable {
    /// Stop the task: the stream thread fails and the application shuts down with the error.
    case fail
    /// Log the failure, count it, skip the record.
    case logAndContinue
    /// Send the original record to `topic` with error headers, count it, continue.
    case deadLetter(topic: String)
}

/// The error policy for each stage a record can fail in.
public struct ErrorPolicies: Sendable, Equatable {
    /// Bytes that the source's serdes or timestamp extractor reject.
    public var deserialization: ErrorPolicy
    /// Errors thrown by operators and processors.
    public var processing: ErrorPolicy
    /// Records the sink could not serialize or the producer refused (for example, too large).
    public var production: ErrorPolicy

    /// Creates policies; each stage defaults to ``ErrorPolicy/fail``, as in Kafka Streams.
    public init(
        deserialization: ErrorPolicy = .fail, processing: ErrorPolicy = .fail, production: ErrorPolicy = .fail
    ) {
        self.deserialization = deserialization
        self.processing = processing
        self.production = production
    }

    /// Every stage sends failed records to `topic`.
    public static func deadLetter(topic: String) -> ErrorPolicies {
        ErrorPolicies(
            deserialization: .deadLetter(topic: topic), processing: .deadLetter(topic: topic),
            production: .deadLetter(topic: topic))
    }
}

/// The failure stages, as written in the `tributary.error.stage` header.
public enum ErrorStage: String, Sendable {
    /// Deserialization or timestamp extraction.
    case deserialization
    /// An operator or processor threw.
    case processing
    /// Serialization in a sink or the producer refused the record.
    case production
}

/// Header names on dead-letter records.
public enum DeadLetterHeaders {
    /// `deserialization`, `processing` or `production`.
    public static let stage = "tributary.error.stage"
    /// The error's description.
    public static let message = "tributary.error.message"
    /// The node that failed.
    public static let node = "tributary.error.node"
    /// Source topic of the original record.
    public static let topic = "tributary.error.topic"
    /// Source partition of the original record (decimal).
    public static let partition = "tributary.error.partition"
    /// Source offset of the original record (decimal).
    public static let offset = "tributary.error.offset"
    /// Set when the value was cut to fit the dead-letter topic; holds the original size in bytes (decimal).
    public static let truncatedFrom = "tributary.error.truncated-from"
}

/// A failure that stopped a task under ``ErrorPolicy/fail``.
public struct StreamsError: Error, CustomStringConvertible {
    /// The stage that failed.
    public var stage: ErrorStage
    /// The task the record belonged to.
    public var taskID: TaskID
    /// Source position of the record.
    public var metadata: RecordMetadata
    /// The underlying error.
    public var underlying: any Error

    public var description: String {
        "\(stage.rawValue) error in task \(taskID) at \(metadata.topic)-\(metadata.partition)@\(metadata.offset): \(underlying)"
    }
}

/// A problem with the shape of a topology, reported when it is built or started.
public enum TopologyError: Error, Equatable, CustomStringConvertible {
    /// Two nodes have the same name.
    case duplicateName(String)
    /// A topic is read by two source nodes.
    case topicReadTwice(String)
    /// A processor forwarded to a child it does not have.
    case unknownChild(processor: String, child: String)
    /// The topology reads no topic.
    case noSources
    /// Source topics of one sub-topology have different partition counts, so their tasks cannot be co-partitioned.
    case notCopartitioned(subtopology: Int, partitions: [String: Int])
    /// A source topic does not exist.
    case missingSourceTopic(String)
    /// Two stores have the same name.
    case duplicateStore(String)
    /// A node uses a store that was never declared.
    case unknownStore(node: String, store: String)
    /// An aggregation (or a join side) groups by a key computed in the topology while its input has several
    /// partitions.
    case repartitionRequired(subtopology: Int, aggregation: String, partitions: Int)
    /// A processor asked for a store its node is not connected to, or as the wrong kind.
    case storeNotConnected(node: String, store: String)

    public var description: String {
        switch self {
        case .duplicateName(let name): "two nodes are named '\(name)'; node names must be unique"
        case .topicReadTwice(let topic): "topic '\(topic)' is read by two sources; read it once and split the stream"
        case .unknownChild(let processor, let child): "processor '\(processor)' has no child named '\(child)'"
        case .noSources: "the topology reads no topic; add a source with StreamsBuilder.stream(_:)"
        case .notCopartitioned(let subtopology, let partitions):
            "sub-topology \(subtopology) reads topics with different partition counts ("
                + partitions.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
                + "); repartition them to the same count before joining or merging"
        case .missingSourceTopic(let topic): "source topic '\(topic)' does not exist; create it before starting"
        case .duplicateStore(let name): "two state stores are named '\(name)'; store names must be unique"
        case .unknownStore(let node, let store):
            "node '\(node)' uses store '\(store)', which is not declared; add it with StreamsBuilder.addStateStore(_:)"
        case .repartitionRequired(let subtopology, let aggregation, let partitions):
            "aggregation or join '\(aggregation)' in sub-topology \(subtopology) groups by a key computed after map/flatMap/"
                + "selectKey/process, but its input has \(partitions) partitions; records of one key could be counted "
                + "in several tasks. Group with groupBy(named:key:value:_:) instead, or call repartition(named:key:value:) "
                + "before groupByKey, so records go through a repartition topic keyed by the grouping key"
        case .storeNotConnected(let node, let store):
            "processor '\(node)' asked for store '\(store)', which is not connected to it as that kind of store"
        }
    }
}
