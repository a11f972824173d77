import TributaryCore
import TributaryRuntime
import WikiEditsTopology

/// The `wikiedits` binary: WikiEdits with the shared `run` and `describe` commands.
enum WikiEditsProgram: TopologyProgram {
    static let commandName = "wikiedits"
    static let abstract = "Human article edits from Wikimedia recent changes, keyed by wiki."
    static let defaultApplicationID = "wikiedits"
    static var errorPolicies: ErrorPolicies { WikiEditsTopology.errorPolicies }
    static func makeTopology(options: NoProgramOptions) throws -> Topology { try WikiEditsTopology.make() }
}

TopologyCommand<WikiEditsProgram>.main()
