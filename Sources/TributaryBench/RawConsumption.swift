import TributaryKafka
import TributaryRuntime

/// The baseline every workload is compared with: one plain consumer reading `records` records of its topics from
/// the first offset (bytes copied into Swift arrays, nothing else), timed from its assignment. It uses the stream
/// threads' prefetch thresholds (``ConsumerPrefetch``): with librdkafka's defaults its fetcher stalls each time the
/// local queue fills, which made the baseline slower than the consumer the topology runs on. Like every
/// `KafkaConsumer`, it wakes fetchers stopped at those thresholds (`KafkaConsumer.fetchWakeInterval`).
enum RawConsumption {
    /// Seconds to read `records` records of partitions `0..<partitions` of `topic`.
    static func seconds(
        _ cluster: EmbeddedKafkaCluster, topic: String, partitions: Int, records: Int
    ) throws -> Double {
        try seconds(cluster, topics: [topic], partitions: partitions, records: records)
    }

    /// Seconds for one consumer to read `records` records of partitions `0..<partitions` of every topic in `topics`.
    static func seconds(
        _ cluster: EmbeddedKafkaCluster, topics: [String], partitions: Int, records: Int
    ) throws -> Double {
        let consumer = try KafkaConsumer(config: [
            "bootstrap.servers": cluster.bootstrapServers, "group.id": "bench-raw", "enable.partition.eof": "false",
        ].merging(ConsumerPrefetch.streamThreadDefaults) { _, prefetch in prefetch })
        defer { try? consumer.close() }
        try consumer.assign(topics.flatMap { topic in
            (0..<Int32(partitions)).map {
                TopicPartitionOffset(topic: topic, partition: $0, offset: TopicPartitionOffset.beginning)
            }
        })
        var count = 0
        var checksum = 0
        let clock = ContinuousClock()
        let start = clock.now
        while count < records {
            let batch = try consumer.poll(maxMessages: 10_000, timeout: .milliseconds(100))
            count += batch.count
            for message in batch { checksum &+= message.value?.count ?? 0 }
        }
        let elapsed = clock.now - start
        precondition(checksum > 0)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
