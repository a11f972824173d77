import TributaryKafka

/// Why a ``StreamsApp`` could not start, or stopped.
public enum StreamsAppError: Error, CustomStringConvertible {
    /// No broker answered a metadata request within 10 seconds.
    case clusterUnreachable(bootstrapServers: String, underlying: KafkaError)
    /// An internal topic exists with another partition count than its tasks need.
    case internalTopicPartitions(topic: String, found: Int, expected: Int)
    /// An internal topic is missing and the broker did not create it.
    case internalTopicMissing(topic: String, partitions: Int, config: [String: String], underlying: KafkaError)
    /// A store's local checkpoint is past the end of its changelog (the changelog was deleted or recreated).
    case checkpointBeyondChangelog(store: String, task: String, checkpoint: Int64, changelogEnd: Int64, topic: String)
    /// Restoration read no progress from a changelog partition for a minute.
    case restorationStalled(topic: String, partition: Int32, reached: Int64, end: Int64)
    /// `--partitions` is not in the accepted form.
    case invalidPartitionSet(String, reason: String)
    /// The partition set overlaps the partitions of a live instance (from the instances topic).
    case partitionSetOverlap(instance: String, endpoint: String?, overlap: [Int32])
    /// The partition set names partitions the input topics do not have.
    case partitionSetOutOfRange(partitions: [Int32], topic: String, partitionCount: Int)
    /// The topic `<application id>-generation` holds a record that is not a generation number.
    case badGenerationRecord(topic: String, offset: Int64, value: String)

    public var description: String {
        switch self {
        case .clusterUnreachable(let servers, let underlying):
            "cannot reach Kafka at \(servers) (\(underlying.message)); check --bootstrap-servers and that the "
                + "brokers are up"
        case .internalTopicPartitions(let topic, let found, let expected):
            "internal topic '\(topic)' has \(found) partitions but its tasks need \(expected); delete it (its data "
                + "is rebuilt from the inputs) or recreate it with \(expected) partitions"
        case .internalTopicMissing(let topic, let partitions, let config, let underlying):
            "internal topic '\(topic)' does not exist and could not be created (\(underlying.message)); create it "
                + "with \(partitions) partitions and "
                + config.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        case .checkpointBeyondChangelog(let store, let task, let checkpoint, let end, let topic):
            "store '\(store)' of task \(task) reflects changelog offset \(checkpoint) but '\(topic)' ends at \(end): "
                + "the changelog was deleted or recreated; delete the task's state directory to rebuild it from the "
                + "changelog"
        case .restorationStalled(let topic, let partition, let reached, let end):
            "restoring from \(topic)-\(partition) stalled at offset \(reached) of \(end) for a minute; check that "
                + "the brokers are up"
        case .invalidPartitionSet(let text, let reason):
            "--partitions '\(text)': \(reason); write partition numbers and inclusive ranges separated by commas, "
                + "e.g. --partitions 0-2,5"
        case .partitionSetOverlap(let instance, let endpoint, let overlap):
            "partitions \(PartitionSet.format(overlap)) are already processed by live instance '\(instance)'"
                + (endpoint.map { " (query port \($0))" } ?? "")
                + "; give this instance a set disjoint from it, or stop that instance first (its entry expires 15 s "
                + "after it last announced itself)"
        case .partitionSetOutOfRange(let partitions, let topic, let count):
            "--partitions names \(PartitionSet.format(partitions)) but input topic '\(topic)' has only \(count) "
                + "partitions (0-\(count - 1))"
        case .badGenerationRecord(let topic, let offset, let value):
            "'\(topic)' offset \(offset) holds '\(value)', not an internal topic generation number; it is written "
                + "only by tributary replay: fix or delete the record (or the topic, to go back to generation 0)"
        }
    }
}
