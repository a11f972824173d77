import Foundation
import GeoRiskTopology
import TributaryKafka
import TributaryRuntime

/// Makes sure the gazetteer topic exists and holds a gazetteer: creates it (compacted, one partition) when
/// missing, and produces the file's entries when it is empty. A topic that already has records is left alone, so
/// aliases that operators added to it survive restarts.
struct GazetteerLoader {
    let path: String
    let environment: ProgramEnvironment

    func loadIfEmpty() throws {
        let topic = GeoRiskTopology.gazetteerTopic
        let servers = environment.bootstrapServers
        let admin = try KafkaAdmin(config: ["bootstrap.servers": servers])
        let partitions: Int
        if let existing = try admin.metadata(timeout: .seconds(10)).topic(named: topic), existing.partitionCount > 0 {
            partitions = existing.partitionCount
        } else if let cluster = environment.embeddedCluster {
            try cluster.createTopic(topic, partitions: 1)
            partitions = 1
        } else {
            do {
                try admin.createTopics(
                    [NewTopic(name: topic, partitions: 1, replicationFactor: -1, config: ["cleanup.policy": "compact"])],
                    timeout: .seconds(30))
            } catch {
                throw GazetteerLoadError(
                    message: "cannot create \(topic) (\(error)); create it first, compacted with one partition "
                        + "(`georisk topics --with-config` lists every topic GeoRisk needs)")
            }
            partitions = 1
        }
        let consumer = try KafkaConsumer(config: ["bootstrap.servers": servers, "group.id": "georisk-gazetteer-check"])
        defer { try? consumer.close() }
        var records: Int64 = 0
        for partition in 0..<Int32(partitions) {
            let marks = try consumer.watermarks(topic: topic, partition: partition, timeout: .seconds(10))
            records += marks.high - marks.low
        }
        guard records == 0 else {
            environment.logger.info("\(topic) holds \(records) records; not loading \(path)")
            return
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw GazetteerLoadError(
                message: "\(topic) is empty and the gazetteer file '\(path)' cannot be read; pass --gazetteer PATH "
                    + "(the project's is data/georisk/gazetteer.tsv)")
        }
        let gazetteer = try Gazetteer.load(path: path)
        let producer = try KafkaProducer(config: ["bootstrap.servers": servers])
        defer { producer.close() }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for (code, entry) in gazetteer.entries {
            try producer.send(topic: topic, key: Array(code.utf8), value: Array(try encoder.encode(entry)))
        }
        try producer.flush(timeout: .seconds(30))
        environment.logger.info("loaded \(gazetteer.entries.count) gazetteer entries from \(path) into \(topic)")
    }
}

/// The gazetteer could not be loaded; the message says what to do.
struct GazetteerLoadError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
