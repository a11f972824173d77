import Foundation
import GeoRiskTopology
import Testing
import TributaryCore
import TributaryTesting

/// A `gdelt.events` value as the GDELT connector writes it (only the columns GeoRisk reads; the connector
/// writes all 61, and the others are ignored).
func gdeltJSON(
    id: Int64, dateAdded: Int64, country: String?, quadClass: Int? = 1, goldstein: Double? = 0, mentions: Int? = 1,
    tone: Double? = 0, eventCode: String? = "010", url: String? = "https://example.org/a"
) -> String {
    func text(_ value: String?) -> String { value.map { "\"\($0)\"" } ?? "null" }
    func number<T>(_ value: T?) -> String { value.map { "\($0)" } ?? "null" }
    return """
        {"GLOBALEVENTID":\(id),"SQLDATE":20250516,"Actor1Name":"POLICE","Actor2Name":null,"EventCode":\(text(eventCode)),\
        "QuadClass":\(number(quadClass)),"GoldsteinScale":\(number(goldstein)),"NumMentions":\(number(mentions)),\
        "AvgTone":\(number(tone)),"ActionGeo_CountryCode":\(text(country)),"DATEADDED":\(dateAdded),"SOURCEURL":\(text(url))}
        """
}

/// A `wikimedia.recentchange` value in the EventStreams shape (the fields GeoRisk reads, plus `wiki`).
func wikiJSON(
    dt: String, title: String, user: String = "Alice", type: String = "edit", namespace: Int = 0, bot: Bool = false,
    old: Int64? = 100, new: Int64? = 110, domain: String = "en.wikipedia.org"
) -> String {
    let length = "{" + [old.map { "\"old\":\($0)" }, new.map { "\"new\":\($0)" }].compactMap { $0 }.joined(separator: ",") + "}"
    return """
        {"meta":{"dt":"\(dt)","domain":"\(domain)"},"type":"\(type)","namespace":\(namespace),"title":"\(title)",\
        "user":"\(user)","bot":\(bot),"wiki":"enwiki","length":\(length)}
        """
}

/// A driver over GeoRisk with its production error policies, the project's gazetteer piped into the gazetteer
/// topic first.
func makeGeoRiskDriver(grace: Duration = GeoRiskTopology.defaultGrace, idleClose: Duration? = .seconds(60)) throws
    -> TopologyTestDriver
{
    let topology = try GeoRiskTopology.make(grace: grace, idleClose: idleClose)
    let driver = try TopologyTestDriver(topology, errorPolicies: GeoRiskTopology.errorPolicies)
    let gazetteer = driver.gazetteerInput()
    for (code, entry) in try loadProjectGazetteer().entries { try gazetteer.pipeInput(code, entry, timestamp: 0) }
    return driver
}

extension TopologyTestDriver {
    func gazetteerInput() -> TestInputTopic<String, GazetteerEntry> {
        createInputTopic(GeoRiskTopology.gazetteerTopic, key: .string, value: .json(GazetteerEntry.self))
    }
    func gdeltInput() -> TestInputTopic<String?, String> {
        createInputTopic(GeoRiskTopology.gdeltTopic, key: .optional(.string), value: .string)
    }
    func wikiInput() -> TestInputTopic<String?, String> {
        createInputTopic(GeoRiskTopology.wikiTopic, key: .optional(.string), value: .string)
    }
    /// The emitted GDELT windows, by "country@start".
    func gdeltWindows() throws -> [String: CountryWindow<GDELTWindowStats>] {
        let records = try createOutputTopic(
            GeoRiskTopology.gdeltWindowTopic, key: .string, value: .json(CountryWindow<GDELTWindowStats>.self)
        ).readRecords()
        #expect(records.allSatisfy { $0.key == $0.value.country })
        return Dictionary(records.map { ("\($0.key)@\($0.value.start)", $0.value) }, uniquingKeysWith: { first, _ in
            Issue.record("a window was emitted twice")
            return first
        })
    }
    /// The emitted Wikipedia windows, by "country@start".
    func wikiWindows() throws -> [String: CountryWindow<WikiWindowStats>] {
        let records = try createOutputTopic(
            GeoRiskTopology.wikiWindowTopic, key: .string, value: .json(CountryWindow<WikiWindowStats>.self)
        ).readRecords()
        #expect(records.allSatisfy { $0.key == $0.value.country })
        return Dictionary(records.map { ("\($0.key)@\($0.value.start)", $0.value) }, uniquingKeysWith: { first, _ in
            Issue.record("a window was emitted twice")
            return first
        })
    }
}

@Suite struct GeoRiskAggregateTests {
    @Test func gdeltRowsAreAggregatedPerCountryAndWindow() throws {
        let driver = try makeGeoRiskDriver()
        let input = driver.gdeltInput()
        // Window [02:00, 02:15) of 2025-05-16.
        try input.pipeInput("UP", gdeltJSON(id: 10, dateAdded: 2025_05_16_02_00_00, country: "UP", quadClass: 4, goldstein: -10, mentions: 5, tone: -6), timestamp: 0)
        try input.pipeInput("UP", gdeltJSON(id: 11, dateAdded: 2025_05_16_02_00_00, country: "UP", quadClass: 3, goldstein: -2, mentions: 3, tone: -2), timestamp: 0)
        try input.pipeInput("UP", gdeltJSON(id: 12, dateAdded: 2025_05_16_02_14_59, country: "UP", quadClass: 1, goldstein: 3, mentions: 10, tone: 4), timestamp: 0)
        // Same weight as id 10 (10 × 5 = 5 × 10): the lower id ranks first.
        try input.pipeInput("UP", gdeltJSON(id: 9, dateAdded: 2025_05_16_02_05_00, country: "UP", quadClass: 4, goldstein: -5, mentions: 10, tone: -3), timestamp: 0)
        // Material cooperation with a negative Goldstein score: a top-event weight, but no severity.
        try input.pipeInput(nil, gdeltJSON(id: 20, dateAdded: 2025_05_16_02_00_00, country: "RS", quadClass: 2, goldstein: -1, mentions: 2, tone: 1), timestamp: 0)
        // Missing numbers count as 0; a missing QuadClass as no conflict.
        try input.pipeInput(nil, gdeltJSON(id: 21, dateAdded: 2025_05_16_02_01_00, country: "RS", quadClass: nil, goldstein: nil, mentions: nil, tone: nil), timestamp: 0)
        // No country: not counted anywhere.
        try input.pipeInput(nil, gdeltJSON(id: 30, dateAdded: 2025_05_16_02_00_00, country: nil, quadClass: 4, goldstein: -10, mentions: 99), timestamp: 0)
        try input.pipeInput(nil, gdeltJSON(id: 31, dateAdded: 2025_05_16_02_00_00, country: "", quadClass: 4, goldstein: -10, mentions: 99), timestamp: 0)
        // Exactly at the end of the first window: the next one.
        try input.pipeInput("UP", gdeltJSON(id: 13, dateAdded: 2025_05_16_02_15_00, country: "UP", quadClass: 3, goldstein: -4, mentions: 2, tone: -1), timestamp: 0)
        #expect(try driver.gdeltWindows().isEmpty, "no window has closed yet")
        // Stream time 03:00 closes [02:00, 02:15) (at 02:20) and [02:15, 02:30) (at 02:35), not [03:00, 03:15).
        try input.pipeInput("US", gdeltJSON(id: 40, dateAdded: 2025_05_16_03_00_00, country: "US"), timestamp: 0)

        let windows = try driver.gdeltWindows()
        #expect(windows.keys.sorted() == [
            "RS@2025-05-16T02:00:00.000Z", "UP@2025-05-16T02:00:00.000Z", "UP@2025-05-16T02:15:00.000Z",
        ])
        let ukraine = try #require(windows["UP@2025-05-16T02:00:00.000Z"])
        #expect(ukraine.name == "Ukraine")
        #expect(ukraine.end == "2025-05-16T02:15:00.000Z")
        #expect(ukraine.endMs - ukraine.startMs == 900_000)
        #expect(ukraine.startMs == 1_747_360_800_000)
        let stats = ukraine.aggregate
        #expect(stats.events == 4)
        #expect(stats.conflictEvents == 3)
        #expect(stats.materialConflictEvents == 2)
        #expect(stats.mentions == 28)  // 5 + 3 + 10 + 10
        #expect(stats.goldsteinSum == -14)  // -10 - 2 + 3 - 5
        #expect(stats.toneSum == -7)  // -6 - 2 + 4 - 3
        #expect(stats.severity == 106)  // conflict rows: 5 × 10 + 3 × 2 + 10 × 5
        #expect(stats.topEvents.map(\.globalEventID) == [9, 10, 11])
        #expect(stats.topEvents.map(\.weight) == [50, 50, 6])
        #expect(stats.topEvents.first?.eventCode == "010")
        #expect(stats.topEvents.first?.actor1Name == "POLICE")
        #expect(stats.topEvents.first?.sourceURL == "https://example.org/a")

        let russia = try #require(windows["RS@2025-05-16T02:00:00.000Z"]).aggregate
        #expect(russia.events == 2)
        #expect(russia.conflictEvents == 0)
        #expect(russia.mentions == 2)
        #expect(russia.severity == 0)
        #expect(russia.topEvents.map(\.globalEventID) == [20, 21])
        #expect(russia.topEvents.map(\.weight) == [2, 0])

        let next = try #require(windows["UP@2025-05-16T02:15:00.000Z"]).aggregate
        #expect(next.events == 1)
        #expect(next.severity == 8)
        #expect(driver.rawRecords(GeoRiskTopology.deadLetterTopic).isEmpty)
    }

    @Test func aGDELTWindowClosesAtItsEndPlusGraceAndLaterRowsForItAreDropped() throws {
        let driver = try makeGeoRiskDriver()
        let input = driver.gdeltInput()
        try input.pipeInput("UP", gdeltJSON(id: 1, dateAdded: 2025_05_16_02_00_00, country: "UP"), timestamp: 0)
        try input.pipeInput("FR", gdeltJSON(id: 2, dateAdded: 2025_05_16_02_19_59, country: "FR"), timestamp: 0)
        // Out of order but within the grace (window end 02:15 + 5 min > stream time 02:19:59): counted.
        try input.pipeInput("UP", gdeltJSON(id: 3, dateAdded: 2025_05_16_02_14_00, country: "UP"), timestamp: 0)
        #expect(try driver.gdeltWindows().isEmpty)
        #expect(driver.lateDroppedCount == 0)
        // Stream time reaches 02:20 = end + grace: the window closes and is emitted once.
        try input.pipeInput("FR", gdeltJSON(id: 4, dateAdded: 2025_05_16_02_20_00, country: "FR"), timestamp: 0)
        let closed = try driver.gdeltWindows()
        #expect(closed.keys.sorted() == ["UP@2025-05-16T02:00:00.000Z"])
        #expect(closed["UP@2025-05-16T02:00:00.000Z"]?.aggregate.events == 2)
        // Late: its window has closed.
        try input.pipeInput("UP", gdeltJSON(id: 5, dateAdded: 2025_05_16_02_10_00, country: "UP"), timestamp: 0)
        #expect(driver.lateDroppedCount == 1)
        #expect(try driver.gdeltWindows().isEmpty, "a closed window is never emitted again")
    }

    @Test func withoutGraceAWindowClosesAtItsEnd() throws {
        let driver = try makeGeoRiskDriver(grace: .zero)
        let input = driver.gdeltInput()
        try input.pipeInput("UP", gdeltJSON(id: 1, dateAdded: 2025_05_16_02_14_59, country: "UP"), timestamp: 0)
        try input.pipeInput("UP", gdeltJSON(id: 2, dateAdded: 2025_05_16_02_15_00, country: "UP"), timestamp: 0)
        #expect(try driver.gdeltWindows().keys.sorted() == ["UP@2025-05-16T02:00:00.000Z"])
        try input.pipeInput("UP", gdeltJSON(id: 3, dateAdded: 2025_05_16_02_14_59, country: "UP"), timestamp: 0)
        #expect(driver.lateDroppedCount == 1)
    }

    @Test func onAnIdleInputTheWallClockClosesTheLastWindows() throws {
        let driver = try makeGeoRiskDriver(idleClose: .seconds(60))
        try driver.gdeltInput().pipeInput("UP", gdeltJSON(id: 1, dateAdded: 2025_05_16_02_00_00, country: "UP"), timestamp: 0)
        try driver.wikiInput().pipeInput(nil, wikiJSON(dt: "2025-05-16T02:01:00Z", title: "Ukraine"), timestamp: 0)
        // Both sides share one task (the join): the wiki row moved stream time without reaching the GDELT
        // suppression, which notices it at its next wall-clock check (every second in the runtime; the driver
        // fires once per advance), and counts idleness from then.
        try driver.advanceWallClockTime(by: .seconds(1))
        try driver.advanceWallClockTime(by: .seconds(10 * 60))
        #expect(try driver.gdeltWindows().isEmpty, "10 minutes after the last row, 02:10 < 02:20")
        try driver.advanceWallClockTime(by: .seconds(15 * 60))
        #expect(try driver.gdeltWindows().keys.sorted() == ["UP@2025-05-16T02:00:00.000Z"])
        #expect(try driver.wikiWindows().keys.sorted() == ["UP@2025-05-16T02:00:00.000Z"])
        #expect(try driver.signals().keys.sorted() == ["UP@2025-05-16T02:00:00.000Z"])
    }

    @Test func wikipediaEditsAreCountedForEveryCountryTheTitleNames() throws {
        let driver = try makeGeoRiskDriver()
        let input = driver.wikiInput()
        let edits = [
            wikiJSON(dt: "2026-02-26T15:46:00Z", title: "Ukraine", user: "Alice", old: 100, new: 150),
            wikiJSON(dt: "2026-02-26T15:47:00.250Z", title: "Russian invasion of Ukraine", user: "Bob", old: 200, new: 180),
            wikiJSON(dt: "2026-02-26T15:48:00+00:00", title: "Ukraine", user: "Alice", type: "new", old: nil, new: 300),
            wikiJSON(dt: "2026-02-26T15:59:59.999Z", title: "Zelensky in Ukraine", user: "198.51.100.7", old: 10, new: 15),
            // Not counted: a bot, a talk page, a log event, a canary event, a title naming no country.
            wikiJSON(dt: "2026-02-26T15:49:00Z", title: "Ukraine", user: "Bot", bot: true),
            wikiJSON(dt: "2026-02-26T15:49:00Z", title: "Talk:Ukraine", namespace: 1),
            wikiJSON(dt: "2026-02-26T15:49:00Z", title: "Ukraine", type: "log"),
            wikiJSON(dt: "2026-02-26T15:49:00Z", title: "Ukraine", domain: "canary"),
            wikiJSON(dt: "2026-02-26T15:49:00Z", title: "Woman in Romania and Oman", user: "Carol"),
            // The next window starts exactly at 16:00.
            wikiJSON(dt: "2026-02-26T16:00:00Z", title: "Ukraine", user: "Dave", old: 1, new: 2),
        ]
        for edit in edits { try input.pipeInput(nil, edit, timestamp: 0) }
        #expect(try driver.wikiWindows().isEmpty)
        try input.pipeInput(nil, wikiJSON(dt: "2026-02-26T16:30:00Z", title: "Germany"), timestamp: 0)

        let windows = try driver.wikiWindows()
        #expect(windows.keys.sorted() == [
            "MU@2026-02-26T15:45:00.000Z", "RO@2026-02-26T15:45:00.000Z", "RS@2026-02-26T15:45:00.000Z",
            "UP@2026-02-26T15:45:00.000Z", "UP@2026-02-26T16:00:00.000Z",
        ])
        let ukraine = try #require(windows["UP@2026-02-26T15:45:00.000Z"])
        #expect(ukraine.name == "Ukraine")
        #expect(ukraine.end == "2026-02-26T16:00:00.000Z")
        #expect(ukraine.aggregate == WikiWindowStats(
            edits: 4, editors: 3, bytesChanged: 375,  // 50 + 20 + 300 (new page) + 5
            topArticles: [
                ArticleEdits(title: "Ukraine", edits: 2), ArticleEdits(title: "Russian invasion of Ukraine", edits: 1),
                ArticleEdits(title: "Zelensky in Ukraine", edits: 1),
            ]))
        #expect(windows["RS@2026-02-26T15:45:00.000Z"]?.aggregate == WikiWindowStats(
            edits: 1, editors: 1, bytesChanged: 20, topArticles: [ArticleEdits(title: "Russian invasion of Ukraine", edits: 1)]))
        #expect(windows["MU@2026-02-26T15:45:00.000Z"]?.aggregate.edits == 1)
        #expect(windows["UP@2026-02-26T16:00:00.000Z"]?.aggregate == WikiWindowStats(
            edits: 1, editors: 1, bytesChanged: 1, topArticles: [ArticleEdits(title: "Ukraine", edits: 1)]))

        // Late: [15:45, 16:00) closed at 16:05.
        try input.pipeInput(nil, wikiJSON(dt: "2026-02-26T15:50:00Z", title: "Ukraine"), timestamp: 0)
        #expect(driver.lateDroppedCount == 1)
        #expect(try driver.wikiWindows().isEmpty)
        #expect(driver.rawRecords(GeoRiskTopology.deadLetterTopic).isEmpty)
    }

    @Test func userNamesDoNotReachTheRepartitionTopicOrTheStore() throws {
        let driver = try makeGeoRiskDriver()
        try driver.wikiInput().pipeInput(nil, wikiJSON(dt: "2026-02-26T15:46:00Z", title: "Ukraine", user: "198.51.100.7"), timestamp: 0)
        let repartitioned = driver.rawRecords("test-app-wiki-by-country-repartition")
        #expect(repartitioned.count == 1)
        let text = String(decoding: repartitioned.first?.value ?? [], as: UTF8.self)
        #expect(!text.contains("198.51.100.7"))
        #expect(text.contains(WikiCountryEdit.editorKey("198.51.100.7")))
        #expect(WikiCountryEdit.editorKey("198.51.100.7") != WikiCountryEdit.editorKey("198.51.100.8"))
        #expect(WikiCountryEdit.editorKey("").count == 16)
    }

    @Test func malformedInputGoesToTheDeadLetterTopicWithTheReason() throws {
        let driver = try makeGeoRiskDriver()
        let gdelt = driver.gdeltInput()
        try gdelt.pipeInput("UP", "not json", timestamp: 7)
        try gdelt.pipeInput("UP", #"{"DATEADDED":20250516020000,"ActionGeo_CountryCode":"UP"}"#, timestamp: 7)
        try gdelt.pipeInput("UP", gdeltJSON(id: 1, dateAdded: 2025_13_16_02_00_00, country: "UP"), timestamp: 7)
        try gdelt.pipeInput("UP", gdeltJSON(id: 2, dateAdded: 2025_05_16_02_00_00, country: "UP"), timestamp: 7)
        let wiki = driver.wikiInput()
        try wiki.pipeInput(nil, #"{"meta":{"dt":"2026-02-26T15:46:00Z"},"type":"edit"}"#, timestamp: 7)
        try wiki.pipeInput(nil, wikiJSON(dt: "yesterday", title: "Ukraine"), timestamp: 7)

        let dead = driver.rawRecords(GeoRiskTopology.deadLetterTopic)
        try #require(dead.count == 5)
        let messages = dead.map { $0.headers.last(named: DeadLetterHeaders.message)?.stringValue ?? "" }
        #expect(messages[0].contains("invalid JSON"))
        #expect(messages[1].contains("missing key 'GLOBALEVENTID'"))
        #expect(messages[2] == "no timestamp could be extracted")
        #expect(messages[3].contains("missing key 'namespace'"))
        #expect(messages[4] == "no timestamp could be extracted")
        #expect(dead.allSatisfy { $0.headers.last(named: DeadLetterHeaders.stage)?.stringValue == "deserialization" })
        #expect(dead.map { $0.headers.last(named: DeadLetterHeaders.topic)?.stringValue } == [
            GeoRiskTopology.gdeltTopic, GeoRiskTopology.gdeltTopic, GeoRiskTopology.gdeltTopic,
            GeoRiskTopology.wikiTopic, GeoRiskTopology.wikiTopic,
        ])
        #expect(dead[0].value == Array("not json".utf8), "the original bytes")
        #expect(driver.failedCount(.processing) == 0)
    }

    /// The gazetteer is a global table: an alias written to its topic counts from the next record on, a renamed
    /// country carries its new name, and a term given to two countries counts for neither.
    @Test func aliasesAddedToTheGazetteerTopicApplyWithoutARedeploy() throws {
        let driver = try makeGeoRiskDriver()
        let input = driver.wikiInput()
        let gazetteer = driver.gazetteerInput()
        try input.pipeInput(nil, wikiJSON(dt: "2026-02-26T15:46:00Z", title: "Kyiv Metro", user: "Alice"), timestamp: 0)
        try gazetteer.pipeInput(
            "UP", GazetteerEntry(name: "Ukraine (renamed)", terms: ["Ukraine", "Ukrainian", "Kyiv"]), timestamp: 0)
        try input.pipeInput(nil, wikiJSON(dt: "2026-02-26T15:47:00Z", title: "Kyiv Metro", user: "Bob"), timestamp: 0)
        // "Kyiv" now belongs to two codes: it counts for neither.
        try gazetteer.pipeInput("RS", GazetteerEntry(name: "Russia", terms: ["Russia", "Kyiv"]), timestamp: 0)
        try input.pipeInput(nil, wikiJSON(dt: "2026-02-26T15:48:00Z", title: "Kyiv Metro", user: "Carol"), timestamp: 0)
        try input.pipeInput(nil, wikiJSON(dt: "2026-02-26T15:49:00Z", title: "Russia", user: "Dave"), timestamp: 0)
        try input.pipeInput(nil, wikiJSON(dt: "2026-02-26T16:30:00Z", title: "Germany"), timestamp: 0)

        let windows = try driver.wikiWindows()
        #expect(windows.keys.sorted() == ["RS@2026-02-26T15:45:00.000Z", "UP@2026-02-26T15:45:00.000Z"])
        let ukraine = try #require(windows["UP@2026-02-26T15:45:00.000Z"])
        #expect(ukraine.name == "Ukraine (renamed)")
        #expect(ukraine.aggregate.edits == 1, "Bob's edit only: Alice's came before the alias, Carol's after the clash")
        #expect(windows["RS@2026-02-26T15:45:00.000Z"]?.aggregate.edits == 1, "Dave's edit of 'Russia'")
    }

    /// Node, store and internal topic names are part of the deployed state (changelogs, repartition topics):
    /// renaming one starts it empty.
    @Test func theTopologyDescribesItsNamedNodes() throws {
        #expect(try GeoRiskTopology.make().describe() == """
            Topologies:
               Sub-topology: 0
                Source: gdelt-source (topics: [gdelt.events])
                  --> gdelt-with-country
                Processor: gdelt-with-country (stores: [])
                  --> gdelt-by-country-key-select
                  <-- gdelt-source
                Processor: gdelt-by-country-key-select (stores: [])
                  --> gdelt-by-country-repartition-sink
                  <-- gdelt-with-country
                Sink: gdelt-by-country-repartition-sink (topic: gdelt-by-country-repartition)
                  <-- gdelt-by-country-key-select
               Sub-topology: 1
                Source: gdelt-by-country-repartition-source (topics: [gdelt-by-country-repartition])
                  --> gdelt-aggregate
                Processor: gdelt-aggregate (stores: [gdelt-by-country-15m])
                  --> gdelt-final, country-window-join-left
                  <-- gdelt-by-country-repartition-source
                Processor: gdelt-final (stores: [gdelt-final-store])
                  --> gdelt-final-windows
                  <-- gdelt-aggregate
                Processor: gdelt-final-windows (stores: [])
                  --> to-gdelt-country-window
                  <-- gdelt-final
                Processor: to-gdelt-country-window (stores: [])
                  --> gdelt-window-sink
                  <-- gdelt-final-windows
                Sink: gdelt-window-sink (topic: georisk.gdelt-by-country-15m)
                  <-- to-gdelt-country-window
                Source: wiki-by-country-repartition-source (topics: [wiki-by-country-repartition])
                  --> wiki-aggregate
                Processor: wiki-aggregate (stores: [wiki-by-country-15m])
                  --> wiki-final, country-window-join-right
                  <-- wiki-by-country-repartition-source
                Processor: wiki-final (stores: [wiki-final-store])
                  --> wiki-final-windows
                  <-- wiki-aggregate
                Processor: wiki-final-windows (stores: [])
                  --> to-wiki-country-window
                  <-- wiki-final
                Processor: to-wiki-country-window (stores: [])
                  --> wiki-window-sink
                  <-- wiki-final-windows
                Sink: wiki-window-sink (topic: georisk.wiki-by-country-15m)
                  <-- to-wiki-country-window
                Processor: country-window-join-left (stores: [country-window-joined-left-copy, country-window-joined-right-copy, country-window-joined])
                  --> country-window-join
                  <-- gdelt-aggregate
                Processor: country-window-join-right (stores: [country-window-joined-left-copy, country-window-joined-right-copy, country-window-joined])
                  --> country-window-join
                  <-- wiki-aggregate
                Processor: country-window-join (stores: [])
                  --> joined-final
                  <-- country-window-join-left, country-window-join-right
                Processor: joined-final (stores: [joined-final-store])
                  --> joined-final-windows
                  <-- country-window-join
                Processor: joined-final-windows (stores: [])
                  --> risk-signal
                  <-- joined-final
                Processor: risk-signal (stores: [country-edit-history, country-risk-latest, risk-by-window])
                  --> signals, alerts
                  <-- joined-final-windows
                Processor: signals (stores: [])
                  --> signals-sink
                  <-- risk-signal
                Sink: signals-sink (topic: risk.signals)
                  <-- signals
                Processor: alerts (stores: [])
                  --> alerts-sink
                  <-- risk-signal
                Sink: alerts-sink (topic: risk.alerts)
                  <-- alerts
               Sub-topology: 2
                Source: wiki-source (topics: [wikimedia.recentchange])
                  --> wiki-country-edits
                Processor: wiki-country-edits (stores: [])
                  --> wiki-by-country-key-select
                  <-- wiki-source
                Processor: wiki-by-country-key-select (stores: [])
                  --> wiki-by-country-repartition-sink
                  <-- wiki-country-edits
                Sink: wiki-by-country-repartition-sink (topic: wiki-by-country-repartition)
                  <-- wiki-by-country-key-select
               Sub-topology: 3 for global store (will not generate tasks)
                Source: gazetteer-source (topics: [georisk.gazetteer])
                  --> gazetteer
                Processor: gazetteer (stores: [gazetteer])
                  --> none
                  <-- gazetteer-source

            """)
    }

    @Test func dateAddedIsReadAsUTC() {
        #expect(GDELTRow.milliseconds(dateAdded: 1970_01_01_00_00_00) == 0)
        #expect(GDELTRow.milliseconds(dateAdded: 2025_05_16_02_15_00) == 1_747_361_700_000)
        #expect(GDELTRow.milliseconds(dateAdded: 2024_02_29_23_59_59) == 1_709_251_199_000)
        #expect(GDELTRow.milliseconds(dateAdded: 2025_02_29_00_00_00) == nil)
        #expect(GDELTRow.milliseconds(dateAdded: 2025_05_16_24_00_00) == nil)
        #expect(GDELTRow.milliseconds(dateAdded: 20250516) == nil)
    }
}
