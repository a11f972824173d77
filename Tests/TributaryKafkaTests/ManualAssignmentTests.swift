import Testing
@testable import TributaryKafka

@Suite(.timeLimit(.minutes(1)))
struct ManualAssignmentTests {
    @Test func pauseResumeSeekWatermarksAndOffsetsForTimes() throws {
        let cluster = try EmbeddedKafkaCluster()
        try cluster.createTopic("man", partitions: 2)
        let producer = try KafkaProducer(config: TestSupport.producerConfig(cluster))
        for i in 0..<20 {
            try producer.send(topic: "man", partition: Int32(i % 2), key: nil, value: [UInt8(i)], timestamp: 1_000_000 + Int64(i) * 1000)
        }
        try producer.flush(timeout: .seconds(10))

        let consumer = try KafkaConsumer(config: TestSupport.consumerConfig(cluster, group: "manual"))
        let p0 = TopicPartition(topic: "man", partition: 0)
        let p1 = TopicPartition(topic: "man", partition: 1)
        let wm = try consumer.watermarks(topic: "man", partition: 0, timeout: .seconds(5))
        #expect(wm.low == 0 && wm.high == 10)

        try consumer.assign([TopicPartitionOffset(p0, offset: TopicPartitionOffset.beginning), TopicPartitionOffset(p1, offset: 5)])
        #expect(Set(try consumer.assignment()) == [p0, p1])
        try consumer.pause([p1])
        let first = try TestSupport.consume(consumer, count: 10, timeout: .seconds(10))
        #expect(first.count == 10)
        #expect(first.allSatisfy { $0.partition == 0 })
        #expect(try consumer.poll(maxMessages: 100, timeout: .milliseconds(300)).isEmpty)

        try consumer.resume([p1])
        let second = try TestSupport.consume(consumer, count: 5, timeout: .seconds(10))
        #expect(second.map(\.offset) == [5, 6, 7, 8, 9])
        #expect(second.allSatisfy { $0.partition == 1 })
        #expect(try consumer.position([p1]).first?.offset == 10)

        try consumer.seek(TopicPartitionOffset(p0, offset: 7), timeout: .seconds(5))
        let again = try TestSupport.consume(consumer, count: 3, timeout: .seconds(10))
        #expect(again.map(\.offset) == [7, 8, 9])

        // The 2.0.2 mock answers ListOffsets only for the logical timestamps
        // (earliest/latest) and returns -1 for real ones ("FIXME: by timestamp").
        let logical = try consumer.offsetsForTimes(
            [p0: TopicPartitionOffset.beginning, p1: TopicPartitionOffset.end], timeout: .seconds(5))
        #expect(logical == [p0: 0, p1: 10])
        let byTime = try consumer.offsetsForTimes([p0: 1_000_000 + 5 * 1000], timeout: .seconds(5))
        #expect(byTime[p0] == -1)
        try consumer.close()
    }
}
