import ArgumentParser
import Dispatch
import Foundation
import Logging
import TributaryConnectors
import TributaryKafka
import TributaryRuntime

/// `tributary ingest`: connectors that feed Kafka topics from public event sources, live or from recordings.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Feed Kafka topics from Wikimedia EventStreams or GDELT 2.0, live or from recordings.",
        discussion: """
            Each connector produces to one topic and sends input it cannot parse to <topic>.dlq (raw bytes, \
            with the reason in the tributary.dlq.reason header). Live runs keep their resume position in \
            --state-dir (default .tributary-state) and continue from it after a restart. Counters are logged \
            every --stats-interval seconds and once at the end.
            """,
        subcommands: [IngestWikimediaCommand.self, IngestGDELTCommand.self])
}

/// Where records go and how the run reports; shared by both connectors.
struct IngestTargetOptions: ParsableArguments {
    @Option(help: "Kafka bootstrap servers, host:port[,host:port]. Required unless --embedded.")
    var bootstrapServers: String?

    @Flag(help: "Start an in-memory Kafka cluster in this process (like `run --embedded`); its data is gone when the command exits.")
    var embedded = false

    @Option(help: "Partitions of the topic and its .dlq topic on the embedded cluster.")
    var embeddedPartitions: Int = 1

    @Option(help: "Directory of resume-state files (<topic>.<connector>.json). Live runs default to .tributary-state; replays keep no state unless this is given.")
    var stateDir: String?

    @Option(help: "Seconds between counter log lines (0 for none).")
    var statsInterval: Int = 10

    func validate() throws {
        if embedded == (bootstrapServers != nil) {
            throw ValidationError("give exactly one of --embedded or --bootstrap-servers HOST:PORT")
        }
        if embeddedPartitions < 1 { throw ValidationError("--embedded-partitions must be at least 1") }
        if statsInterval < 0 { throw ValidationError("--stats-interval must be 0 or more seconds") }
    }
}

/// A running ingest: logging, the embedded cluster if asked for, signals, periodic counters.
struct IngestSession {
    let logger: Logger
    let servers: String
    let cluster: EmbeddedKafkaCluster?

    init(options: IngestTargetOptions, topic: String, label: String) throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        logger = Logger(label: label)
        if options.embedded {
            let started = try EmbeddedKafkaCluster(brokers: 1, defaultPartitions: options.embeddedPartitions)
            try started.createTopic(topic, partitions: options.embeddedPartitions)
            try started.createTopic(topic + ".dlq", partitions: options.embeddedPartitions)
            cluster = started
            servers = started.bootstrapServers
            logger.info("embedded Kafka cluster at \(servers)")
        } else {
            cluster = nil
            servers = options.bootstrapServers!
        }
    }

    /// Runs `body` with SIGINT/SIGTERM calling `stop` and counters logged periodically; closes `output` and logs
    /// the final summary. The embedded cluster is shut down by ``finish()``, after every client is gone.
    func run(
        output: RecordOutput, metrics: ConnectorMetrics, statsInterval: Int, stop: @escaping @Sendable () -> Void,
        _ body: () throws -> Void
    ) throws {
        let logger = self.logger
        let signals = SignalWatcher { number in
            logger.info("received signal \(number); flushing and saving the resume state")
            stop()
        }
        if statsInterval > 0 { metrics.startReporting(every: .seconds(statsInterval), logger: logger) }
        defer {
            metrics.stopReporting()
            signals.cancel()
            output.close()
            logger.info("summary: \(metrics.summary())")
        }
        try body()
        try cluster?.checkHealthy()
    }

    /// Shuts the embedded cluster down (call after the producer was released).
    func finish() {
        cluster?.shutdown()
    }
}

/// Parses `NOW` or an ISO-8601 time (or a GDELT slot YYYYMMDDHHMMSS) into milliseconds since the epoch.
func parseTimeArgument(_ text: String, option: String) throws -> Int64 {
    if text.uppercased() == "NOW" { return EventTime.nowMilliseconds() }
    if let ms = EventTime.parseISO8601(text) ?? GDELTSlot.milliseconds(text) { return ms }
    throw ValidationError(
        "\(option): '\(text)' is not NOW, an ISO-8601 time (2026-02-26T15:49:36Z) or a slot (20260226154500)")
}

/// Parses `--speed N|max`: nil for max.
func parseSpeed(_ text: String) throws -> Double? {
    if text.lowercased() == "max" { return nil }
    guard let speed = Double(text), speed > 0, speed.isFinite else {
        throw ValidationError("--speed takes a positive number (times real time) or max, got '\(text)'")
    }
    return speed
}

/// `tributary ingest wikimedia`.
struct IngestWikimediaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wikimedia",
        abstract: "Wikimedia EventStreams recentchange (server-sent events) to a topic, live or from a .jsonl recording.",
        discussion: """
            Live: tributary ingest wikimedia --bootstrap-servers localhost:9092 [--wiki enwiki,dewiki] [--since 2026-02-26T15:00:00Z]
            Replay: tributary ingest wikimedia --embedded --from-file data/wikimedia/X.jsonl --rebase-time NOW --speed 10

            Each event's JSON is produced unchanged with key = wiki and timestamp = meta.dt. Canary events are \
            dropped. The connection is reopened with Last-Event-ID after a drop or stall (backoff from \
            --reconnect-delay, doubling up to --max-reconnect-delay); the last event id is saved in \
            <state-dir>/<topic>.wikimedia.json so a restart resumes there.
            """)

    @OptionGroup var target: IngestTargetOptions

    @Option(help: "The EventStreams URL.")
    var url = "https://stream.wikimedia.org/v2/stream/recentchange"

    @Option(help: "The topic to produce to (bad lines go to <topic>.dlq).")
    var topic = "wikimedia.recentchange"

    @Option(help: "Only events at or after this ISO-8601 time (sent as ?since= when there is no event id to resume from).")
    var since: String?

    @Option(help: "Only these wikis, comma-separated database names, e.g. enwiki,dewiki.")
    var wiki: String?

    @Option(help: "Stop after producing this many events.")
    var maxEvents: Int?

    @Option(help: "Replay this recording (one event JSON per line) instead of connecting.")
    var fromFile: String?

    @Option(help: "Replay only: shift every event time by one constant so the first event is at NOW or this ISO time (record timestamp and meta.dt are shifted; for lining up recordings from different days).")
    var rebaseTime: String?

    @Option(help: "Replay only: N times real time (pauses follow the gaps between event times), or max.")
    var speed = "max"

    @Option(help: "Seconds before the first reconnect attempt.")
    var reconnectDelay: Double = 1

    @Option(help: "Longest seconds between reconnect attempts.")
    var maxReconnectDelay: Double = 60

    @Option(help: "Seconds without any byte after which the connection counts as stalled and is reopened.")
    var stallTimeout: Int = 60

    func validate() throws {
        if let maxEvents, maxEvents < 1 { throw ValidationError("--max-events must be at least 1") }
        if let fromFile, !FileManager.default.isReadableFile(atPath: fromFile) {
            throw ValidationError("--from-file: cannot read '\(fromFile)'")
        }
        if fromFile == nil, rebaseTime != nil || speed != "max" {
            throw ValidationError("--rebase-time and --speed apply to replays: add --from-file FILE.jsonl")
        }
        _ = try parseSpeed(speed)
        if let since { _ = try parseTimeArgument(since, option: "--since") }
        if let rebaseTime { _ = try parseTimeArgument(rebaseTime, option: "--rebase-time") }
        if reconnectDelay <= 0 || maxReconnectDelay < reconnectDelay {
            throw ValidationError("--reconnect-delay must be positive and at most --max-reconnect-delay")
        }
        if stallTimeout < 1 { throw ValidationError("--stall-timeout must be at least 1 second") }
    }

    func run() throws {
        let session = try IngestSession(options: target, topic: topic, label: "tributary.ingest.wikimedia")
        defer { session.finish() }
        try ingest(session)
    }

    private func ingest(_ session: IngestSession) throws {
        let output = try RecordOutput(topic: topic, bootstrapServers: session.servers)
        var config = WikimediaConnector.Configuration()
        config.url = url
        config.since = try since.map { try parseTimeArgument($0, option: "--since") }
        config.wikis = wiki.map { Set($0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }) }
        config.maxEvents = maxEvents
        config.speed = try parseSpeed(speed)
        config.initialBackoff = .milliseconds(Int64(reconnectDelay * 1000))
        config.maxBackoff = .milliseconds(Int64(maxReconnectDelay * 1000))
        config.stallTimeout = .seconds(stallTimeout)
        let stateDir = target.stateDir ?? (fromFile == nil ? ".tributary-state" : nil)
        config.stateFile = stateDir.map { ResumeStateFile(directory: $0, connector: "wikimedia", topic: topic) }
        let connector = try WikimediaConnector(output: output, configuration: config, logger: session.logger)
        try session.run(output: output, metrics: connector.metrics, statsInterval: target.statsInterval, stop: { connector.stop() }) {
            if let fromFile {
                let rebase = try rebaseTime.map { try parseTimeArgument($0, option: "--rebase-time") }
                let count = try connector.replay(file: fromFile, rebaseTo: rebase)
                session.logger.info("replayed \(count) events from \(fromFile) to \(topic)")
            } else {
                try connector.runLive()
            }
        }
    }
}

/// `tributary ingest gdelt`.
struct IngestGDELTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gdelt",
        abstract: "GDELT 2.0 events exports (15-minute batches) to a topic, live, backfilled or from recorded files.",
        discussion: """
            Live: tributary ingest gdelt --bootstrap-servers localhost:9092 [--once]
            Backfill: tributary ingest gdelt --bootstrap-servers localhost:9092 --backfill 20250516020000..20250516030000
            Replay: tributary ingest gdelt --embedded --from-dir data/gdelt --as-consecutive-batches NOW --speed 60

            One JSON record per row (the 61 GDELT column names as keys), key = ActionGeo_CountryCode, timestamp = \
            DATEADDED (UTC). A batch is produced only after the whole zip was downloaded, checked against the size \
            and MD5 in lastupdate.txt, unzipped and parsed; a failed batch produces nothing and is retried at the \
            next poll. The newest batch produced is saved in <state-dir>/<topic>.gdelt.json, so a repeated \
            lastupdate.txt or a restart never produces a batch twice.
            """)

    @OptionGroup var target: IngestTargetOptions

    @Option(help: "Where lastupdate.txt and the <slot>.export.CSV.zip files are.")
    var baseURL = "http://data.gdeltproject.org/gdeltv2"

    @Option(help: "The topic to produce to (bad rows go to <topic>.dlq).")
    var topic = "gdelt.events"

    @Option(help: "Seconds between polls of lastupdate.txt.")
    var interval: Int = 900

    @Flag(help: "Handle the current lastupdate.txt once and exit (non-zero if it failed).")
    var once = false

    @Option(help: "Fetch the batches of a time range by URL instead of polling: FROM..TO as slots (20250516020000..20250516030000) or ISO times.")
    var backfill: String?

    @Option(help: "Replay recorded export files from this directory in file-name order (.CSV or .CSV.zip, native or with one added header line).")
    var fromDir: String?

    @Option(help: "Replay only: shift every time by one constant so the first file's slot is at NOW (rounded down to 15 minutes) or this time; DATEADDED and the record timestamp are shifted.")
    var rebaseTime: String?

    @Option(help: "Replay only, for demos: replay the files as back-to-back 15-minute batches from START (NOW, rounded down to 15 minutes, an ISO time or a slot), shifting each file's times by one constant.")
    var asConsecutiveBatches: String?

    @Option(help: "Replay only: N times real time (pauses follow the gaps between batch times), or max.")
    var speed = "max"

    func validate() throws {
        let modes = [backfill != nil, fromDir != nil, once].filter { $0 }.count
        if modes > 1 { throw ValidationError("choose one of --once, --backfill FROM..TO and --from-dir DIR") }
        if interval < 1 { throw ValidationError("--interval must be at least 1 second") }
        if let fromDir {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: fromDir, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("--from-dir: no directory '\(fromDir)'")
            }
        } else if rebaseTime != nil || asConsecutiveBatches != nil || speed != "max" {
            throw ValidationError("--rebase-time, --as-consecutive-batches and --speed apply to replays: add --from-dir DIR")
        }
        if rebaseTime != nil, asConsecutiveBatches != nil {
            throw ValidationError("give at most one of --rebase-time and --as-consecutive-batches")
        }
        _ = try parseSpeed(speed)
        if let rebaseTime { _ = try parseTimeArgument(rebaseTime, option: "--rebase-time") }
        if let asConsecutiveBatches { _ = try parseTimeArgument(asConsecutiveBatches, option: "--as-consecutive-batches") }
        if let backfill { _ = try backfillRange(backfill) }
    }

    /// `FROM..TO` as two slots.
    private func backfillRange(_ text: String) throws -> (Int64, Int64) {
        let parts = text.components(separatedBy: "..")
        guard parts.count == 2 else { throw ValidationError("--backfill takes FROM..TO, e.g. 20250516020000..20250516030000") }
        let from = try parseTimeArgument(parts[0], option: "--backfill FROM")
        let to = try parseTimeArgument(parts[1], option: "--backfill TO")
        guard from <= to else { throw ValidationError("--backfill: FROM is after TO") }
        return (GDELTSlot.slot(from), GDELTSlot.slot(to))
    }

    /// NOW rounded down to a 15-minute slot; other times as given.
    private func slotTime(_ text: String, option: String) throws -> Int64 {
        let ms = try parseTimeArgument(text, option: option)
        return text.uppercased() == "NOW" ? ms - ms % GDELTSlot.intervalMilliseconds : ms
    }

    func run() throws {
        let session = try IngestSession(options: target, topic: topic, label: "tributary.ingest.gdelt")
        defer { session.finish() }
        if try !ingest(session) { throw ExitCode(1) }
    }

    /// Returns false when a `--once` poll failed.
    private func ingest(_ session: IngestSession) throws -> Bool {
        let output = try RecordOutput(topic: topic, bootstrapServers: session.servers)
        var config = GDELTConnector.Configuration()
        config.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        config.interval = .seconds(interval)
        config.speed = try parseSpeed(speed)
        let stateDir = target.stateDir ?? (fromDir == nil ? ".tributary-state" : nil)
        config.stateFile = stateDir.map { ResumeStateFile(directory: $0, connector: "gdelt", topic: topic) }
        let connector = try GDELTConnector(output: output, configuration: config, logger: session.logger)
        var failed = false
        try session.run(output: output, metrics: connector.metrics, statsInterval: target.statsInterval, stop: { connector.stop() }) {
            if let fromDir {
                let shift: GDELTConnector.TimeShift
                if let rebaseTime {
                    shift = .rebase(toMilliseconds: try slotTime(rebaseTime, option: "--rebase-time"))
                } else if let asConsecutiveBatches {
                    shift = .consecutiveBatches(
                        startMilliseconds: try slotTime(asConsecutiveBatches, option: "--as-consecutive-batches"))
                } else {
                    shift = .none
                }
                let count = try connector.replay(directory: fromDir, timeShift: shift)
                session.logger.info("replayed \(count) batches from \(fromDir) to \(topic)")
            } else if let backfill {
                let (from, to) = try backfillRange(backfill)
                let count = try connector.backfill(from: from, to: to)
                session.logger.info("backfilled \(count) batches of \(from)..\(to) to \(topic)")
            } else {
                failed = connector.runLive(once: once) > 0 && once
            }
        }
        return !failed
    }
}
