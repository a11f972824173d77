import ArgumentParser
import Foundation
import GeoRiskTopology
import TributaryKafka
import TributaryRuntime

/// `georisk summary`: reads `risk.signals` and `risk.alerts` to their current end and prints ``RiskSummary``.
struct GeoRiskSummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary", abstract: "Print the top countries by risk per window and every alert.")

    @Option(help: "Kafka bootstrap servers, host:port[,host:port].")
    var bootstrapServers: String

    @Option(help: "Countries listed per window.")
    var top: Int = 3

    func validate() throws {
        if top < 1 { throw ValidationError("--top must be at least 1, got \(top)") }
    }

    func run() throws {
        let decoder = JSONDecoder()
        let signals = try read(GeoRiskTopology.signalsTopic).map { try decoder.decode(CountrySignal.self, from: Data($0)) }
        let alerts = try read(GeoRiskTopology.alertsTopic).map { try decoder.decode(CountryAlert.self, from: Data($0)) }
        print(RiskSummary(signals: signals, alerts: alerts, topPerWindow: top).text, terminator: "")
    }

    private func read(_ topic: String) throws -> [[UInt8]] {
        let admin = try KafkaAdmin(config: ["bootstrap.servers": bootstrapServers])
        guard let found = try admin.metadata(timeout: .seconds(10)).topic(named: topic), found.partitionCount > 0 else {
            return []
        }
        return try TopicReader.readAll(topic: topic, partitions: found.partitionCount, bootstrapServers: bootstrapServers)
            .compactMap(\.value)
    }
}
