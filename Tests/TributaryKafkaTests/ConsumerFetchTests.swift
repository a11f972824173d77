import Foundation
import Testing
@testable import TributaryKafka

/// How `poll` waits, and waking fetchers that stopped at librdkafka's prefetch thresholds.
@Suite(.timeLimit(.minutes(1)))
struct ConsumerFetchTests {
    /// `poll` returns what is there as soon as there is something: it does not wait for `maxMessages` records
    /// (librdkafka's batch call alone would wait the whole timeout for a batch it can never fill).
    @Test func pollReturnsAvailableRecordsWithoutWaitingForAFullBatch() throws {
        let cluster = try EmbeddedKafkaCluster()
        try cluster.createTopic("few", partitions: 1)
        let producer = try KafkaProducer(config: TestSupport.producerConfig(cluster))
        for i in 0..<5 { try producer.send(topic: "few", key: nil, value: [UInt8(i)]) }
        try producer.flush(timeout: .seconds(10))
        let consumer = try KafkaConsumer(config: TestSupport.consumerConfig(cluster, group: "few"))
        try consumer.assign([TopicPartitionOffset(topic: "few", partition: 0, offset: TopicPartitionOffset.beginning)])

        let clock = ContinuousClock()
        var received: [ConsumerMessage] = []
        var longest = Duration.zero
        while received.count < 5 {
            let start = clock.now
            let batch = try consumer.poll(maxMessages: 10_000, timeout: .seconds(20))
            if !batch.isEmpty { longest = max(longest, clock.now - start) }
            received += batch
        }
        #expect(received.map { $0.value ?? [] } == (0..<5).map { [UInt8($0)] })
        // A poll that waited for a full batch would have taken the whole 20 s.
        #expect(longest < .seconds(10))
        #expect(consumer.queuedMessageCount == 0)
        try consumer.close()
    }

    /// With thresholds that stop the fetcher after every response (`queued.min.messages=1`, one small record per
    /// fetch), librdkafka fetches again only when its broker thread wakes, about once a second: with wake-ups
    /// turned off a reader gets a handful of records in 4 s. `poll` wakes the fetchers (``KafkaConsumer/fetchWakeInterval``)
    /// and reads all 40 well within 15 s.
    @Test func pollWakesFetchersThatThePrefetchThresholdStopped() throws {
        let cluster = try EmbeddedKafkaCluster()
        try cluster.createTopic("throttled", partitions: 1)
        let producer = try KafkaProducer(config: TestSupport.producerConfig(cluster))
        let records = 40
        for i in 0..<records {
            // One message set per record: a fetch returns at least one whole set.
            try producer.send(topic: "throttled", key: nil, value: Array(repeating: UInt8(i), count: 600))
            try producer.flush(timeout: .seconds(10))
        }

        let withoutWakeUps = try Self.readThrottled(cluster, group: "unwoken", wakeInterval: nil, for: .seconds(4))
        #expect(withoutWakeUps.count < 20, "without wake-ups librdkafka fetches about once a second")
        let withWakeUps = try Self.readThrottled(cluster, group: "woken", wakeInterval: .milliseconds(100), for: .seconds(15))
        #expect(withWakeUps == (0..<Int64(records)).map { $0 })
    }

    /// Offsets read from `throttled` within `duration` (stopping at 40) by a consumer whose fetcher stops after
    /// every fetch response.
    static func readThrottled(
        _ cluster: EmbeddedKafkaCluster, group: String, wakeInterval: Duration?, for duration: Duration
    ) throws -> [Int64] {
        let consumer = try KafkaConsumer(
            config: TestSupport.consumerConfig(cluster, group: group, ["queued.min.messages": "1", "fetch.message.max.bytes": "1"]))
        defer { try? consumer.close() }
        consumer.fetchWakeInterval = wakeInterval
        try consumer.assign([TopicPartitionOffset(topic: "throttled", partition: 0, offset: TopicPartitionOffset.beginning)])
        let clock = ContinuousClock()
        let deadline = clock.now + duration
        var offsets: [Int64] = []
        while offsets.count < 40, clock.now < deadline {
            offsets += try consumer.poll(maxMessages: 100, timeout: .milliseconds(50)).map(\.offset)
        }
        return offsets
    }
}
