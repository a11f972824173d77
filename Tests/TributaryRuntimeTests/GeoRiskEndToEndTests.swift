import Foundation
import Testing
import TributaryKafka

/// GeoRisk end to end on `EmbeddedKafkaCluster`: the connectors (`tributary ingest`) replay the bundled real data
/// (the first 12 GDELT exports of data/demo/georisk as back-to-back batches, and the Wikipedia sample aligned to
/// the same start), `georisk` runs as a separate process, and `risk.signals`, `risk.alerts` and the tables'
/// changelogs must hold exactly the signals that scripts/derive-georisk-e2e-expectations.py computes from the raw
/// files without project code (Fixtures/georisk-e2e-expected.json). A second run under another application id,
/// with fresh state, over the same input topics gives byte-identical signal values.
@Suite(.serialized, .timeLimit(.minutes(10)))
struct GeoRiskEndToEndTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let start = "2025-05-16T02:00:00Z"

    struct Expected: Decodable {
        struct GDELT: Decodable {
            var events: Int64
            var conflictEvents: Int64
            var materialConflictEvents: Int64
            var mentions: Int64
            var goldsteinSum: Double
            var toneSum: Double
            var severity: Double
        }
        struct Wiki: Decodable {
            var edits: Int64
            var editors: Int64
            var topArticles: [String]
        }
        struct Signal: Decodable {
            var country: String
            var name: String?
            var startMs: Int64
            var baseline: Double
            var surge: Double
            var risk: Double
            var toneMean: Double
            var previousEdits: [Int64]
            var gdelt: GDELT?
            var wiki: Wiki?
        }
        struct Alert: Decodable {
            var country: String
            var startMs: Int64
            var risk: Double
            var previousRisk: Double
        }
        var gdeltFiles: Int
        var signals: [Signal]
        var alerts: [Alert]
    }

    @Test func signalsAndTablesHoldExactlyTheIndependentlyDerivedValuesAndASecondRunIsByteIdentical() throws {
        let expected = try JSONDecoder().decode(
            Expected.self,
            from: Data(contentsOf: Self.root.appendingPathComponent("Tests/TributaryRuntimeTests/Fixtures/georisk-e2e-expected.json")))
        let cluster = try EmbeddedKafkaCluster(brokers: 1)
        let work = URL(fileURLWithPath: RuntimeHarness.temporaryStateDirectory())
        defer { try? FileManager.default.removeItem(at: work) }
        for app in ["georisk-e2e-1", "georisk-e2e-2"] {
            for line in try Self.run("georisk", ["topics", "--application-id", app]).split(separator: "\n") {
                let parts = line.split(separator: ":")
                if cluster.partitionCount(of: String(parts[0])) == nil {
                    try cluster.createTopic(String(parts[0]), partitions: Int(parts[1])!)
                }
            }
        }

        try Self.ingest(into: cluster, work: work, files: expected.gdeltFiles)

        // First run.
        try Self.runGeoRisk(app: "georisk-e2e-1", cluster: cluster, stateDirectory: work.appendingPathComponent("state-1").path)
        let signals = try RuntimeHarness.readAll("risk.signals", cluster: cluster)
        let alerts = try RuntimeHarness.readAll("risk.alerts", cluster: cluster)
        let decoder = JSONDecoder()
        let emitted = try signals.map { try decoder.decode(EmittedSignal.self, from: Data($0.value ?? [])) }
        #expect(signals.allSatisfy { $0.key.map { String(decoding: $0, as: UTF8.self) } != nil })
        #expect(zip(signals, emitted).allSatisfy { String(decoding: $0.key ?? [], as: UTF8.self) == $1.country })
        try Self.compare(emitted, with: expected.signals)

        let emittedAlerts = try alerts.map { try decoder.decode(EmittedAlert.self, from: Data($0.value ?? [])) }
        #expect(emittedAlerts.count == expected.alerts.count)
        let alertsByKey = Dictionary(emittedAlerts.map { ("\($0.country)@\($0.startMs)", $0) }, uniquingKeysWith: { a, _ in a })
        for alert in expected.alerts {
            let found = alertsByKey["\(alert.country)@\(alert.startMs)"]
            #expect(found != nil, "missing alert \(alert.country)@\(alert.startMs)")
            if let found {
                #expect(Self.close(found.risk, alert.risk) && Self.close(found.previousRisk, alert.previousRisk))
            }
        }

        // The tables, read from their changelogs (latest record per key): risk-by-window holds every signal,
        // country-risk-latest each country's signal of its latest window.
        let byWindow = try Self.latestPerKey("georisk-e2e-1-risk-by-window-changelog", cluster: cluster)
            .map { try decoder.decode(EmittedSignal.self, from: Data($0)) }
        try Self.compare(byWindow, with: expected.signals)
        let latest = try Self.latestPerKey("georisk-e2e-1-country-risk-latest-changelog", cluster: cluster)
            .map { try decoder.decode(EmittedSignal.self, from: Data($0)) }
        let newest = Dictionary(grouping: expected.signals, by: \.country).mapValues { $0.max { $0.startMs < $1.startMs }! }
        #expect(latest.count == newest.count)
        for signal in latest {
            #expect(signal.startMs == newest[signal.country]?.startMs, "latest window of \(signal.country)")
        }

        // Second run: same input topics, another application id, fresh state.
        try Self.runGeoRisk(app: "georisk-e2e-2", cluster: cluster, stateDirectory: work.appendingPathComponent("state-2").path)
        let all = try RuntimeHarness.readAll("risk.signals", cluster: cluster)
        #expect(all.count == 2 * signals.count)
        let first = signals.map { ($0.key ?? [], $0.value ?? []) }
        let second = all.dropFirst(signals.count).map { ($0.key ?? [], $0.value ?? []) }
        #expect(first.map(\.0) == second.map(\.0) && first.map(\.1) == second.map(\.1), "the second run's signals differ")
    }

    /// The connectors replay the first `files` bundled GDELT exports as consecutive batches from ``start`` and the
    /// Wikipedia sample rebased to ``start`` into the cluster.
    static func ingest(into cluster: EmbeddedKafkaCluster, work: URL, files: Int = 12) throws {
        try ingest(bootstrapServers: cluster.bootstrapServers, work: work, files: files)
    }

    /// ``ingest(into:work:files:)`` for any cluster, e.g. a `tributary dev-cluster` process.
    static func ingest(bootstrapServers: String, work: URL, files: Int = 12) throws {
        let gdeltDirectory = work.appendingPathComponent("gdelt")
        try FileManager.default.createDirectory(at: gdeltDirectory, withIntermediateDirectories: true)
        let exports = try FileManager.default.contentsOfDirectory(
            atPath: root.appendingPathComponent("data/demo/georisk/gdelt").path
        ).filter { $0.hasSuffix(".export.CSV.zip") }.sorted().prefix(files)
        for file in exports {
            try FileManager.default.copyItem(
                at: root.appendingPathComponent("data/demo/georisk/gdelt/\(file)"),
                to: gdeltDirectory.appendingPathComponent(file))
        }
        _ = try run("tributary", [
            "ingest", "gdelt", "--bootstrap-servers", bootstrapServers, "--from-dir", gdeltDirectory.path,
            "--as-consecutive-batches", start, "--speed", "max", "--stats-interval", "0",
        ])
        _ = try run("tributary", [
            "ingest", "wikimedia", "--bootstrap-servers", bootstrapServers, "--from-file",
            root.appendingPathComponent("data/demo/georisk/wikimedia/enwiki-20150912-wikiticker.jsonl").path,
            "--rebase-time", start, "--speed", "max", "--stats-interval", "0",
        ])
    }

    /// The fields of a `risk.signals` value the test checks.
    struct EmittedSignal: Decodable {
        var country: String
        var name: String?
        var startMs: Int64
        var endMs: Int64
        var baseline: Double
        var surge: Double
        var risk: Double
        var toneMean: Double
        var previousEdits: [Int64]
        var gdelt: Expected.GDELT?
        var wiki: EmittedWiki?
    }

    struct EmittedWiki: Decodable {
        struct Article: Decodable { var title: String }
        var edits: Int64
        var editors: Int64
        var topArticles: [Article]
    }

    struct EmittedAlert: Decodable {
        var country: String
        var startMs: Int64
        var risk: Double
        var previousRisk: Double
    }

    static func compare(_ emitted: [EmittedSignal], with expected: [Expected.Signal]) throws {
        #expect(emitted.count == expected.count, "one signal per expected (country, window)")
        let byKey = Dictionary(emitted.map { ("\($0.country)@\($0.startMs)", $0) }, uniquingKeysWith: { first, _ in
            Issue.record("two signals for \(first.country)@\(first.startMs)")
            return first
        })
        for signal in expected {
            let key = "\(signal.country)@\(signal.startMs)"
            guard let found = byKey[key] else {
                Issue.record("missing signal \(key)")
                continue
            }
            #expect(found.name == signal.name && found.endMs == signal.startMs + 15 * 60 * 1000, "\(key)")
            #expect(found.previousEdits == signal.previousEdits, "\(key) previous edits")
            #expect(
                close(found.baseline, signal.baseline) && close(found.surge, signal.surge)
                    && close(found.toneMean, signal.toneMean) && close(found.risk, signal.risk),
                "\(key): risk \(found.risk) vs \(signal.risk)")
            if let gdelt = signal.gdelt, let got = found.gdelt {
                #expect(
                    got.events == gdelt.events && got.conflictEvents == gdelt.conflictEvents
                        && got.materialConflictEvents == gdelt.materialConflictEvents && got.mentions == gdelt.mentions,
                    "\(key) GDELT counts")
                #expect(
                    close(got.severity, gdelt.severity) && close(got.goldsteinSum, gdelt.goldsteinSum)
                        && close(got.toneSum, gdelt.toneSum), "\(key) GDELT sums")
            } else {
                #expect(signal.gdelt == nil && found.gdelt == nil, "\(key) GDELT side present on one side only")
            }
            if let wiki = signal.wiki, let got = found.wiki {
                #expect(got.edits == wiki.edits && got.editors == wiki.editors, "\(key) Wikipedia counts")
                #expect(got.topArticles.map(\.title) == wiki.topArticles, "\(key) top articles")
            } else {
                #expect(signal.wiki == nil && found.wiki == nil, "\(key) Wikipedia side present on one side only")
            }
        }
    }

    /// Equal up to the last bits of sums of doubles taken in a different order.
    static func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(1, abs(a), abs(b)) }

    static func latestPerKey(_ topic: String, cluster: EmbeddedKafkaCluster) throws -> [[UInt8]] {
        var latest: [[UInt8]: [UInt8]?] = [:]
        for message in try RuntimeHarness.readAll(topic, cluster: cluster) { latest[message.key ?? []] = message.value }
        return latest.values.compactMap { $0 }
    }

    static func runGeoRisk(app: String, cluster: EmbeddedKafkaCluster, stateDirectory: String) throws {
        _ = try run("georisk", [
            "run", "--bootstrap-servers", cluster.bootstrapServers, "--application-id", app, "--state-dir",
            stateDirectory, "--stop-when-idle", "5", "--idle-close-seconds", "0",
        ])
    }

    /// Runs a built binary to its end (killed after 5 minutes) and returns its standard output; a non-zero exit
    /// fails the test with the end of its standard error.
    static func run(_ binary: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = GracefulShutdownTests.binDirectory.appendingPathComponent(binary)
        process.arguments = arguments
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("georisk-e2e-\(UUID().uuidString)")
        let output = base.appendingPathExtension("out")
        let errors = base.appendingPathExtension("err")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: output)
            try? FileManager.default.removeItem(at: errors)
        }
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        let deadline = Date().addingTimeInterval(300)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            Issue.record("\(binary) \(arguments.first ?? "") did not finish within 5 minutes; killed")
        }
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            let log = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            Issue.record("\(binary) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus): \(log.suffix(2000))")
        }
        return try String(contentsOf: output, encoding: .utf8)
    }
}
