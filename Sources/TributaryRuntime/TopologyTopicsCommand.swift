import ArgumentParser
import TributaryCore

/// `topics`: prints every topic the binary reads or writes, one `NAME:PARTITIONS` per line, for creating them
/// up front on a cluster that cannot create topics itself (`tributary dev-cluster --topic NAME:PARTITIONS`,
/// or a broker with topic auto-creation off). With `--with-config` a third field gives the topic configuration
/// the application expects (`cleanup.policy=compact`, ...; empty for the broker's defaults).
public struct TopologyTopicsCommand<Program: TopologyProgram>: ParsableCommand {
    /// The command name and abstract.
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "topics",
            abstract: "Print the topics the application reads and writes, as NAME:PARTITIONS lines.")
    }

    @Option(help: "Application id (prefix of internal topics).")
    var applicationID: String = Program.defaultApplicationID

    @Option(help: "Partitions of each input and output topic.")
    var partitions: Int = 1

    @Flag(help: "Add a third field with the topic configuration, e.g. NAME:PARTITIONS:cleanup.policy=compact.")
    var withConfig = false

    @OptionGroup(title: "Topology options")
    var programOptions: Program.Options

    /// Creates the command; ArgumentParser fills in the options.
    public init() {}

    /// Rejects option values that cannot work.
    public func validate() throws {
        if partitions < 1 { throw ValidationError("--partitions must be at least 1, got \(partitions)") }
    }

    /// Runs the command.
    public func run() throws {
        let topology = try Program.makeTopology(options: programOptions)
        let external = topology.sourceTopics.filter { !topology.internalTopics.contains($0) }
        var lines: [String: String] = [:]
        func add(_ topic: String, _ count: Int, _ config: [String: String] = [:]) {
            guard lines[topic] == nil else { return }
            let settings = config.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
            lines[topic] = "\(topic):\(count)" + (withConfig ? ":\(settings)" : "")
        }
        for topic in external { add(topic, partitions) }
        for global in topology.globalStores { add(global.topic, 1, ["cleanup.policy": "compact"]) }
        let counts = Dictionary(uniqueKeysWithValues: external.map { ($0, partitions) })
        for spec in topology.internalTopicSpecs(applicationID: applicationID, externalPartitionCounts: counts) {
            add(spec.topic, spec.partitions, spec.config)
        }
        for topic in topology.sinkTopics where !topology.internalTopics.contains(topic) { add(topic, partitions) }
        for topic in Program.errorPolicies.deadLetterTopics { add(topic, partitions) }
        add(InstanceAnnouncer.topic(applicationID: applicationID), 1, ["cleanup.policy": "compact"])
        for topic in lines.keys.sorted() { print(lines[topic]!) }
    }
}
