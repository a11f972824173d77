import AdClicksTopology
import TributaryCore
import TributaryRuntime

/// The `adclicks` binary: AdClicks with the shared `run` and `describe` commands.
enum AdClicksProgram: TopologyProgram {
    static let commandName = "adclicks"
    static let abstract = "Attributes ad clicks to the impressions they follow, within one minute (a windowed left join)."
    static let defaultApplicationID = "adclicks"
    static var errorPolicies: ErrorPolicies { AdClicksTopology.errorPolicies }
    static func makeTopology(options: NoProgramOptions) throws -> Topology { try AdClicksTopology.make() }
}

TopologyCommand<AdClicksProgram>.main()
