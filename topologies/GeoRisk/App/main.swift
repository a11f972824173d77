import ArgumentParser
import GeoRiskTopology
import TributaryCore
import TributaryRuntime

/// The `georisk` binary: GeoRisk with the shared `run` and `describe` commands, plus its own options.
enum GeoRiskProgram: TopologyProgram {
    static let commandName = "georisk"
    static let abstract = "Per-country risk signals from GDELT events and Wikipedia edits in 15-minute windows."
    static let defaultApplicationID = "georisk"
    static var errorPolicies: ErrorPolicies { GeoRiskTopology.errorPolicies }
    static var subcommands: [any ParsableCommand.Type] { [GeoRiskSummaryCommand.self] }

    static func makeTopology(options: GeoRiskOptions) throws -> Topology {
        try GeoRiskTopology.make(
            grace: .seconds(options.graceSeconds),
            idleClose: options.idleCloseSeconds == 0 ? nil : .seconds(options.idleCloseSeconds))
    }

    static func prepare(options: GeoRiskOptions, environment: ProgramEnvironment) throws {
        try GazetteerLoader(path: options.gazetteer, environment: environment).loadIfEmpty()
    }
}

TopologyCommand<GeoRiskProgram>.main()
