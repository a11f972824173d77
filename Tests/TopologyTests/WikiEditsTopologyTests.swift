import Foundation
import Testing
import TributaryCore
import TributaryTesting
@testable import WikiEditsTopology

/// What WikiEdits must output for one recorded fixture (or a group of fixtures piped one after another).
///
/// Every number here comes from `scripts/derive-wikiedits-expectations.py`, an independent derivation in Python
/// (json, ipaddress, datetime; no shared code). Regenerate with, from the repository root:
///
///     python3 scripts/derive-wikiedits-expectations.py
struct FixtureExpectation: CustomTestStringConvertible, Sendable {
    var files: [String]
    var total: Int
    var kept: Int
    var dropped: [String: Int]
    var keptPerWiki: [String: Int]
    var keptIPUsers: Int
    var byteDeltaSum: Int64
    /// (wiki, meta.dt, epoch ms) of the first kept events, in file order.
    var firstKept: [(String, String, Int64)]
    /// (wiki, meta.dt, epoch ms) of the last kept event.
    var lastKept: (String, String, Int64)?
    /// (meta.id, meta.dt, epoch ms, byte delta) of the kept events by IP addresses.
    var ipKept: [(String, String, Int64, Int64)]
    /// The largest meta.dt over all events, kept or not: the task's stream time afterwards.
    var maxEventTimeMs: Int64

    var testDescription: String { files.count == 1 ? files[0] : "\(files.count) files" }
}

extension FixtureExpectation {
    static let multiwiki2026 = FixtureExpectation(
        files: ["recentchange-20260226T1549Z-multiwiki-wikistream-lakehouse.jsonl"],
        total: 50, kept: 10, dropped: ["bot": 2, "namespace": 8, "type": 30],
        keptPerWiki: [
            "bgwiki": 1, "commonswiki": 1, "dewiki": 1, "enwiki": 2, "eswiki": 1, "ukwiki": 1, "wikidatawiki": 3,
        ],
        keptIPUsers: 0, byteDeltaSum: 4_067,
        firstKept: [
            ("wikidatawiki", "2026-02-26T15:49:36.649Z", 1_772_120_976_649),
            ("dewiki", "2026-02-26T15:49:37.057Z", 1_772_120_977_057),
            ("wikidatawiki", "2026-02-26T15:49:37.294Z", 1_772_120_977_294),
        ],
        lastKept: ("enwiki", "2026-02-26T15:49:38.061Z", 1_772_120_978_061),
        ipKept: [], maxEventTimeMs: 1_772_120_978_084)

    static let reverts2018 = FixtureExpectation(
        files: ["recentchange-20180307T1659Z-wikidatawiki-editgroups-qs_batch_with_reverts.jsonl"],
        total: 1_789, kept: 219, dropped: ["bot": 1_560, "namespace": 5, "type": 5],
        keptPerWiki: ["wikidatawiki": 219],
        keptIPUsers: 4, byteDeltaSum: 63_004,
        firstKept: [
            ("wikidatawiki", "2018-03-07T16:59:17+00:00", 1_520_441_957_000),
            ("wikidatawiki", "2018-03-07T16:59:17+00:00", 1_520_441_957_000),
            ("wikidatawiki", "2018-03-07T16:59:17+00:00", 1_520_441_957_000),
        ],
        lastKept: ("wikidatawiki", "2018-03-07T17:01:30+00:00", 1_520_442_090_000),
        ipKept: [
            ("effa8d31-2228-11e8-aabd-b083fecf0f99", "2018-03-07T16:59:45+00:00", 1_520_441_985_000, 85),
            ("fb7b3c93-2228-11e8-b520-b083fecf0db3", "2018-03-07T17:00:04+00:00", 1_520_442_004_000, 434),
            ("0ba1690b-2229-11e8-878e-141877614a6f", "2018-03-07T17:00:31+00:00", 1_520_442_031_000, -85),
            ("0d79a811-2229-11e8-80f2-1866da99521a", "2018-03-07T17:00:34+00:00", 1_520_442_034_000, 85),
        ],
        maxEventTimeMs: 1_520_442_091_000)

    /// The eight editgroups edge-case files, piped in name order.
    static let editgroupsSmall = FixtureExpectation(
        files: [
            "deletion_edit", "deletion_restore", "eg_revert", "hijack", "new_deletion_restore_deletion",
            "new_items_deleted", "qs_batch_with_terms", "wrong_namespace",
        ].map { "editgroups-small/recentchange-editgroups-\($0).jsonl" },
        total: 16, kept: 5, dropped: ["bot": 3, "namespace": 1, "type": 7],
        keptPerWiki: ["wikidatawiki": 5],
        keptIPUsers: 0, byteDeltaSum: 1_127,
        firstKept: [
            ("wikidatawiki", "2018-03-11T00:08:41+00:00", 1_520_726_921_000),
            ("wikidatawiki", "2018-03-11T00:08:42+00:00", 1_520_726_922_000),
            ("wikidatawiki", "2018-03-11T00:08:44+00:00", 1_520_726_924_000),
        ],
        lastKept: ("wikidatawiki", "2018-03-06T16:41:09+00:00", 1_520_354_469_000),
        ipKept: [], maxEventTimeMs: 1_532_336_447_000)

    static let all = [multiwiki2026, reverts2018, editgroupsSmall]
}

/// The lines of a fixture file, without empty lines.
func fixtureLines(_ name: String) throws -> [[UInt8]] {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil), "fixture \(name)")
    let data = try Data(contentsOf: url)
    return data.split(separator: UInt8(ascii: "\n")).map { Array($0) }.filter { !$0.isEmpty }
}

/// Just the `wiki` field, to key input records the way the recorder does.
private struct WikiField: Decodable { var wiki: String }

/// A driver over the WikiEdits topology with its production error policies.
func makeWikiEditsDriver() throws -> TopologyTestDriver {
    try TopologyTestDriver(try WikiEditsTopology.make(), errorPolicies: WikiEditsTopology.errorPolicies)
}

@Suite struct WikiEditsTopologyTests {
    @Test(arguments: FixtureExpectation.all)
    func recordedEventsGiveTheDerivedOutput(expected: FixtureExpectation) throws {
        let driver = try makeWikiEditsDriver()
        let input = driver.createInputTopic(WikiEditsTopology.inputTopic, key: .bytes, value: .bytes)
        var piped = 0
        for file in expected.files {
            for line in try fixtureLines(file) {
                let wiki = try JSONDecoder().decode(WikiField.self, from: Data(line)).wiki
                // Record timestamp 0: the event time must come from meta.dt, not from the record.
                try input.pipeInput(Array(wiki.utf8), line, timestamp: 0)
                piped += 1
            }
        }
        #expect(piped == expected.total)

        let records = try driver.createOutputTopic(WikiEditsTopology.outputTopic, key: .string, value: .json(WikiEdit.self))
            .readRecords()
        #expect(records.count == expected.kept)
        #expect(driver.rawRecords(WikiEditsTopology.deadLetterTopic).isEmpty)
        #expect(driver.deadLetteredCount == 0)
        #expect(driver.failedCount(.deserialization) == 0)
        #expect(driver.failedCount(.processing) == 0)

        var perWiki: [String: Int] = [:]
        for record in records { perWiki[record.key, default: 0] += 1 }
        #expect(perWiki == expected.keptPerWiki)
        #expect(records.allSatisfy { $0.key == $0.value.wiki })
        #expect(records.allSatisfy { $0.value.type == "edit" || $0.value.type == "new" })

        // No IP address leaves the topology; exactly the derived number of users are pseudonymized.
        #expect(!records.contains { AnonymousUser.isIPAddress($0.value.user) })
        let anonymous = records.filter(\.value.anonymous)
        #expect(anonymous.count == expected.keptIPUsers)
        #expect(anonymous.allSatisfy { isPseudonym($0.value.user) })
        #expect(!records.contains { !$0.value.anonymous && isPseudonym($0.value.user) })
        #expect(anonymous.map { $0.value.id ?? "" } == expected.ipKept.map(\.0))
        #expect(anonymous.map(\.value.dt) == expected.ipKept.map(\.1))
        #expect(anonymous.map(\.timestamp) == expected.ipKept.map(\.2))
        #expect(anonymous.map(\.value.byteDelta) == expected.ipKept.map(\.3))

        // Event time is meta.dt.
        #expect(records.allSatisfy { $0.timestamp == ISO8601Timestamp.parse($0.value.dt) })
        let first = records.prefix(expected.firstKept.count).map { ($0.key, $0.value.dt, $0.timestamp) }
        #expect(first.map(\.0) == expected.firstKept.map(\.0))
        #expect(first.map(\.1) == expected.firstKept.map(\.1))
        #expect(first.map(\.2) == expected.firstKept.map(\.2))
        let last = try #require(records.last)
        #expect(last.key == expected.lastKept?.0)
        #expect(last.value.dt == expected.lastKept?.1)
        #expect(last.timestamp == expected.lastKept?.2)

        #expect(records.reduce(Int64(0)) { $0 + ($1.value.byteDelta ?? 0) } == expected.byteDeltaSum)
        #expect(driver.streamTimes[TaskID(subtopology: 0, partition: 0)] == expected.maxEventTimeMs)
    }

    @Test(arguments: FixtureExpectation.all)
    func theKeepRuleAgreesWithTheDerivedDropReasons(expected: FixtureExpectation) throws {
        var kept = 0
        var dropped: [String: Int] = [:]
        for file in expected.files {
            for line in try fixtureLines(file) {
                let change = try JSONDecoder().decode(RecentChange.self, from: Data(line))
                if WikiEditsTopology.isHumanArticleEdit(change) {
                    kept += 1
                } else {
                    // The same first-applicable-reason order as the Python script.
                    let reason = !["edit", "new"].contains(change.type) ? "type"
                        : change.namespace != 0 ? "namespace" : change.bot ? "bot" : "canary"
                    dropped[reason, default: 0] += 1
                }
            }
        }
        #expect(kept == expected.kept)
        #expect(dropped == expected.dropped)
    }

    @Test func malformedLinesGoToTheDeadLetterTopicAndValidOnesStillComeOut() throws {
        let lines = try fixtureLines(FixtureExpectation.multiwiki2026.files[0])
        let keptLines = try lines.filter { line in
            WikiEditsTopology.isHumanArticleEdit(try JSONDecoder().decode(RecentChange.self, from: Data(line)))
        }
        try #require(keptLines.count == 10)
        let zeroNamespace = Array(String(decoding: keptLines[3], as: UTF8.self)
            .replacingOccurrences(of: "\"namespace\": 0,", with: "\"namespace\": \"zero\",").utf8)
        try #require(zeroNamespace != keptLines[3])
        let oversized = Array("{\"pad\": \"\(String(repeating: "x", count: WikiEditsTopology.maxEventBytes))\"}".utf8)

        let bad: [(value: [UInt8], reason: String)] = [
            (Array(#"{"meta": "#.utf8), "invalid JSON"),
            (Array("not json".utf8), "invalid JSON"),
            (zeroNamespace, "type mismatch at 'namespace'"),
            (Array(#"{"meta": {"dt": "2026-02-26T15:49:36Z"}}"#.utf8), "missing key"),
            (oversized, "too large: \(oversized.count) bytes, limit \(WikiEditsTopology.maxEventBytes)"),
        ]
        let driver = try makeWikiEditsDriver()
        let input = driver.createInputTopic(WikiEditsTopology.inputTopic, key: .bytes, value: .bytes)
        var expectedOffsets: [Int64] = []
        var offset: Int64 = 0
        for (index, line) in keptLines.enumerated() {
            try input.pipeInput(Array("k\(index)".utf8), line, timestamp: 0)
            offset += 1
            if index < bad.count {
                try input.pipeInput(Array("bad\(index)".utf8), bad[index].value, timestamp: 42)
                expectedOffsets.append(offset)
                offset += 1
            }
        }

        let out = try driver.createOutputTopic(WikiEditsTopology.outputTopic, key: .string, value: .json(WikiEdit.self))
            .readRecords()
        #expect(out.count == keptLines.count)
        let dlq = driver.rawRecords(WikiEditsTopology.deadLetterTopic)
        try #require(dlq.count == bad.count)
        for (index, (record, bad)) in zip(dlq, bad).enumerated() {
            #expect(record.key == Array("bad\(index)".utf8))
            #expect(record.value == bad.value, "the original bytes, unchanged")
            #expect(record.timestamp == 42)
            let headers = Dictionary(record.headers.map { ($0.key, $0.stringValue ?? "") }, uniquingKeysWith: { $1 })
            #expect(headers[DeadLetterHeaders.stage] == "deserialization")
            #expect(headers[DeadLetterHeaders.node] == "recentchange-source")
            #expect(headers[DeadLetterHeaders.topic] == WikiEditsTopology.inputTopic)
            #expect(headers[DeadLetterHeaders.partition] == "0")
            #expect(headers[DeadLetterHeaders.offset] == String(expectedOffsets[index]))
            let message = headers[DeadLetterHeaders.message] ?? ""
            #expect(message.contains(bad.reason), "'\(message)' should mention '\(bad.reason)'")
        }
        #expect(driver.deadLetteredCount == bad.count)
        #expect(driver.failedCount(.deserialization) == bad.count)
    }

    @Test func anIPEditIsPseudonymizedWithTheGivenSecret() throws {
        let event = #"""
            {"meta": {"dt": "2018-03-07T16:59:45+00:00", "domain": "www.wikidata.org", "id": "e1"}, "type": "edit", \#
            "namespace": 0, "title": "Q1", "user": "2001:db8::1", "bot": false, "wiki": "wikidatawiki", \#
            "length": {"old": 10, "new": 4}, "revision": {"old": 1, "new": 2}, "server_url": "https://www.wikidata.org"}
            """#
        func run(_ secret: (UInt64, UInt64)) throws -> WikiEdit? {
            let driver = try TopologyTestDriver(try WikiEditsTopology.make(secret: secret), errorPolicies: WikiEditsTopology.errorPolicies)
            try driver.createInputTopic(WikiEditsTopology.inputTopic, key: .optional(.string), value: .string)
                .pipeInput(nil, event, timestamp: 0)
            return try driver.createOutputTopic(WikiEditsTopology.outputTopic, key: .string, value: .json(WikiEdit.self))
                .readValues().first
        }
        let edit = try #require(try run((0x5472_6962_7574_6172, 0x7957_696b_6945_6474)))
        #expect(edit == WikiEdit(
            id: "e1", wiki: "wikidatawiki", title: "Q1", user: "ip-15f12c2d73257938", anonymous: true, type: "edit",
            dt: "2018-03-07T16:59:45+00:00", byteDelta: -6, minor: false, revision: 2,
            serverURL: "https://www.wikidata.org"))
        #expect(try run((1, 2))?.user == "ip-69a0e3f136367cb5")
    }

    @Test func anUnparseableEventTimeGoesToTheDeadLetterTopic() throws {
        let lines = try fixtureLines(FixtureExpectation.multiwiki2026.files[0])
        let kept = try #require(try lines.first { line in
            WikiEditsTopology.isHumanArticleEdit(try JSONDecoder().decode(RecentChange.self, from: Data(line)))
        })
        let badTime = String(decoding: kept, as: UTF8.self)
            .replacingOccurrences(of: "\"dt\": \"2026-02-26T15:49:36.649Z\"", with: "\"dt\": \"yesterday\"")
        try #require(badTime != String(decoding: kept, as: UTF8.self))
        let driver = try makeWikiEditsDriver()
        try driver.createInputTopic(WikiEditsTopology.inputTopic, key: .optional(.string), value: .string)
            .pipeInput("wikidatawiki", badTime, timestamp: 1_234)
        let out = try driver.createOutputTopic(WikiEditsTopology.outputTopic, key: .string, value: .json(WikiEdit.self))
            .readRecords()
        #expect(out.isEmpty)
        let dead = driver.rawRecords(WikiEditsTopology.deadLetterTopic)
        #expect(dead.map(\.value) == [Array(badTime.utf8)])
        #expect(dead.first?.headers.last(named: DeadLetterHeaders.stage)?.stringValue == "deserialization")
        #expect(dead.first?.headers.last(named: DeadLetterHeaders.message)?.stringValue == "no timestamp could be extracted")
    }

    @Test func canaryEventsAreDropped() throws {
        let canary = #"""
            {"meta": {"dt": "2026-02-26T15:49:36Z", "domain": "canary"}, "type": "edit", "namespace": 0, \#
            "title": "T", "user": "U", "bot": false, "wiki": "enwiki"}
            """#
        let driver = try makeWikiEditsDriver()
        let input = driver.createInputTopic(WikiEditsTopology.inputTopic, key: .optional(.string), value: .string)
        try input.pipeInput("enwiki", canary, timestamp: 0)
        try input.pipeInput("enwiki", canary.replacingOccurrences(of: "\"canary\"", with: "\"en.wikipedia.org\""), timestamp: 0)
        let out = try driver.createOutputTopic(WikiEditsTopology.outputTopic, key: .string, value: .json(WikiEdit.self))
            .readRecords()
        #expect(out.count == 1)
        #expect(out.first?.value.user == "U")
        #expect(out.first?.value.byteDelta == nil)
        #expect(out.first?.timestamp == 1_772_120_976_000)
    }

    /// Expected values from `scripts/derive-wikiedits-expectations.py` (`final_minutes`, `late_kept`), which
    /// simulates the closing rule on the kept events in file order.
    @Test func perWikiMinutesAreEmittedOnceWhenTheyCloseAndIdleCloseEmitsTheRest() throws {
        let driver = try makeWikiEditsDriver()
        let input = driver.createInputTopic(WikiEditsTopology.inputTopic, key: .bytes, value: .bytes)
        let file = "recentchange-20180307T1659Z-wikidatawiki-editgroups-qs_batch_with_reverts.jsonl"
        for line in try fixtureLines(file) { try input.pipeInput(Array("wikidatawiki".utf8), line, timestamp: 0) }
        let minutes = driver.createOutputTopic(
            WikiEditsTopology.perMinuteTopic, key: .string, value: .optional(.json(WikiMinuteCount.self)))
        let closed = try minutes.readRecords().map { "\($0.key)@\($0.value!.startMs)=\($0.value!.edits)" }
        #expect(closed == ["wikidatawiki@1520441940000=74", "wikidatawiki@1520442000000=84"])
        let store = try driver.windowStore(WikiEditsTopology.perMinuteStore, key: .string, value: .int64)
        // The table holds the minutes still within retention (size + grace): the open ones hold the other edits.
        #expect(store.filter { $0.windowStart > 1_520_442_000_000 }.reduce(0) { $0 + $1.value } == 219 - 74 - 84)
        // No more input: the wall clock closes the minutes still open, once each.
        try driver.advanceWallClockTime(by: .seconds(200))
        let rest = try minutes.readRecords()
        #expect(rest.reduce(0) { $0 + $1.value!.edits } == 219 - 74 - 84)
        try driver.advanceWallClockTime(by: .seconds(200))
        #expect(try minutes.readRecords().isEmpty)
    }

    @Test func anEditForAMinuteThatClosedIsDroppedAsLate() throws {
        let driver = try makeWikiEditsDriver()
        let input = driver.createInputTopic(WikiEditsTopology.inputTopic, key: .bytes, value: .bytes)
        for file in FixtureExpectation.editgroupsSmall.files {
            for line in try fixtureLines(file) { try input.pipeInput(Array("wikidatawiki".utf8), line, timestamp: 0) }
        }
        #expect(driver.lateDroppedCount == 1)  // late_kept of the combined editgroups-small files
    }

    @Test func theTopologyDescribesItsNamedNodes() throws {
        #expect(try WikiEditsTopology.make(perMinuteCounts: false).describe() == """
            Topologies:
               Sub-topology: 0
                Source: recentchange-source (topics: [wikimedia.recentchange])
                  --> human-article-edits
                Processor: human-article-edits (stores: [])
                  --> to-wiki-edit
                  <-- recentchange-source
                Processor: to-wiki-edit (stores: [])
                  --> edits-sink
                  <-- human-article-edits
                Sink: edits-sink (topic: wikimedia.edits)
                  <-- to-wiki-edit

            """)
    }
}

/// `ip-` and 16 lowercase hex digits.
func isPseudonym(_ user: String) -> Bool {
    user.count == 19 && user.hasPrefix("ip-") && user.dropFirst(3).allSatisfy { "0123456789abcdef".contains($0) }
}
