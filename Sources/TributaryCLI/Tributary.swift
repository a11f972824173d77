import ArgumentParser

/// The `tributary` command: development cluster and operational tools.
@main
struct Tributary: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tributary",
        abstract: "Tributary stream-processing tools.",
        subcommands: [DevClusterCommand.self, IngestCommand.self, ReplayCommand.self])
}
