import Testing
@testable import TributaryKafka

@Suite(.timeLimit(.minutes(1)))
struct AdminTests {
    @Test func metadataListsCreatedTopicsWithPartitionCounts() throws {
        let cluster = try EmbeddedKafkaCluster(brokers: 2)
        try cluster.createTopic("a", partitions: 3)
        try cluster.createTopic("b", partitions: 1)
        let admin = try KafkaAdmin(config: ["bootstrap.servers": cluster.bootstrapServers])
        let md = try admin.metadata(timeout: .seconds(5))
        #expect(md.brokers.count == 2)
        #expect(md.topic(named: "a")?.partitionCount == 3)
        #expect(md.topic(named: "b")?.partitionCount == 1)
    }

    @Test func createTopicsOnTheMockThrowsUnsupportedFeature() throws {
        let cluster = try EmbeddedKafkaCluster()
        let admin = try KafkaAdmin(config: ["bootstrap.servers": cluster.bootstrapServers])
        let clock = ContinuousClock()
        let start = clock.now
        #expect {
            try admin.createTopics([NewTopic(name: "x", partitions: 2, replicationFactor: 1)], timeout: .seconds(1))
        } throws: { error in
            (error as? KafkaError)?.code == KafkaError.Code.unsupportedFeature
        }
        #expect(clock.now - start < .seconds(5))
    }

    @Test func theMockClusterIsRecognizedByItsClusterID() throws {
        let cluster = try EmbeddedKafkaCluster()
        let admin = try KafkaAdmin(config: ["bootstrap.servers": cluster.bootstrapServers])
        #expect(admin.clusterID(timeout: .seconds(5))?.hasPrefix("mockCluster") == true)
        #expect(admin.isMockCluster(timeout: .seconds(5)))
    }
}
