import ArgumentParser
import Foundation
import TributaryCore
import TributaryRuntime

/// `tributary replay`: resets an application so that restarting its instances recomputes state and outputs from a
/// point in its inputs. Prints the plan (per input partition: committed offset -> new offset), then carries it out
/// unless `--dry-run`. Refuses while any instance of the application is alive.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Reset an application's input offsets, internal topics and local state to recompute from a time.",
        discussion: """
            Stop every instance first: replay refuses while the consumer group has members or the instances topic \
            <app>-instances holds a live entry. It commits, for each input partition, the first offset at or after \
            --to-datetime (or the earliest offset), deletes the repartition and changelog topics (or, where the \
            broker cannot delete topics, switches the application to a new generation of internal topic names \
            recorded in <app>-generation), and removes <state-dir>/<app> on this machine. Restart the instances \
            afterwards. See docs/operations.md.
            """)

    @Option(name: .customLong("app"), help: "The application id (its consumer group id).")
    var applicationID: String

    @Option(help: "Kafka bootstrap servers, host:port[,host:port].")
    var bootstrapServers: String

    @Option(help: "Replay from the first record at or after this time: ISO-8601 (2026-02-26T15:49:00Z) or epoch ms.")
    var toDatetime: String?

    @Flag(help: "Replay from the earliest offset of every input partition.")
    var toEarliest = false

    @Option(help: "Input topics to reset, comma-separated (default: every topic the group has committed offsets for).")
    var topics: String?

    @Option(help: "The state directory the instances ran with on this machine (<state-dir>/<app> is removed).")
    var stateDir: String = "/tmp/tributary"

    @Flag(help: "Print the plan and change nothing.")
    var dryRun = false

    /// Rejects option values that cannot work, saying what to write instead.
    func validate() throws {
        if (toDatetime != nil) == toEarliest {
            throw ValidationError("give exactly one of --to-datetime TIME or --to-earliest")
        }
        if let toDatetime, Self.parseTime(toDatetime) == nil {
            throw ValidationError(
                "--to-datetime takes ISO-8601 with a zone (2026-02-26T15:49:00Z) or epoch milliseconds, got '\(toDatetime)'")
        }
        if applicationID.isEmpty { throw ValidationError("--app must not be empty") }
        if let topics, topics.split(separator: ",").isEmpty {
            throw ValidationError("--topics takes topic names separated by commas, got '\(topics)'")
        }
    }

    func run() throws {
        let target: ApplicationReplay.Target = toEarliest ? .earliest : .timestamp(Self.parseTime(toDatetime!)!)
        let replay = try ApplicationReplay(
            applicationID: applicationID, bootstrapServers: bootstrapServers, target: target,
            topics: topics.map { $0.split(separator: ",").map { String($0.trimmingCharacters(in: .whitespaces)) } },
            stateDirectory: stateDir)
        do {
            let plan = try replay.plan()
            print(plan)
            guard !dryRun else {
                print("dry run: nothing changed")
                return
            }
            for step in try replay.execute(plan) { print("done: \(step)") }
            print("replay prepared: restart the instances of '\(applicationID)' to recompute")
        } catch let error as ReplayError {
            FileHandle.standardError.write(Data("replay: \(error)\n".utf8))
            throw ExitCode(2)
        }
    }

    /// Epoch ms of an ISO-8601 time with a zone, or of a plain integer (epoch ms).
    static func parseTime(_ text: String) -> Int64? {
        if let ms = Int64(text) { return ms }
        return ISO8601Timestamp.parse(text)
    }
}
