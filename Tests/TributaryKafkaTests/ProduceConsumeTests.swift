import Testing
@testable import TributaryKafka

@Suite(.timeLimit(.minutes(1)))
struct ProduceConsumeTests {
    @Test func roundTripKeepsKeysValuesHeadersAndTimestamps() throws {
        let cluster = try EmbeddedKafkaCluster()
        try cluster.createTopic("rt", partitions: 1)
        let producer = try KafkaProducer(config: TestSupport.producerConfig(cluster))
        for i in 0..<10 {
            try producer.send(
                topic: "rt", key: i == 3 ? nil : TestSupport.bytes("k\(i)"), value: i == 4 ? nil : TestSupport.bytes("v\(i)"),
                timestamp: 1_700_000_000_000 + Int64(i),
                headers: i % 2 == 0 ? [KafkaHeader(key: "h", value: [UInt8(i)]), KafkaHeader(key: "null", value: nil)] : [])
        }
        try producer.send(topic: "rt", key: [], value: [])
        try producer.flush(timeout: .seconds(10))

        let consumer = try KafkaConsumer(config: TestSupport.consumerConfig(cluster, group: "rt-group"))
        try consumer.assign([TopicPartitionOffset(topic: "rt", partition: 0, offset: TopicPartitionOffset.beginning)])
        let messages = try TestSupport.consume(consumer, count: 11, timeout: .seconds(20))
        #expect(messages.count == 11)
        for (i, m) in messages.prefix(10).enumerated() {
            #expect(m.topic == "rt")
            #expect(m.offset == Int64(i))
            #expect(m.key == (i == 3 ? nil : TestSupport.bytes("k\(i)")))
            #expect(m.value == (i == 4 ? nil : TestSupport.bytes("v\(i)")))
            #expect(m.timestamp == 1_700_000_000_000 + Int64(i))
            #expect(m.headers == (i % 2 == 0 ? [KafkaHeader(key: "h", value: [UInt8(i)]), KafkaHeader(key: "null", value: nil)] : []))
        }
        #expect(messages.last?.key == [])
        #expect(messages.last?.value == [])
        try consumer.close()
        try cluster.checkHealthy()
    }

    @Test func deliveryFailuresAreThrownFromFlush() throws {
        let cluster = try EmbeddedKafkaCluster()
        try cluster.createTopic("denied", partitions: 1)
        let producer = try KafkaProducer(config: TestSupport.producerConfig(cluster, [
            "message.timeout.ms": "3000", "enable.idempotence": "false", "retries": "0",
        ]))
        try producer.send(topic: "denied", key: nil, value: [1])
        try producer.flush(timeout: .seconds(10))
        try cluster.pushRequestErrors(apiKey: 0, errors: Array(repeating: KafkaError.Code.topicAuthorizationFailed, count: 5))
        try producer.send(topic: "denied", key: nil, value: [2])
        #expect {
            try producer.flush(timeout: .seconds(10))
        } throws: { error in
            (error as? KafkaError)?.code == KafkaError.Code.topicAuthorizationFailed
        }
    }

    @Test func flushTimesOutWhileTheOnlyBrokerIsDown() throws {
        let cluster = try EmbeddedKafkaCluster()
        try cluster.createTopic("down", partitions: 1)
        let producer = try KafkaProducer(config: TestSupport.producerConfig(cluster))
        try producer.send(topic: "down", key: nil, value: [0])
        try producer.flush(timeout: .seconds(10))
        try cluster.setBrokerDown(1)
        try producer.send(topic: "down", key: nil, value: [1])
        #expect {
            try producer.flush(timeout: .milliseconds(500))
        } throws: { error in
            (error as? KafkaError)?.code == KafkaError.Code.timedOut
        }
        try cluster.setBrokerUp(1)
        try producer.flush(timeout: .seconds(20))
        #expect(producer.outstandingCount == 0)
    }
}
