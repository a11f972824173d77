import Foundation
import Testing
@testable import TributaryKafka

@Suite(.timeLimit(.minutes(2)))
struct EmbeddedKafkaClusterTests {
    @Test func createTopicAndDefaultPartitionsApply() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 3, defaultPartitions: 6)
        try cluster.createTopic("explicit", partitions: 5, replicationFactor: 3)
        #expect(cluster.partitionCount(of: "explicit") == 5)
        #expect(cluster.partitionCount(of: "auto") == nil)
        let producer = try KafkaProducer(config: TestSupport.producerConfig(cluster))
        try producer.send(topic: "auto", key: [1], value: [1])
        try producer.flush(timeout: .seconds(10))
        #expect(cluster.partitionCount(of: "auto") == 6)
        try cluster.checkHealthy()
        cluster.shutdown()
        #expect(throws: EmbeddedKafkaClusterError.shutDown) { try cluster.checkHealthy() }
    }

    @Test func producerDeliversAfterBrokerComesBackAndWithRTT() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        try cluster.createTopic("faults", partitions: 1)
        try cluster.setBrokerRTT(1, milliseconds: 50)
        let producer = try KafkaProducer(config: TestSupport.producerConfig(cluster))
        let clock = ContinuousClock()
        let start = clock.now
        try producer.send(topic: "faults", key: nil, value: [0])
        try producer.flush(timeout: .seconds(10))
        #expect(clock.now - start >= .milliseconds(50))
        try cluster.setBrokerRTT(1, milliseconds: 0)
        try cluster.setBrokerDown(1)
        for i in 1...10 { try producer.send(topic: "faults", key: nil, value: [UInt8(i)]) }
        usleep(300_000)
        try cluster.setBrokerUp(1)
        try producer.flush(timeout: .seconds(20))
        let consumer = try KafkaConsumer(config: TestSupport.consumerConfig(cluster, group: "faults"))
        try consumer.assign([TopicPartitionOffset(topic: "faults", partition: 0, offset: TopicPartitionOffset.beginning)])
        let all = try TestSupport.consume(consumer, count: 11, timeout: .seconds(20))
        #expect(all.map { $0.value?.first ?? 255 } == (0...10).map { UInt8($0) })
        try cluster.checkHealthy()
    }

    /// Pushes 110 MB (110,000 records of 1,000 bytes) through one partition,
    /// far beyond the mock's 5 MiB / 100,000-message-set eviction limits, and
    /// reads every record back in order. Memory grows by about the data size
    /// (the mock keeps everything in RAM, plus producer/consumer buffers).
    @Test(.timeLimit(.minutes(2))) func hundredMegabytesThroughOnePartitionLoseNothing() throws {
        let cluster = try EmbeddedKafkaCluster()
        try cluster.createTopic("bulk", partitions: 1)
        let total = 110_000
        let producer = try KafkaProducer(config: TestSupport.producerConfig(cluster, [
            "linger.ms": "20", "batch.size": "1000000", "batch.num.messages": "10000",
        ]))
        let clock = ContinuousClock()
        let start = clock.now
        var payload = [UInt8](repeating: 0x61, count: 1000)
        for i in 0..<total {
            withUnsafeBytes(of: UInt64(i).bigEndian) { for (j, b) in $0.enumerated() { payload[j] = b } }
            try producer.send(topic: "bulk", partition: 0, key: nil, value: payload)
        }
        try producer.flush(timeout: .seconds(60))
        let produced = clock.now - start

        let consumer = try KafkaConsumer(config: TestSupport.consumerConfig(cluster, group: "bulk", [
            "fetch.max.bytes": "52428800", "max.partition.fetch.bytes": "10485760", "fetch.wait.max.ms": "10",
        ]))
        try consumer.assign([TopicPartitionOffset(topic: "bulk", partition: 0, offset: TopicPartitionOffset.beginning)])
        var expected: UInt64 = 0
        var mismatches = 0
        let deadline = clock.now + .seconds(90)
        while expected < UInt64(total), clock.now < deadline {
            for m in try consumer.poll(maxMessages: 10_000, timeout: .milliseconds(100)) {
                let seq = m.value.map { v in v.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) } } ?? .max
                if seq != expected || m.offset != Int64(expected) || m.value?.count != 1000 { mismatches += 1 }
                expected += 1
            }
        }
        let consumed = clock.now - start - produced
        #expect(expected == UInt64(total))
        #expect(mismatches == 0)
        let wm = try consumer.watermarks(topic: "bulk", partition: 0, timeout: .seconds(5))
        #expect(wm.low == 0 && wm.high == Int64(total))
        try cluster.checkHealthy()
        print("loss test: produced in \(produced), consumed in \(consumed), \(TestSupport.residentMegabytes())")
        try consumer.close()
    }
}

