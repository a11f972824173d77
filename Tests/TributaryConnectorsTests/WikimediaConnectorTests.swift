import Foundation
import Testing
import TributaryKafka
@testable import TributaryConnectors

/// The Wikimedia connector: live over a loopback SSE server that drops connections, and replays of the
/// bundled recordings, producing to the embedded cluster.
@Suite(.serialized, .timeLimit(.minutes(2))) struct WikimediaConnectorTests {
    static let topic = "wikimedia.recentchange"
    static let recording = TestSupport.data("wikimedia/recentchange-20260226T1549Z-multiwiki-wikistream-lakehouse.jsonl")

    /// The recording's events: (meta.id, wiki, SSE id as the test server writes it).
    static func recordedEvents() throws -> [(id: String, wiki: String, sseID: String)] {
        try String(contentsOfFile: recording, encoding: .utf8).split(separator: "\n").map { line in
            let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let meta = try #require(object["meta"] as? [String: Any])
            let topic = try #require(meta["topic"] as? String)
            let offset = try #require(meta["offset"] as? Int64)
            let sseID = "[{\"topic\":\"\(topic)\",\"partition\":0,\"offset\":\(offset)}]"
            return (try #require(meta["id"] as? String), try #require(object["wiki"] as? String), sseID)
        }
    }

    private func liveConfiguration(_ server: LocalIngestServer, state: ResumeStateFile, maxEvents: Int) -> WikimediaConnector.Configuration {
        var configuration = WikimediaConnector.Configuration()
        configuration.url = server.url("/v2/stream/recentchange")
        configuration.stateFile = state
        configuration.maxEvents = maxEvents
        configuration.initialBackoff = .milliseconds(50)
        configuration.maxBackoff = .milliseconds(400)
        return configuration
    }

    /// Runs the connector's live loop on a thread, bounded to 60 s.
    private func runLive(_ connector: WikimediaConnector) throws {
        let errors = ErrorBox()
        let finished = TestSupport.runBounded(timeout: .seconds(60), stop: { connector.stop() }) {
            do { try connector.runLive() } catch { errors.set(error) }
        }
        #expect(finished, "the live run did not stop by itself")
        if let error = errors.get() { throw error }
    }

    @Test func droppedConnectionsResumeWithLastEventIDAndEveryEventIsProducedOnce() throws {
        let events = try Self.recordedEvents()
        #expect(events.count == 50)
        let directory = try TestSupport.temporaryDirectory()
        let state = ResumeStateFile(path: directory + "/wikimedia.json")
        // The first two connections drop after 17 events, in the middle of the 18th.
        let server = try LocalIngestServer(arguments: ["--events", Self.recording, "--drop-after", "17", "--drop-connections", "2"])
        let cluster = try TestSupport.cluster(topic: Self.topic)
        defer { cluster.shutdown() }
        try withExtendedLifetime(cluster) {
            let output = try RecordOutput(topic: Self.topic, bootstrapServers: cluster.bootstrapServers)
            defer { output.close() }
            let connector = try WikimediaConnector(
                output: output, configuration: liveConfiguration(server, state: state, maxEvents: 50), logger: TestSupport.logger)
            try runLive(connector)
            #expect(connector.metrics.snapshot.reconnects == 2)
            #expect(connector.metrics.snapshot.produced == 50)

            // The server saw: no Last-Event-ID, then the id of event 17, then of event 34.
            let log = try server.json("/log", as: [String?].self)
            #expect(log == [nil, events[16].sseID, events[33].sseID])
            #expect(try state.load().lastEventID == events[49].sseID)

            let messages = try TestSupport.readAll(cluster, topic: Self.topic)
            let ids = try messages.map { try (TestSupport.json($0)["meta"] as? [String: Any])?["id"] as? String ?? "" }
            #expect(ids == events.map(\.id))  // all 50, once each, in order
            #expect(messages.map { String(decoding: $0.key ?? [], as: UTF8.self) } == events.map(\.wiki))
            // Values are the recorded lines byte for byte; timestamps are meta.dt.
            let lines = try String(contentsOfFile: Self.recording, encoding: .utf8).split(separator: "\n")
            #expect(messages.map { $0.value ?? [] } == lines.map { Array($0.utf8) })
            #expect(messages.first?.timestamp == 1_772_120_976_569)  // derive-ingest-expectations.py first_dt_ms
            #expect(messages.last?.timestamp == 1_772_120_978_084)  // last_dt_ms
        }
    }

    @Test func httpErrorsAndStalledConnectionsAreRetriedWithBackoff() throws {
        let events = try Self.recordedEvents()
        let directory = try TestSupport.temporaryDirectory()
        let state = ResumeStateFile(path: directory + "/wikimedia.json")
        // Connections 1 and 2 get HTTP 503, connection 3 stalls (headers, then silence), connection 4 streams.
        let server = try LocalIngestServer(arguments: ["--events", Self.recording, "--fail-first", "2", "--stall-first", "1"])
        let cluster = try TestSupport.cluster(topic: Self.topic)
        defer { cluster.shutdown() }
        try withExtendedLifetime(cluster) {
            let output = try RecordOutput(topic: Self.topic, bootstrapServers: cluster.bootstrapServers)
            defer { output.close() }
            var configuration = liveConfiguration(server, state: state, maxEvents: 50)
            configuration.stallTimeout = .seconds(1)
            let connector = try WikimediaConnector(output: output, configuration: configuration, logger: TestSupport.logger)
            let start = ContinuousClock.now
            try runLive(connector)
            let elapsed = ContinuousClock.now - start
            let snapshot = connector.metrics.snapshot
            #expect(snapshot.failures == ["http-error": 2, "stalled-or-timeout": 1])
            #expect(snapshot.reconnects == 3)
            #expect(snapshot.produced == 50)
            // Backoff 50 + 100 + 200 ms, plus at least the 1 s stall.
            #expect(elapsed >= .milliseconds(1350))
            #expect(try server.json("/log", as: [String?].self) == [nil, nil, nil, nil])
            #expect(try TestSupport.readAll(cluster, topic: Self.topic).count == events.count)
        }
    }

    @Test func sinceIsSentAsAQueryParameterAndOlderEventsAreDropped() throws {
        let directory = try TestSupport.temporaryDirectory()
        let server = try LocalIngestServer(arguments: ["--events", Self.recording])
        let cluster = try TestSupport.cluster(topic: Self.topic)
        defer { cluster.shutdown() }
        try withExtendedLifetime(cluster) {
            let output = try RecordOutput(topic: Self.topic, bootstrapServers: cluster.bootstrapServers)
            defer { output.close() }
            var configuration = liveConfiguration(
                server, state: ResumeStateFile(path: directory + "/wikimedia.json"), maxEvents: 10)
            // 29 of the 50 recorded events have meta.dt at or after 15:49:37Z (python3: datetime.fromisoformat).
            configuration.since = EventTime.parseISO8601("2026-02-26T15:49:37Z")
            configuration.maxEvents = 29
            let connector = try WikimediaConnector(output: output, configuration: configuration, logger: TestSupport.logger)
            try runLive(connector)
            #expect(try server.json("/paths", as: [String].self) == ["/v2/stream/recentchange?since=2026-02-26T15:49:37.000Z"])
            // The test server ignores `since`, so the connector's own filter drops the older events.
            let messages = try TestSupport.readAll(cluster, topic: Self.topic)
            #expect(messages.count == 29)
            #expect(messages.allSatisfy { $0.timestamp >= 1_772_120_977_000 })
            #expect(connector.metrics.snapshot.dropped == ["before-since": 21])
        }
    }

    @Test func restartResumesFromTheSavedEventID() throws {
        let events = try Self.recordedEvents()
        let directory = try TestSupport.temporaryDirectory()
        let state = ResumeStateFile(path: directory + "/wikimedia.json")
        let server = try LocalIngestServer(arguments: ["--events", Self.recording])
        let cluster = try TestSupport.cluster(topic: Self.topic)
        defer { cluster.shutdown() }
        try withExtendedLifetime(cluster) {
            for maxEvents in [20, 30] {
                let output = try RecordOutput(topic: Self.topic, bootstrapServers: cluster.bootstrapServers)
                defer { output.close() }
                let connector = try WikimediaConnector(
                    output: output, configuration: liveConfiguration(server, state: state, maxEvents: maxEvents),
                    logger: TestSupport.logger)
                try runLive(connector)
                #expect(connector.metrics.snapshot.produced == maxEvents)
            }
            #expect(try server.json("/log", as: [String?].self) == [nil, events[19].sseID])
            let messages = try TestSupport.readAll(cluster, topic: Self.topic)
            let ids = try messages.map { try (TestSupport.json($0)["meta"] as? [String: Any])?["id"] as? String ?? "" }
            #expect(ids == events.map(\.id))
        }
    }

    /// Counts per type and wiki: `python3 scripts/derive-ingest-expectations.py` (per_type, per_wiki), as literals.
    @Test(arguments: [
        (
            "wikimedia/recentchange-20260226T1549Z-multiwiki-wikistream-lakehouse.jsonl", 50,
            ["categorize": 27, "edit": 19, "log": 3, "new": 1],
            [
                "bgwiki": 1, "cewiki": 1, "commonswiki": 14, "dewiki": 4, "enwiki": 16, "eswiki": 1, "frwiki": 1,
                "jvwiktionary": 1, "mswiktionary": 4, "ptwiki": 1, "ruwiki": 1, "ukwiki": 1, "viwiki": 1,
                "wikidatawiki": 3,
            ]
        ),
        (
            "wikimedia/recentchange-20180307T1659Z-wikidatawiki-editgroups-qs_batch_with_reverts.jsonl", 1789,
            ["edit": 1763, "log": 5, "new": 21], ["wikidatawiki": 1789]
        ),
    ])
    func replayProducesEveryRecordedEvent(_ file: String, _ total: Int, _ perType: [String: Int], _ perWiki: [String: Int]) throws {
        let cluster = try TestSupport.cluster(topic: Self.topic)
        defer { cluster.shutdown() }
        try withExtendedLifetime(cluster) {
            let output = try RecordOutput(topic: Self.topic, bootstrapServers: cluster.bootstrapServers)
            defer { output.close() }
            let connector = try WikimediaConnector(output: output, configuration: .init(), logger: TestSupport.logger)
            #expect(try connector.replay(file: TestSupport.data(file), rebaseTo: nil) == total)
            let messages = try TestSupport.readAll(cluster, topic: Self.topic)
            #expect(messages.count == total)
            var types: [String: Int] = [:]
            var wikis: [String: Int] = [:]
            for message in messages {
                let object = try TestSupport.json(message)
                types[object["type"] as? String ?? "?", default: 0] += 1
                let wiki = object["wiki"] as? String ?? "?"
                wikis[wiki, default: 0] += 1
                #expect(message.key == Array(wiki.utf8))
            }
            #expect(types == perType)
            #expect(wikis == perWiki)
            #expect(connector.metrics.snapshot.dropped.isEmpty)
        }
    }

    @Test func badLinesGoToTheDeadLetterTopicAndCanariesAreDropped() throws {
        let lines = try String(contentsOfFile: Self.recording, encoding: .utf8).split(separator: "\n").map(String.init)
        let canary = lines[0].replacingOccurrences(of: "\"domain\": \"ms.wiktionary.org\"", with: "\"domain\": \"canary\"")
        #expect(canary != lines[0])
        let noWiki = lines[1].replacingOccurrences(of: "\"wiki\": ", with: "\"wikiX\": ")
        let badDate = lines[2].replacingOccurrences(of: "\"dt\": \"2026-02-26T15:49:36", with: "\"dt\": \"yesterday")
        #expect(badDate != lines[2])
        let file = try TestSupport.temporaryDirectory() + "/mixed.jsonl"
        try ([canary, "{\"meta\": ", noWiki, badDate, lines[3]].joined(separator: "\n") + "\n")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let cluster = try TestSupport.cluster(topic: Self.topic)
        defer { cluster.shutdown() }
        try withExtendedLifetime(cluster) {
            let output = try RecordOutput(topic: Self.topic, bootstrapServers: cluster.bootstrapServers)
            defer { output.close() }
            let connector = try WikimediaConnector(output: output, configuration: .init(), logger: TestSupport.logger)
            #expect(try connector.replay(file: file, rebaseTo: nil) == 1)
            #expect(connector.metrics.snapshot.dropped == ["canary": 1, "malformed-json": 1, "missing-field": 1, "bad-date": 1])
            #expect(connector.metrics.snapshot.deadLettered == 3)
            #expect(try TestSupport.readAll(cluster, topic: Self.topic).map { $0.value ?? [] } == [Array(lines[3].utf8)])
            let dead = try TestSupport.readAll(cluster, topic: Self.topic + ".dlq")
            #expect(dead.map { $0.value ?? [] } == [Array("{\"meta\": ".utf8), Array(noWiki.utf8), Array(badDate.utf8)])
            #expect(dead.map { TestSupport.header($0, "tributary.dlq.reason") } == ["malformed-json", "missing-field", "bad-date"])
            #expect(dead.map { TestSupport.header($0, "tributary.dlq.position") } == ["2", "3", "4"])
            #expect(dead.allSatisfy { TestSupport.header($0, "tributary.dlq.source") == file })
        }
    }

    @Test func rebaseShiftsTimestampsAndMetaDTByOneConstantAndWikiFilterKeepsOnlyThoseWikis() throws {
        let cluster = try TestSupport.cluster(topic: Self.topic)
        defer { cluster.shutdown() }
        try withExtendedLifetime(cluster) {
            let output = try RecordOutput(topic: Self.topic, bootstrapServers: cluster.bootstrapServers)
            defer { output.close() }
            var configuration = WikimediaConnector.Configuration()
            configuration.wikis = ["enwiki", "dewiki"]
            let connector = try WikimediaConnector(output: output, configuration: configuration, logger: TestSupport.logger)
            let target = try #require(EventTime.parseISO8601("2030-01-01T00:00:00Z"))
            #expect(try connector.replay(file: Self.recording, rebaseTo: target) == 20)  // enwiki 16 + dewiki 4
            #expect(connector.metrics.snapshot.dropped == ["wiki-filter": 30])
            let messages = try TestSupport.readAll(cluster, topic: Self.topic)
            // The first line's event (mswiktionary, 15:49:36.569) sets the shift, filtered out or not; meta.dt is not
            // monotonic in the recording, so some shifted times are before the target.
            let shift = target - 1_772_120_976_569
            for message in messages {
                let dt = try #require((TestSupport.json(message)["meta"] as? [String: Any])?["dt"] as? String)
                #expect(EventTime.parseISO8601(dt) == message.timestamp)
            }
            let original = try String(contentsOfFile: Self.recording, encoding: .utf8).split(separator: "\n")
                .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                .filter { ["enwiki", "dewiki"].contains($0["wiki"] as? String ?? "") }
                .map { EventTime.parseISO8601(($0["meta"] as? [String: Any])?["dt"] as? String ?? "")! + shift }
            #expect(messages.map(\.timestamp) == original)
        }
    }
}

/// An error handed from the connector's thread to the test.
final class ErrorBox: @unchecked Sendable {
    private let lock = NSLock()
    private var error: Error?
    func set(_ error: Error) { lock.withLock { self.error = error } }
    func get() -> Error? { lock.withLock { error } }
}
