internal import CRdKafka

/// Owns an `rd_kafka_topic_partition_list_t`; deinit destroys it unless it was borrowed.
final class RDKafkaTopicPartitionList {
    /// The list pointer.
    let handle: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>
    private let owned: Bool

    /// Creates an empty list.
    init(capacity: Int = 0) {
        handle = rd_kafka_topic_partition_list_new(Int32(clamping: capacity))
        owned = true
    }

    /// Wraps a list; `owned` decides whether deinit destroys it.
    init(wrapping list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>, owned: Bool) {
        handle = list
        self.owned = owned
    }

    /// Creates a list of partitions with `RD_KAFKA_OFFSET_INVALID` offsets.
    convenience init(_ partitions: [TopicPartition]) {
        self.init(capacity: partitions.count)
        for tp in partitions { add(tp.topic, tp.partition, offset: TopicPartitionOffset.invalid) }
    }

    /// Creates a list of partitions with offsets.
    convenience init(_ offsets: [TopicPartitionOffset]) {
        self.init(capacity: offsets.count)
        for tpo in offsets { add(tpo.topic, tpo.partition, offset: tpo.offset) }
    }

    deinit {
        if owned { rd_kafka_topic_partition_list_destroy(handle) }
    }

    /// Appends one element.
    func add(_ topic: String, _ partition: Int32, offset: Int64) {
        let element = rd_kafka_topic_partition_list_add(handle, topic, partition)!
        element.pointee.offset = offset
    }

    /// The elements as `TopicPartitionOffset`s.
    var offsets: [TopicPartitionOffset] {
        let count = Int(handle.pointee.cnt)
        var result: [TopicPartitionOffset] = []
        result.reserveCapacity(count)
        for i in 0..<count {
            let element = handle.pointee.elems[i]
            result.append(TopicPartitionOffset(
                topic: String(cString: element.topic), partition: element.partition, offset: element.offset))
        }
        return result
    }

    /// The elements as `TopicPartition`s.
    var partitions: [TopicPartition] { offsets.map(\.topicPartition) }

    /// Throws the first per-element error, if any.
    func checkElementErrors(_ context: String) throws(KafkaError) {
        for i in 0..<Int(handle.pointee.cnt) {
            let element = handle.pointee.elems[i]
            let topic = String(cString: element.topic)
            try check(element.err, "\(context) \(topic)-\(element.partition)")
        }
    }
}
