import Foundation
import TributaryKafka

/// The generation of an application's internal topic names, kept durably in the topic `<applicationID>-generation`
/// (compacted, 1 partition; key `generation`, value the decimal number).
///
/// Generation 0 (no topic, or no record) names internal topics `<applicationID>-<name>`; generation N > 0 names
/// them `<applicationID>-g<N>-<name>`. `tributary replay` writes N + 1 to invalidate every repartition and
/// changelog topic at once on brokers that cannot delete topics; ``StreamsApp`` reads it at start. The group id,
/// state directory and client ids stay `<applicationID>`.
package enum InternalTopicGeneration {
    /// The record key of generation records.
    static let key = "generation"

    /// `<applicationID>-generation`.
    package static func topic(applicationID: String) -> String { "\(applicationID)-generation" }

    /// The prefix of internal topic names in `generation`.
    package static func prefix(applicationID: String, generation: Int) -> String {
        generation == 0 ? applicationID : "\(applicationID)-g\(generation)"
    }

    /// The latest generation recorded in the topic (0 when it holds none); throws on a record that is not one.
    package static func read(applicationID: String, bootstrapServers: String, partitions: Int) throws -> Int {
        let topic = topic(applicationID: applicationID)
        var generation = 0
        for message in try TopicReader.readAll(topic: topic, partitions: max(1, partitions), bootstrapServers: bootstrapServers)
        where message.key.map({ String(decoding: $0, as: UTF8.self) }) == key {
            let text = message.value.map { String(decoding: $0, as: UTF8.self) } ?? ""
            guard let value = Int(text), value >= 0 else {
                throw StreamsAppError.badGenerationRecord(topic: topic, offset: message.offset, value: text)
            }
            generation = value
        }
        return generation
    }

    /// Appends `generation` to the topic (created compacted with one partition where the broker supports
    /// CreateTopics, otherwise auto-created on produce) and waits for the acknowledgement.
    package static func write(_ generation: Int, applicationID: String, bootstrapServers: String) throws {
        let topic = topic(applicationID: applicationID)
        let admin = try KafkaAdmin(config: ["bootstrap.servers": bootstrapServers])
        let creation: Result<Void, any Error> = Result {
            if admin.isMockCluster(timeout: .seconds(10)) {
                throw KafkaError(code: KafkaError.Code.unsupportedFeature, message: "the mock cluster cannot create topics")
            }
            try admin.createTopics(
                [NewTopic(name: topic, partitions: 1, replicationFactor: -1, config: ["cleanup.policy": "compact"])],
                timeout: .seconds(10))
        }
        // Brokers without CreateTopics (the embedded mock) auto-create the topic on the first produce.
        if case .failure(let error) = creation, (error as? KafkaError)?.code != KafkaError.Code.unsupportedFeature {
            throw error
        }
        let producer = try KafkaProducer(config: ["bootstrap.servers": bootstrapServers, "acks": "all"])
        defer { producer.close() }
        try producer.send(
            topic: topic, partition: 0, key: Array(key.utf8), value: Array(String(generation).utf8),
            timestamp: Int64(Date().timeIntervalSince1970 * 1000))
        try producer.flush(timeout: .seconds(30))
        if let failure = producer.pollDeliveryErrors().first { throw failure }
    }
}
