import Foundation
import GeoRiskTopology
import Testing
import TributaryCore
import TributaryTesting

/// The recorded GDELT export files under `folder` (recursively: `*.export.CSV` and the 2025 mirror's
/// `*.export.with-header.CSV`), sorted by slot, as (slot, rows without any header line, each row's 61 fields).
func recordedGDELTExports(under folder: URL) throws -> [(slot: String, rows: [[Substring]])] {
    let files = try #require(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil))
        .compactMap { $0 as? URL }
        .filter { $0.lastPathComponent.hasSuffix(".export.CSV") || $0.lastPathComponent.hasSuffix(".export.with-header.CSV") }
    return try files.map { file in
        let text = try String(contentsOf: file, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        if file.lastPathComponent.hasSuffix(".with-header.CSV") { lines.removeFirst() }  // the added comma-separated header
        let rows = lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false) }
        return (String(file.lastPathComponent.prefix(14)), rows)
    }
    .sorted { $0.slot < $1.slot }
}

/// GDELT's 61 column names in file order (`lookups/GDELT_2.0_Events_Column_Labels_Header_Row_Sep2016.csv`).
let gdeltColumnNames = """
    GLOBALEVENTID SQLDATE MonthYear Year FractionDate Actor1Code Actor1Name Actor1CountryCode Actor1KnownGroupCode \
    Actor1EthnicCode Actor1Religion1Code Actor1Religion2Code Actor1Type1Code Actor1Type2Code Actor1Type3Code Actor2Code \
    Actor2Name Actor2CountryCode Actor2KnownGroupCode Actor2EthnicCode Actor2Religion1Code Actor2Religion2Code \
    Actor2Type1Code Actor2Type2Code Actor2Type3Code IsRootEvent EventCode EventBaseCode EventRootCode QuadClass \
    GoldsteinScale NumMentions NumSources NumArticles AvgTone Actor1Geo_Type Actor1Geo_FullName Actor1Geo_CountryCode \
    Actor1Geo_ADM1Code Actor1Geo_ADM2Code Actor1Geo_Lat Actor1Geo_Long Actor1Geo_FeatureID Actor2Geo_Type \
    Actor2Geo_FullName Actor2Geo_CountryCode Actor2Geo_ADM1Code Actor2Geo_ADM2Code Actor2Geo_Lat Actor2Geo_Long \
    Actor2Geo_FeatureID ActionGeo_Type ActionGeo_FullName ActionGeo_CountryCode ActionGeo_ADM1Code ActionGeo_ADM2Code \
    ActionGeo_Lat ActionGeo_Long ActionGeo_FeatureID DATEADDED SOURCEURL
    """.split(separator: " ").map(String.init)

/// Column indexes the GDELT connector writes as integers and as doubles; the rest are strings.
let gdeltIntegerColumns: Set<Int> = [0, 1, 2, 3, 25, 29, 31, 32, 33, 35, 43, 51, 59]
let gdeltDoubleColumns: Set<Int> = [4, 30, 34, 40, 41, 48, 49, 56, 57]

/// One TSV row as the JSON record value the GDELT connector produces: the 61 column names as keys, `null` for
/// empty fields, numbers for numeric columns. Written here, not with the connector's code.
func connectorJSON(_ fields: [Substring]) throws -> String {
    try #require(fields.count == 61)
    var out = "{"
    for (index, field) in fields.enumerated() {
        if index > 0 { out += "," }
        out += "\"\(gdeltColumnNames[index])\":"
        if field.isEmpty {
            out += "null"
        } else if gdeltIntegerColumns.contains(index) {
            out += String(try #require(Int64(field), "\(gdeltColumnNames[index]) = \(field)"))
        } else if gdeltDoubleColumns.contains(index) {
            out += String(try #require(Double(field), "\(gdeltColumnNames[index]) = \(field)"))
        } else {
            out += "\""
            for scalar in field.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
            out += "\""
        }
    }
    return out + "}"
}

/// What one (country, window) must hold, computed straight from the TSV columns: column 54
/// ActionGeo_CountryCode, 60 DATEADDED (the window start is its minute rounded down to 0, 15, 30 or 45, as text),
/// 30 QuadClass, 31 GoldsteinScale (in tenths, exactly: GDELT prints one decimal), 32 NumMentions.
struct ExpectedGDELTWindow: Equatable {
    var events = 0
    var conflictEvents = 0
    var mentions = 0
    var severityTenths = 0
}

func expectedGDELTWindows(_ exports: [(slot: String, rows: [[Substring]])]) throws -> [String: ExpectedGDELTWindow] {
    var expected: [String: ExpectedGDELTWindow] = [:]
    for (_, rows) in exports {
        for fields in rows {
            let country = fields[53]
            guard !country.isEmpty else { continue }
            let added = Array(fields[59])
            try #require(added.count == 14)
            let minute = Int(String(added[10..<12]))! / 15 * 15
            let start = "\(String(added[0..<4]))-\(String(added[4..<6]))-\(String(added[6..<8]))T\(String(added[8..<10])):"
                + (minute < 10 ? "0\(minute)" : "\(minute)") + ":00.000Z"
            let mentions = Int(fields[31]) ?? 0
            let goldstein = fields[30].split(separator: ".", omittingEmptySubsequences: false)
            let whole = Int(goldstein[0].replacingOccurrences(of: "-", with: "")) ?? 0
            let tenth = goldstein.count > 1 ? Int(goldstein[1]) ?? 0 : 0
            try #require(goldstein.count == 1 || goldstein[1].count == 1, "one decimal: \(fields[30])")
            let goldsteinTenths = (whole * 10 + tenth) * (fields[30].hasPrefix("-") ? -1 : 1)
            var window = expected["\(country)@\(start)", default: ExpectedGDELTWindow()]
            window.events += 1
            window.mentions += mentions
            if fields[29] == "3" || fields[29] == "4" {
                window.conflictEvents += 1
                window.severityTenths += mentions * max(0, -goldsteinTenths)
            }
            expected["\(country)@\(start)"] = window
        }
    }
    return expected
}

/// Pipes every row of `exports` (in slot order) into GeoRisk as connector records, closes the last windows with
/// the wall clock, and compares the emitted GDELT windows with the ones derived from the TSV columns.
@discardableResult
func checkRecordedGDELT(_ exports: [(slot: String, rows: [[Substring]])], rows: Int, windows: Int) throws
    -> [String: CountryWindow<GDELTWindowStats>]
{
    let rowCount = exports.reduce(0) { $0 + $1.rows.count }
    #expect(rowCount == rows)
    let expected = try expectedGDELTWindows(exports)
    #expect(expected.count == windows)

    let driver = try makeGeoRiskDriver(idleClose: .seconds(60))
    let input = driver.createInputTopic(GeoRiskTopology.gdeltTopic, key: .optional(.string), value: .string)
    for (_, rows) in exports {
        for fields in rows {
            // As the connector: key ActionGeo_CountryCode (null when empty), record timestamp DATEADDED.
            try input.pipeInput(fields[53].isEmpty ? nil : String(fields[53]), try connectorJSON(fields), timestamp: 0)
        }
    }
    try driver.advanceWallClockTime(by: .seconds(3_600))
    let emitted = try driver.gdeltWindows()
    #expect(driver.rawRecords(GeoRiskTopology.deadLetterTopic).isEmpty)
    #expect(driver.lateDroppedCount == 0)
    #expect(emitted.count == expected.count)
    #expect(Set(emitted.keys) == Set(expected.keys))
    var mismatches: [String] = []
    for (key, want) in expected.sorted(by: { $0.key < $1.key }) {
        guard let got = emitted[key]?.aggregate else { continue }
        let severityMatches = abs(got.severity * 10 - Double(want.severityTenths)) <= 1e-6 * max(1, Double(want.severityTenths))
        if got.events != Int64(want.events) || got.conflictEvents != Int64(want.conflictEvents)
            || got.mentions != Int64(want.mentions) || !severityMatches
        {
            mismatches.append("\(key): got \(got.events)/\(got.conflictEvents)/\(got.mentions)/\(got.severity), want \(want)")
        }
    }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    // The signals: exactly one per (country, window), carrying the same GDELT aggregate and no Wikipedia side.
    let signals = try driver.signals()
    #expect(Set(signals.keys) == Set(expected.keys))
    let differing = signals.filter { key, signal in emitted[key].map { $0.aggregate != signal.gdelt } ?? true }
    #expect(differing.isEmpty, "\(differing.keys.sorted().prefix(10))")
    #expect(signals.values.allSatisfy { $0.wiki == nil })
    let totalEvents = emitted.values.reduce(Int64(0)) { $0 + $1.aggregate.events }
    #expect(totalEvents == Int64(expected.values.reduce(0) { $0 + $1.events }))
    return emitted
}

/// The five bundled-file windows with the highest severity, from `scripts/derive-georisk-gdelt-expectations.py`
/// (Python, exact decimals): key, events, conflictEvents, materialConflictEvents, mentions, severity, top events.
let bundledTopSeverityWindows: [(String, Int64, Int64, Int64, Int64, Double, [Int64])] = [
    ("US@2015-10-27T22:00:00.000Z", 787, 224, 104, 4935, 7970.6, [479493072, 479493325, 479492491]),
    ("US@2019-10-24T14:30:00.000Z", 705, 243, 143, 2903, 5667.4, [881990865, 881991368, 881991687]),
    ("US@2019-01-21T22:00:00.000Z", 533, 142, 105, 2003, 3968.9, [817930942, 817931723, 817930374]),
    ("CA@2015-10-27T22:00:00.000Z", 106, 35, 20, 629, 1313.0, [479491359, 479492501, 479491883]),
    ("SY@2019-01-21T22:00:00.000Z", 37, 31, 23, 170, 1130.3, [817931386, 817931069, 817931065]),
]

@Suite struct GeoRiskRecordedGDELTTests {
    static let sharedGDELT = repositoryRoot().appendingPathComponent("../shared/data/gdelt").standardizedFileURL

    /// The project's bundled copies (`data/gdelt`, three isolated slots), present in every clone.
    @Test func theBundledGDELTFilesGiveTheWindowsDerivedFromTheirColumns() throws {
        let exports = try recordedGDELTExports(under: repositoryRoot().appendingPathComponent("data/gdelt"))
        #expect(exports.map(\.slot) == ["20151027220000", "20190121220000", "20191024143000"])
        let emitted = try checkRecordedGDELT(exports, rows: 2_116 + 1_629 + 2_111, windows: 280)
        // Totals and the top windows from the Python derivation.
        let all = emitted.values.map(\.aggregate)
        #expect(all.reduce(Int64(0)) { $0 + $1.events } == 5_718)
        #expect(all.reduce(Int64(0)) { $0 + $1.conflictEvents } == 1_715)
        #expect(all.reduce(Int64(0)) { $0 + $1.materialConflictEvents } == 984)
        #expect(all.reduce(Int64(0)) { $0 + $1.mentions } == 27_696)
        #expect(abs(all.reduce(0.0) { $0 + $1.severity } - 52_301.9) < 1e-6)
        let bySeverity = emitted.sorted { ($0.value.aggregate.severity, $1.key) > ($1.value.aggregate.severity, $0.key) }
        for (index, want) in bundledTopSeverityWindows.enumerated() {
            let (key, window) = bySeverity[index]
            #expect(key == want.0)
            let got = window.aggregate
            #expect(got.events == want.1)
            #expect(got.conflictEvents == want.2)
            #expect(got.materialConflictEvents == want.3)
            #expect(got.mentions == want.4)
            #expect(abs(got.severity - want.5) < 1e-6)
            #expect(got.topEvents.map(\.globalEventID) == want.6)
        }
    }

    /// All 49 recorded export files of `../shared/data/gdelt` (3 isolated slots, the 4 consecutive 2015 slots,
    /// the 42 slots of 2025-05-16): 74,225 rows. Only where `../shared` exists (not in a fresh clone).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: sharedGDELT.path)))
    func allRecordedGDELTFilesGiveTheWindowsDerivedFromTheirColumns() throws {
        let exports = try recordedGDELTExports(under: Self.sharedGDELT)
        #expect(exports.count == 49)
        try checkRecordedGDELT(exports, rows: 74_225, windows: 3_632)
    }
}
