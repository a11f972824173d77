import TributaryCore

/// What a topology binary tells the shared command line about itself. See ``TopologyCommand``.
public protocol TopologyProgram {
    /// The executable's name, e.g. `wikiedits`.
    static var commandName: String { get }
    /// One line saying what the topology does.
    static var abstract: String { get }
    /// The application id unless `--application-id` says otherwise.
    static var defaultApplicationID: String { get }
    /// The error policies the topology runs with.
    static var errorPolicies: ErrorPolicies { get }
    /// Builds the topology.
    static func makeTopology() throws -> Topology
}
