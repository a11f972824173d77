import TributaryCore
import TributaryRuntime
import WordCountTopology

/// The `wordcount` binary: WordCount with the shared `run` and `describe` commands.
enum WordCountProgram: TopologyProgram {
    static let commandName = "wordcount"
    static let abstract = "Running word totals and final per-minute word counts of text lines."
    static let defaultApplicationID = "wordcount"
    static var errorPolicies: ErrorPolicies { WordCountTopology.errorPolicies }
    static func makeTopology(options: NoProgramOptions) throws -> Topology { try WordCountTopology.make() }
}

TopologyCommand<WordCountProgram>.main()
