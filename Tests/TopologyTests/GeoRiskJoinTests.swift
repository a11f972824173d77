import Foundation
import GeoRiskTopology
import Testing
import TributaryCore
import TributaryTesting

/// 2025-05-16T02:00:00Z, the start of the first window in these tests.
private let t0: Int64 = 1_747_360_800_000
/// One window, 15 minutes.
private let w: Int64 = 900_000

/// `yyyyMMddHHmmss` of 2025-05-16 at `hour`:`minute`.
private func dateAdded(_ hour: Int64, _ minute: Int64) -> Int64 { 2025_05_16_00_00_00 + hour * 10_000 + minute * 100 }
/// ISO-8601 of 2025-05-16 at `hour`:`minute`.
private func dt(_ hour: Int, _ minute: Int) -> String {
    "2025-05-16T" + String(format: "%02d:%02d:00Z", hour, minute)
}

private func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 1e-9 }

extension TopologyTestDriver {
    /// The signals written so far, in order, as "country@start".
    func signalRecords() throws -> [TestRecord<String, CountrySignal>] {
        let records = try createOutputTopic(
            GeoRiskTopology.signalsTopic, key: .string, value: .json(CountrySignal.self)
        ).readRecords()
        #expect(records.allSatisfy { $0.key == $0.value.country })
        return records
    }
    /// The signals written so far by "country@start"; a (country, window) written twice is an issue.
    func signals() throws -> [String: CountrySignal] {
        Dictionary(try signalRecords().map { ("\($0.key)@\($0.value.start)", $0.value) }, uniquingKeysWith: { first, _ in
            Issue.record("a (country, window) was signalled twice")
            return first
        })
    }
    func alerts() throws -> [CountryAlert] {
        let records = try createOutputTopic(
            GeoRiskTopology.alertsTopic, key: .string, value: .json(CountryAlert.self)
        ).readRecords()
        #expect(records.allSatisfy { $0.key == $0.value.country })
        return records.map(\.value)
    }
}

@Suite struct GeoRiskJoinTests {
    @Test func gdeltOnlyWikipediaOnlyAndBothGiveExactlyOneSignalEach() throws {
        let driver = try makeGeoRiskDriver()
        let gdelt = driver.gdeltInput()
        let wiki = driver.wikiInput()
        // UP: GDELT only. Severity 5 × 10 = 50, tone -6.
        try gdelt.pipeInput("UP", gdeltJSON(id: 1, dateAdded: dateAdded(2, 0), country: "UP", quadClass: 4, goldstein: -10, mentions: 5, tone: -6), timestamp: 0)
        // FR: Wikipedia only, 3 edits by 2 editors.
        try wiki.pipeInput(nil, wikiJSON(dt: dt(2, 1), title: "France", user: "A", old: 100, new: 130), timestamp: 0)
        try wiki.pipeInput(nil, wikiJSON(dt: dt(2, 2), title: "French Alps", user: "B", old: 50, new: 40), timestamp: 0)
        try wiki.pipeInput(nil, wikiJSON(dt: dt(2, 3), title: "France", user: "A", old: 130, new: 131), timestamp: 0)
        // RS: both. Severity 3 × 2 = 6, tone -2; one edit.
        try gdelt.pipeInput("RS", gdeltJSON(id: 2, dateAdded: dateAdded(2, 5), country: "RS", quadClass: 3, goldstein: -2, mentions: 3, tone: -2), timestamp: 0)
        try wiki.pipeInput(nil, wikiJSON(dt: dt(2, 6), title: "Russia", user: "C"), timestamp: 0)
        // Updates of the join before the window closes produce nothing yet.
        try gdelt.pipeInput("RS", gdeltJSON(id: 3, dateAdded: dateAdded(2, 19), country: "US"), timestamp: 0)
        #expect(try driver.signalRecords().isEmpty)
        // Stream time 02:20 = end + grace of [02:00, 02:15): one signal per country, whichever side closes it.
        try wiki.pipeInput(nil, wikiJSON(dt: dt(2, 20), title: "Brazil"), timestamp: 0)
        let signals = try driver.signals()
        #expect(signals.keys.sorted() == [
            "FR@2025-05-16T02:00:00.000Z", "RS@2025-05-16T02:00:00.000Z", "UP@2025-05-16T02:00:00.000Z",
        ])

        let ukraine = try #require(signals["UP@2025-05-16T02:00:00.000Z"])
        #expect(ukraine.name == "Ukraine")
        #expect(ukraine.end == "2025-05-16T02:15:00.000Z")
        #expect(ukraine.startMs == t0 && ukraine.endMs == t0 + w)
        #expect(ukraine.gdelt?.events == 1 && ukraine.gdelt?.severity == 50)
        #expect(ukraine.wiki == nil)
        #expect(ukraine.toneMean == -6)
        #expect(ukraine.previousEdits == [0, 0, 0, 0] && ukraine.baseline == 0 && ukraine.surge == 1)
        // log2(1 + 50) × (1 + 6 / 10) + 2 × log2(1)
        #expect(close(ukraine.risk, log2(51) * 1.6))
        #expect(ukraine.explanation.topEvents.map(\.globalEventID) == [1])
        #expect(ukraine.explanation.topArticles.isEmpty)
        #expect(close(ukraine.explanation.gdeltTerm, log2(51) * 1.6) && ukraine.explanation.attentionTerm == 0)
        #expect(ukraine.explanation.reason.hasPrefix("GDELT: severity 50.0 over 1 conflict events of 1, mean tone -6.0"))

        let france = try #require(signals["FR@2025-05-16T02:00:00.000Z"])
        #expect(france.name == "France")
        #expect(france.gdelt == nil)
        #expect(france.wiki?.edits == 3 && france.wiki?.editors == 2 && france.wiki?.bytesChanged == 41)
        #expect(france.toneMean == 0 && france.baseline == 0)
        #expect(france.surge == 4)  // (3 + 1) / (0 + 1)
        #expect(close(france.risk, 4))  // 2 × log2(4)
        #expect(france.explanation.topArticles == [ArticleEdits(title: "France", edits: 2), ArticleEdits(title: "French Alps", edits: 1)])
        #expect(france.explanation.topEvents.isEmpty)

        let russia = try #require(signals["RS@2025-05-16T02:00:00.000Z"])
        #expect(russia.gdelt?.severity == 6 && russia.wiki?.edits == 1)
        #expect(russia.toneMean == -2 && russia.surge == 2)
        #expect(close(russia.risk, log2(7) * 1.2 + 2))  // 3.37 + 2 = 5.37

        // Alerts: UP (9.08) and RS (5.37) are >= 5 without a previous signal; FR (4) is not.
        let alerts = try driver.alerts()
        #expect(alerts.map(\.country).sorted() == ["RS", "UP"])
        let alert = try #require(alerts.first { $0.country == "UP" })
        #expect(alert.previousRisk == 0 && close(alert.risk, ukraine.risk))
        #expect(alert.reason == "risk 9.08 >= 5.0, no signal in the previous window")
        #expect(alert.start == "2025-05-16T02:00:00.000Z" && alert.name == "Ukraine")

        // The raw value is the documented JSON.
        let raw = try #require(driver.rawRecords(GeoRiskTopology.signalsTopic).first { $0.key == Array("UP".utf8) })
        let json = String(decoding: try #require(raw.value), as: UTF8.self)
        for field in ["\"country\":\"UP\"", "\"name\":\"Ukraine\"", "\"start\":\"2025-05-16T02:00:00.000Z\"",
            "\"baseline\":0,", "\"previousEdits\":[0,0,0,0],", "\"surge\":1,", "\"toneMean\":-6}",
            "\"explanation\":{\"attentionTerm\":0,\"gdeltTerm\":",
        ] {
            #expect(json.contains(field), "\(field) in \(json)")
        }
        #expect(!json.contains("\"wiki\""), "an absent side is left out (keys sorted, nil omitted)")
    }

    @Test func theBaselineAveragesTheFourPreviousWindowsCountingMissingOnesAsZero() throws {
        let driver = try makeGeoRiskDriver()
        let wiki = driver.wikiInput()
        // FR edits per window from 02:00: 4, none, 2, none, 8, 30.
        func edits(_ count: Int, at hour: Int, _ minute: Int) throws {
            for i in 0..<count { try wiki.pipeInput(nil, wikiJSON(dt: dt(hour, minute), title: "France", user: "u\(i)"), timestamp: 0) }
        }
        try edits(4, at: 2, 1)
        try edits(2, at: 2, 31)
        try edits(8, at: 3, 1)
        try edits(30, at: 3, 16)
        try wiki.pipeInput(nil, wikiJSON(dt: dt(5, 0), title: "Brazil"), timestamp: 0)  // closes everything before 04:40
        let france = try driver.signalRecords().filter { $0.key == "FR" }.map(\.value)
        #expect(france.map(\.start) == [
            "2025-05-16T02:00:00.000Z", "2025-05-16T02:30:00.000Z", "2025-05-16T03:00:00.000Z", "2025-05-16T03:15:00.000Z",
        ], "one signal per window with edits, in window order; none for the windows without any")
        #expect(france.map(\.previousEdits) == [[0, 0, 0, 0], [0, 0, 4, 0], [4, 0, 2, 0], [0, 2, 0, 8]])
        #expect(france.map(\.baseline) == [0, 1, 1.5, 2.5])
        let expectedSurges: [Double] = [5, 1.5, 9.0 / 2.5, 31.0 / 3.5]  // (edits + 1) / (baseline + 1)
        #expect(france.map(\.surge) == expectedSurges)
        let expectedRisks: [Double] = expectedSurges.map { 2 * log2($0) }
        #expect(zip(france.map(\.risk), expectedRisks).allSatisfy { close($0, $1) })
        // 02:00 scores 4.64 < 5 and 03:15 scores 6.29 >= 5 but < 3 × 3.70: no alert.
        #expect(try driver.alerts().isEmpty)
        // The history keeps the windows within 4 window lengths of the newest (03:15): 02:30, 03:00, 03:15.
        let history = try driver.keyValueStore(GeoRiskTopology.historyStore, key: .string, value: .json(CountryHistory.self))
        let kept = try #require(history.first { $0.key == "FR" }?.value.windows)
        #expect(kept.map(\.startMs) == [t0 + 2 * w, t0 + 4 * w, t0 + 5 * w])
        #expect(kept.map(\.edits) == [2, 8, 30])
    }

    @Test func anAlertNeedsRiskAtLeast5AndThreeTimesThePreviousWindows() throws {
        let driver = try makeGeoRiskDriver()
        let gdelt = driver.gdeltInput()
        // UP 02:00: severity 1 (1 mention of a Goldstein -1 conflict), tone 0: risk log2(2) = 1.
        try gdelt.pipeInput("UP", gdeltJSON(id: 1, dateAdded: dateAdded(2, 0), country: "UP", quadClass: 3, goldstein: -1, mentions: 1, tone: 0), timestamp: 0)
        // UP 02:15: severity 50, tone -6: risk 9.08 >= 5 and >= 3 × 1: alert.
        try gdelt.pipeInput("UP", gdeltJSON(id: 2, dateAdded: dateAdded(2, 15), country: "UP", quadClass: 4, goldstein: -10, mentions: 5, tone: -6), timestamp: 0)
        // UP 02:30: the same again: 9.08 >= 5 but < 3 × 9.08: no alert.
        try gdelt.pipeInput("UP", gdeltJSON(id: 3, dateAdded: dateAdded(2, 30), country: "UP", quadClass: 4, goldstein: -10, mentions: 5, tone: -6), timestamp: 0)
        // UP 03:00, after a window without UP: 9.08 against no signal (0): alert.
        try gdelt.pipeInput("UP", gdeltJSON(id: 4, dateAdded: dateAdded(3, 0), country: "UP", quadClass: 4, goldstein: -10, mentions: 5, tone: -6), timestamp: 0)
        try gdelt.pipeInput("US", gdeltJSON(id: 5, dateAdded: dateAdded(4, 0), country: "US"), timestamp: 0)
        let risks = try driver.signalRecords().filter { $0.key == "UP" }.map(\.value.risk)
        let high = log2(51) * 1.6
        #expect(risks.count == 4)
        #expect(zip(risks, [1, high, high, high]).allSatisfy { close($0, $1) })
        let alerts = try driver.alerts()
        #expect(alerts.map(\.start) == ["2025-05-16T02:15:00.000Z", "2025-05-16T03:00:00.000Z"])
        #expect(alerts.map(\.previousRisk) == [1, 0])
        #expect(alerts.first?.reason == "risk 9.08 >= 5.0, 9.08× the previous window's 1.0")
        #expect(alerts.last?.reason == "risk 9.08 >= 5.0, no signal in the previous window")
        #expect(alerts.first?.explanation.hasPrefix("GDELT: severity 50.0") == true)
    }

    @Test func theTablesHoldTheLatestSignalPerCountryAndEverySignalByWindow() throws {
        let driver = try makeGeoRiskDriver()
        let gdelt = driver.gdeltInput()
        let wiki = driver.wikiInput()
        try gdelt.pipeInput("UP", gdeltJSON(id: 1, dateAdded: dateAdded(2, 0), country: "UP", quadClass: 4, goldstein: -10, mentions: 5, tone: -6), timestamp: 0)
        try wiki.pipeInput(nil, wikiJSON(dt: dt(2, 1), title: "France"), timestamp: 0)
        try gdelt.pipeInput("UP", gdeltJSON(id: 2, dateAdded: dateAdded(2, 15), country: "UP", quadClass: 3, goldstein: -1, mentions: 1), timestamp: 0)
        try wiki.pipeInput(nil, wikiJSON(dt: dt(2, 16), title: "Ukraine"), timestamp: 0)
        try gdelt.pipeInput("US", gdeltJSON(id: 3, dateAdded: dateAdded(2, 35), country: "US"), timestamp: 0)  // closes 02:15
        let emitted = try driver.signalRecords().map(\.value)
        #expect(emitted.map { "\($0.country)@\($0.startMs - t0)" }.sorted() == ["FR@0", "UP@0", "UP@900000"])

        let latest = try driver.keyValueStore(GeoRiskTopology.latestStore, key: .string, value: .json(CountrySignal.self))
        #expect(latest.map(\.key).sorted() == ["FR", "UP"])
        let latestUkraine = try #require(latest.first { $0.key == "UP" }?.value)
        #expect(latestUkraine.startMs == t0 + w)
        #expect(latestUkraine == emitted.first { $0.country == "UP" && $0.startMs == t0 + w })
        // 02:15: severity 1, previous edits [0, 0, 0, 0], 1 edit: log2(2) × 1 + 2 × log2(2) = 3.
        #expect(close(latestUkraine.risk, 3))

        let byWindow = try driver.windowStore(GeoRiskTopology.byWindowStore, key: .string, value: .json(CountrySignal.self))
        #expect(byWindow.map { "\($0.key)@\($0.windowStart - t0)" }.sorted() == ["FR@0", "UP@0", "UP@900000"])
        for entry in byWindow {
            #expect(entry.value == emitted.first { $0.country == entry.key && $0.startMs == entry.windowStart })
        }

        let history = try driver.keyValueStore(GeoRiskTopology.historyStore, key: .string, value: .json(CountryHistory.self))
        let ukraineHistory = try #require(history.first { $0.key == "UP" }?.value)
        #expect(ukraineHistory.windows.map(\.startMs) == [t0, t0 + w])
        #expect(ukraineHistory.windows.map(\.edits) == [0, 1])

        // All three stores are changelogged.
        for store in [GeoRiskTopology.latestStore, GeoRiskTopology.byWindowStore, GeoRiskTopology.historyStore] {
            let changelog = try #require(driver.producedTopicNames.first { $0.hasSuffix("-\(store)-changelog") })
            #expect(!driver.rawRecords(changelog).isEmpty)
        }
    }

    @Test func lateRecordsDoNotProduceASecondSignal() throws {
        let driver = try makeGeoRiskDriver()
        let gdelt = driver.gdeltInput()
        let wiki = driver.wikiInput()
        try gdelt.pipeInput("UP", gdeltJSON(id: 1, dateAdded: dateAdded(2, 0), country: "UP"), timestamp: 0)
        try wiki.pipeInput(nil, wikiJSON(dt: dt(2, 19), title: "Brazil"), timestamp: 0)
        // Within the grace (stream time 02:19 < 02:15 + 5 min): counted in the one signal.
        try gdelt.pipeInput("UP", gdeltJSON(id: 2, dateAdded: dateAdded(2, 14), country: "UP"), timestamp: 0)
        try wiki.pipeInput(nil, wikiJSON(dt: dt(2, 14), title: "Ukraine"), timestamp: 0)
        try gdelt.pipeInput("US", gdeltJSON(id: 3, dateAdded: dateAdded(2, 20), country: "US"), timestamp: 0)
        let first = try driver.signals()
        #expect(first.keys.sorted() == ["UP@2025-05-16T02:00:00.000Z"])
        #expect(first["UP@2025-05-16T02:00:00.000Z"]?.gdelt?.events == 2)
        #expect(first["UP@2025-05-16T02:00:00.000Z"]?.wiki?.edits == 1)
        // Late on both sides for the closed window: dropped, and the window is not signalled again.
        try gdelt.pipeInput("UP", gdeltJSON(id: 4, dateAdded: dateAdded(2, 5), country: "UP", quadClass: 4, goldstein: -10, mentions: 100), timestamp: 0)
        try wiki.pipeInput(nil, wikiJSON(dt: dt(2, 5), title: "Ukraine"), timestamp: 0)
        try wiki.pipeInput(nil, wikiJSON(dt: dt(2, 6), title: "France"), timestamp: 0)
        #expect(driver.lateDroppedCount == 3)
        try gdelt.pipeInput("US", gdeltJSON(id: 5, dateAdded: dateAdded(3, 0), country: "US"), timestamp: 0)
        try driver.advanceWallClockTime(by: .seconds(3600))
        let later = try driver.signals()
        #expect(later.keys.sorted() == ["BR@2025-05-16T02:15:00.000Z", "US@2025-05-16T02:15:00.000Z", "US@2025-05-16T03:00:00.000Z"])
        let table = try driver.windowStore(GeoRiskTopology.byWindowStore, key: .string, value: .json(CountrySignal.self))
        #expect(table.filter { $0.key == "UP" }.map(\.value.gdelt?.events) == [2])
    }

    /// Both sources share one task and one stream time (the join): a GDELT row more than window + grace behind the
    /// Wikipedia edits already processed is late, although no GDELT row was newer.
    @Test func lateRecordsBehindTheOtherSourceAreDropped() throws {
        let driver = try makeGeoRiskDriver()
        try driver.wikiInput().pipeInput(nil, wikiJSON(dt: dt(2, 20), title: "France"), timestamp: 0)
        try driver.gdeltInput().pipeInput("UP", gdeltJSON(id: 1, dateAdded: dateAdded(2, 14), country: "UP"), timestamp: 0)
        #expect(driver.lateDroppedCount == 1)
        try driver.gdeltInput().pipeInput("UP", gdeltJSON(id: 2, dateAdded: dateAdded(2, 15), country: "UP"), timestamp: 0)
        try driver.wikiInput().pipeInput(nil, wikiJSON(dt: dt(3, 0), title: "Brazil"), timestamp: 0)
        #expect(try driver.signals().keys.sorted() == ["FR@2025-05-16T02:15:00.000Z", "UP@2025-05-16T02:15:00.000Z"])
    }
}
