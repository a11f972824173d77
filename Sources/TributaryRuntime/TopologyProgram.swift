import ArgumentParser
import Logging
import TributaryCore
import TributaryKafka

/// What a topology binary tells the shared command line about itself. See ``TopologyCommand``.
public protocol TopologyProgram {
    /// The binary's own options, added to `run` and `describe` (``NoProgramOptions`` when it has none).
    associatedtype Options: ParsableArguments = NoProgramOptions
    /// The executable's name, e.g. `wikiedits`.
    static var commandName: String { get }
    /// One line saying what the topology does.
    static var abstract: String { get }
    /// The application id unless `--application-id` says otherwise.
    static var defaultApplicationID: String { get }
    /// The error policies the topology runs with.
    static var errorPolicies: ErrorPolicies { get }
    /// Builds the topology.
    static func makeTopology(options: Options) throws -> Topology
    /// Runs once before the application starts, after the cluster is reachable (and, with `--embedded`, after
    /// the topology's topics exist): for example, loading reference data into a topic the topology reads.
    static func prepare(options: Options, environment: ProgramEnvironment) throws
    /// Commands of the binary's own, after `run`, `describe` and `topics`.
    static var subcommands: [any ParsableCommand.Type] { get }
}

extension TopologyProgram {
    /// Does nothing.
    public static func prepare(options: Options, environment: ProgramEnvironment) throws {}
    /// None.
    public static var subcommands: [any ParsableCommand.Type] { [] }
}

/// Options of a topology binary that has none of its own.
public struct NoProgramOptions: ParsableArguments {
    /// Creates the empty option group.
    public init() {}
}

/// Where a topology binary runs, for ``TopologyProgram/prepare(options:environment:)``.
public struct ProgramEnvironment {
    /// The Kafka bootstrap servers.
    public let bootstrapServers: String
    /// The in-process cluster under `--embedded` (topics must be created through it: its admin API cannot).
    public let embeddedCluster: EmbeddedKafkaCluster?
    /// The binary's logger.
    public let logger: Logger
}
