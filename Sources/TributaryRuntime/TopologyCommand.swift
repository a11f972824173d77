import ArgumentParser
import Foundation
import Logging
import TributaryCore
import TributaryKafka

/// The command line every topology binary shares: `run` and `describe`.
///
/// ```
/// wikiedits run --bootstrap-servers kafka:9092 [--application-id ID] [--threads N] [--state-dir DIR]
///     [--query-port 8080 [--query-host H] [--advertise H:P] [--query-token T]] [--instance-id ID] [--partitions 0-2,5]
/// wikiedits run --embedded --input-file wikimedia.recentchange=events.jsonl --input-key-field wiki --stop-when-idle 3
/// wikiedits describe --format text|dot|mermaid
/// ```
/// A binary's `main.swift` is one line: `TopologyCommand<MyProgram>.main()`.
public struct TopologyCommand<Program: TopologyProgram>: ParsableCommand {
    /// The command name, abstract and subcommands.
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: Program.commandName, abstract: Program.abstract,
            subcommands: [
                TopologyRunCommand<Program>.self, TopologyDescribeCommand<Program>.self,
                TopologyTopicsCommand<Program>.self,
            ] + Program.subcommands)
    }

    /// Creates the command; ArgumentParser fills in the options.
    public init() {}
}

/// `describe`: prints the topology.
public struct TopologyDescribeCommand<Program: TopologyProgram>: ParsableCommand {
    /// The command name, abstract and subcommands.
    public static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "describe", abstract: "Print the topology as text, Graphviz DOT or Mermaid.")
    }

    @Option(help: "Output format: text, dot or mermaid.")
    var format: String = "text"

    @OptionGroup(title: "Topology options")
    var programOptions: Program.Options

    /// Creates the command; ArgumentParser fills in the options.
    public init() {}

    /// Rejects option values that cannot work, saying what to write instead.
    public func validate() throws {
        guard TopologyDescriptionFormat(rawValue: format) != nil else {
            throw ValidationError("unknown format '\(format)'; use text, dot or mermaid")
        }
    }

    /// Runs the command.
    public func run() throws {
        print(try Program.makeTopology(options: programOptions).describe(format: TopologyDescriptionFormat(rawValue: format)!), terminator: "")
    }
}

/// `run`: runs the topology until SIGINT/SIGTERM (or until idle, with `--stop-when-idle`).
public struct TopologyRunCommand<Program: TopologyProgram>: ParsableCommand {
    /// The command name, abstract and subcommands.
    public static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "run", abstract: "Run the topology against Kafka or an embedded cluster.")
    }

    @Flag(help: "Start an in-process Kafka cluster (librdkafka's mock) on 127.0.0.1 and run against it.")
    var embedded = false

    @Option(help: "Kafka bootstrap servers, host:port[,host:port]. Required unless --embedded.")
    var bootstrapServers: String?

    @Option(help: "Application id: consumer group and prefix of internal topics and state.")
    var applicationID: String = Program.defaultApplicationID

    @Option(help: "Stream threads.")
    var threads: Int = 1

    @Option(help: "Directory for local state (default /tmp/tributary; with --embedded, a new temporary directory, since the embedded cluster starts empty).")
    var stateDir: String?

    @Option(help: "Memory for all RocksDB state stores of this process, in MiB (block cache with memtables charged to it).")
    var stateMemoryMb: Int = 128

    @Option(help: "Partitions of each source topic the embedded cluster creates.")
    var embeddedPartitions: Int = 1

    @Option(
        parsing: .singleValue,
        help: "TOPIC=FILE: produce each line of FILE to TOPIC before processing (recordings, demos).")
    var inputFile: [String] = []

    @Option(help: "JSON field whose value keys the records of --input-file (top-level string field).")
    var inputKeyField: String?

    @Option(help: "Stop once every thread has processed nothing for this many seconds (batch runs and demos).")
    var stopWhenIdle: Double?

    @Option(help: "After stopping, print how many records each output topic holds and up to N of them.")
    var printOutput: Int?

    @Option(
        parsing: .singleValue,
        help: "A librdkafka consumer property KEY=VALUE for the stream threads (repeatable), e.g. session.timeout.ms=6000.")
    var consumerProperty: [String] = []

    @Option(help: "Serve the HTTP query port on this port (see README, \"Query port\").")
    var queryPort: Int?

    @Option(help: "Address the query port binds.")
    var queryHost: String = "127.0.0.1"

    @Option(help: "HOST:PORT other instances use to reach this query port (default: --query-host:--query-port).")
    var advertise: String?

    @Option(help: "Bearer token the query port requires (default: the TRIBUTARY_QUERY_TOKEN environment variable).")
    var queryToken: String?

    @Option(help: "This instance's id in the <app>-instances topic, and its static group membership (default: a new UUID).")
    var instanceID: String?

    @Option(help: "Partition-set mode: process only these partitions of the input topics, e.g. 0-2,5.")
    var partitions: String?

    @OptionGroup(title: "Topology options")
    var programOptions: Program.Options

    /// Creates the command; ArgumentParser fills in the options.
    public init() {}

    /// Rejects option values that cannot work, saying what to write instead.
    public func validate() throws {
        if embedded == (bootstrapServers != nil) {
            throw ValidationError("give exactly one of --embedded or --bootstrap-servers HOST:PORT")
        }
        if threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads)") }
        if stateMemoryMb < 8 { throw ValidationError("--state-memory-mb must be at least 8, got \(stateMemoryMb)") }
        if embeddedPartitions < 1 { throw ValidationError("--embedded-partitions must be at least 1") }
        for entry in inputFile {
            let parts = entry.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ValidationError("--input-file takes TOPIC=FILE, got '\(entry)'")
            }
            guard FileManager.default.isReadableFile(atPath: String(parts[1])) else {
                throw ValidationError("--input-file: cannot read '\(parts[1])'")
            }
        }
        if let stopWhenIdle, stopWhenIdle <= 0 { throw ValidationError("--stop-when-idle must be positive") }
        for entry in consumerProperty where entry.split(separator: "=", maxSplits: 1).count != 2 {
            throw ValidationError("--consumer-property takes KEY=VALUE, got '\(entry)'")
        }
        if let queryPort, !(0...65535).contains(queryPort) {
            throw ValidationError("--query-port must be from 0 to 65535, got \(queryPort)")
        }
        if let advertise {
            let parts = advertise.split(separator: ":")
            guard parts.count >= 2, let port = Int(parts.last!), (1...65535).contains(port) else {
                throw ValidationError("--advertise takes HOST:PORT (e.g. node1.example.com:8080), got '\(advertise)'")
            }
            if queryPort == nil { throw ValidationError("--advertise needs --query-port") }
        }
        if (queryToken != nil || advertise != nil || queryHost != "127.0.0.1") && queryPort == nil {
            throw ValidationError("--query-host, --advertise and --query-token need --query-port")
        }
        if let instanceID, instanceID.isEmpty || instanceID.contains(where: { $0.isWhitespace }) {
            throw ValidationError("--instance-id must be non-empty without spaces, got '\(instanceID)'")
        }
        if let partitions {
            do {
                _ = try PartitionSet.parse(partitions)
            } catch {
                throw ValidationError("\(error)")
            }
        }
    }

    /// Runs the command.
    public func run() throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        let logger = Logger(label: Program.commandName)
        // Watch signals first: a SIGTERM while the cluster, the inputs or the app start stops the app once it exists.
        let pendingStop = PendingStop()
        let signals = SignalWatcher { signal in
            logger.info("received signal \(signal); committing and closing")
            pendingStop.request()
        }
        defer { signals.cancel() }
        let topology = try Program.makeTopology(options: programOptions)
        var cluster: EmbeddedKafkaCluster?
        let servers: String
        if embedded {
            let started = try EmbeddedKafkaCluster(brokers: 1, defaultPartitions: embeddedPartitions)
            let external = topology.sourceTopics.filter { !topology.internalTopics.contains($0) }
            for topic in external { try started.createTopic(topic, partitions: embeddedPartitions) }
            // The mock cannot create topics through the admin API: create the internal topics the app needs.
            let counts = Dictionary(uniqueKeysWithValues: external.map { ($0, embeddedPartitions) })
            for spec in topology.internalTopicSpecs(applicationID: applicationID, externalPartitionCounts: counts) {
                try started.createTopic(spec.topic, partitions: spec.partitions)
            }
            try started.createTopic(InstanceAnnouncer.topic(applicationID: applicationID), partitions: 1)
            cluster = started
            servers = started.bootstrapServers
            logger.info("embedded Kafka cluster at \(servers)")
        } else {
            servers = bootstrapServers!
        }
        try Program.prepare(
            options: programOptions,
            environment: ProgramEnvironment(bootstrapServers: servers, embeddedCluster: cluster, logger: logger))
        for entry in inputFile {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            let count = try RecordingLoader.load(
                file: parts[1], topic: parts[0], keyField: inputKeyField, bootstrapServers: servers)
            logger.info("loaded \(count) records from \(parts[1]) into \(parts[0])")
        }
        var config = StreamsConfig(applicationID: applicationID, bootstrapServers: servers)
        config.threads = threads
        let temporaryState = embedded && stateDir == nil
        config.stateDirectory = stateDir
            ?? (temporaryState ? NSTemporaryDirectory() + "tributary-embedded-\(getpid())-\(UUID().uuidString)" : "/tmp/tributary")
        defer { if temporaryState { try? FileManager.default.removeItem(atPath: config.stateDirectory) } }
        config.stateStoreMemoryBytes = stateMemoryMb << 20
        for entry in consumerProperty {
            let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
            config.consumerOverrides[parts[0]] = parts[1]
        }
        config.errorPolicies = Program.errorPolicies
        config.instanceID = instanceID
        config.partitionSet = try partitions.map(PartitionSet.parse)
        if let queryPort {
            let token = queryToken ?? ProcessInfo.processInfo.environment["TRIBUTARY_QUERY_TOKEN"].flatMap {
                $0.isEmpty ? nil : $0
            }
            config.queryPort = QueryPortOptions(
                port: queryPort, host: queryHost, advertisedEndpoint: advertise, token: token)
        }
        let app = StreamsApp(topology: topology, config: config, logger: logger)
        pendingStop.attach(app)
        try app.start()
        if let stopWhenIdle {
            IdleStopper(app: app, idleSeconds: stopWhenIdle).start()
        }
        if let cluster {
            EmbeddedClusterWatch(cluster: cluster, app: app, logger: logger).start()
        }
        try app.waitUntilStopped()
        try cluster?.checkHealthy()
        logger.info("stopped after processing \(app.recordsProcessed) records")
        if let printOutput {
            let topics = topology.sinkTopics.filter { !topology.internalTopics.contains($0) }
                + Program.errorPolicies.deadLetterTopics
            try OutputSummary.print(topics: topics, bootstrapServers: servers, sample: printOutput)
        }
        // The embedded cluster must outlive every client above.
        withExtendedLifetime(cluster) {}
    }
}

extension ErrorPolicies {
    /// The distinct dead-letter topics the policies name.
    var deadLetterTopics: [String] {
        var topics: [String] = []
        for policy in [deserialization, processing, production] {
            if case .deadLetter(let topic) = policy, !topics.contains(topic) { topics.append(topic) }
        }
        return topics
    }
}
