import Foundation
import Testing
import ZIPFoundation
@testable import TributaryConnectors

/// The GDELT 2.0 export parser against every recorded file, with row counts from the data READMEs and field
/// values derived independently from the raw text.
@Suite struct GDELTParserTests {
    /// Parses a recorded file and checks that every line has 61 TAB-separated fields (counted here by splitting
    /// the raw bytes, not by the parser).
    private func parseFile(_ path: String) throws -> GDELTBatch {
        let bytes = try GDELTArchive.read(path: path)
        let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: true)
        let header = lines.first.map { $0.starts(with: Array("GLOBALEVENTID".utf8)) } ?? false
        for line in lines.dropFirst(header ? 1 : 0) {
            #expect(line.split(separator: 0x09, omittingEmptySubsequences: false).count == 61)
        }
        return GDELTBatch(csv: bytes, source: path, slot: GDELTBatch.slot(fromFileName: path))
    }

    /// Row counts as stated in data/README.md and shared/data/README.md §2.4.
    @Test(arguments: [
        ("gdelt/20151027220000.export.CSV", 2116), ("gdelt/20190121220000.export.CSV", 1629),
        ("gdelt/20190121220000.export.CSV.zip", 1629), ("gdelt/20191024143000.export.CSV", 2111),
    ])
    func bundledFileParsesWithTheStatedRowCount(_ file: String, _ rows: Int) throws {
        let batch = try parseFile(TestSupport.data(file))
        #expect(batch.events.count == rows)
        #expect(batch.rejected.isEmpty)
        #expect(!batch.skippedHeader)
        let slot = try #require(batch.slot)
        #expect(batch.events.allSatisfy { $0.dateAdded == slot })
    }

    /// shared/data/README.md §2.2 (consecutive-20150218) and the §2.3 table (mirror-20250516-with-header,
    /// rows without the added header line).
    @Test(.enabled(if: TestSupport.hasSharedGDELT))
    func everySharedExportFileParsesWithTheStatedRowCount() throws {
        let gdelt = TestSupport.sharedData + "/gdelt"
        let stated: [String: Int] = [
            "20151027220000.export.CSV": 2116, "20190121220000.export.CSV": 1629,
            "20190121220000.export.CSV.zip": 1629, "20191024143000.export.CSV": 2111,
            "consecutive-20150218/20150218230000.export.CSV": 2271,
            "consecutive-20150218/20150218231500.export.CSV": 2102,
            "consecutive-20150218/20150218233000.export.CSV": 2084,
            "consecutive-20150218/20150218234500.export.CSV": 2252,
        ]
        for (file, rows) in stated {
            let batch = try parseFile("\(gdelt)/\(file)")
            #expect(batch.events.count == rows, "\(file)")
            #expect(batch.rejected.isEmpty, "\(file)")
        }
        // HHMM → rows, from the table under "Contents" in shared/data/README.md.
        let mirror: [String: Int] = [
            "0200": 1230, "0215": 1241, "0315": 1160, "0330": 1329, "0430": 1399, "0445": 769, "0530": 1031,
            "0545": 1715, "0630": 1049, "0700": 1162, "0715": 986, "0745": 1381, "0830": 1014, "0845": 1261,
            "0930": 1637, "0945": 1128, "1015": 1477, "1045": 1623, "1115": 1641, "1145": 1872, "1245": 1411,
            "1330": 2484, "1415": 1784, "1445": 1775, "1515": 1335, "1545": 2257, "1630": 1836, "1645": 1466,
            "1715": 1820, "1745": 1574, "1830": 1327, "1845": 1439, "1915": 1701, "1945": 1284, "2030": 1275,
            "2045": 1295, "2115": 1113, "2145": 1610, "2215": 1344, "2245": 1405, "2315": 1112, "2345": 908,
        ]
        var total = 0
        for (hhmm, rows) in mirror {
            let batch = try parseFile("\(gdelt)/mirror-20250516-with-header/20250516\(hhmm)00.export.with-header.CSV")
            #expect(batch.skippedHeader, "\(hhmm)")
            #expect(batch.events.count == rows, "\(hhmm)")
            #expect(batch.rejected.isEmpty, "\(hhmm)")
            total += batch.events.count
        }
        #expect(total == 59_660)
    }

    /// Expected values: `python3 scripts/derive-ingest-expectations.py` (splits the raw lines on TAB; columns 1,
    /// 27, 29, 30, 31, 35, 54, 57, 60, 61 of rows 1, 2 and the last row), copied here as literals.
    @Test func spotCheckedRowsMatchTheRawText() throws {
        let a = try parseFile(TestSupport.data("gdelt/20151027220000.export.CSV")).events
        #expect(a[0].globalEventID == 479_491_239)
        #expect(a[0].eventCode == "051")
        #expect(a[0].eventRootCode == "05")
        #expect(a[0].quadClass == 1)
        #expect(a[0].goldsteinScale == 3.4)
        #expect(a[0].avgTone == -1.76470588235294)
        #expect(a[0].actionGeoCountryCode == "US")
        #expect(a[0].actionGeoLat == 44.9429)
        #expect(a[0].sourceURL == "http://www.capitalpress.com/Oregon/20151027/thornless-marionberries-reduce-liability-concerns")
        #expect(a[1].globalEventID == 479_491_240)
        #expect(a[1].actionGeoLat == 44.5672)
        #expect(a.last?.globalEventID == 479_493_354)
        #expect(a.last?.eventCode == "060")
        #expect(a.last?.actionGeoCountryCode == "CE")
        #expect(a.last?.goldsteinScale == 6.0)
        #expect(a.last?.actionGeoLat == 7)

        let b = try parseFile(TestSupport.data("gdelt/20190121220000.export.CSV")).events
        #expect(b[0].globalEventID == 817_930_293)
        #expect(b[0].eventCode == "012")
        #expect(b[0].goldsteinScale == -0.4)
        #expect(b[0].actionGeoCountryCode == nil)  // empty in the file
        #expect(b[0].actionGeoLat == nil)  // empty numeric field
        #expect(b[1].eventCode == "010")  // leading zero kept
        #expect(b[1].eventRootCode == "01")
        #expect(b[1].avgTone == -0.75872534142641)
        #expect(b.last?.globalEventID == 817_931_921)
        #expect(b.last?.actionGeoCountryCode == "NI")
        #expect(b.last?.sourceURL == "http://www.nigerianeye.com/2019/01/you-are-sick-in-spirit-body-and-soul.html")

        let c = try parseFile(TestSupport.data("gdelt/20191024143000.export.CSV")).events
        #expect(c[0].globalEventID == 881_990_832)
        #expect(c[0].eventCode == "139")
        #expect(c[0].quadClass == 3)
        #expect(c[0].goldsteinScale == -7.0)
        #expect(c[1].actionGeoCountryCode == "BO")
        #expect(c.last?.actionGeoLat == -25.7069)
        #expect(c.last?.dateAdded == 20_191_024_143_000)
        // Most common ActionGeo_CountryCode (same script): US 705, UK 135, RS 80.
        #expect(c.filter { $0.actionGeoCountryCode == "US" }.count == 705)
        #expect(c.filter { $0.actionGeoCountryCode == "UK" }.count == 135)
    }

    @Test func jsonRecordHasTheColumnNamesAndKeepsCodesAsStrings() throws {
        let event = try #require(parseFile(TestSupport.data("gdelt/20190121220000.export.CSV")).events.first)
        let object = try #require(JSONSerialization.jsonObject(with: Data(event.jsonBytes())) as? [String: Any])
        #expect(object.count == 61)
        #expect(Set(object.keys) == Set(GDELTEvent.columnNames))
        #expect(object["EventCode"] as? String == "012")
        #expect(object["EventRootCode"] as? String == "01")
        #expect(object["ActionGeo_CountryCode"] is NSNull)
        #expect(object["ActionGeo_Lat"] is NSNull)
        #expect((object["GLOBALEVENTID"] as? NSNumber)?.int64Value == 817_930_293)
        #expect((object["DATEADDED"] as? NSNumber)?.int64Value == 20_190_121_220_000)
        #expect((object["GoldsteinScale"] as? NSNumber)?.doubleValue == -0.4)
        let shifted = try #require(JSONSerialization.jsonObject(with: Data(event.jsonBytes(dateAdded: 20_260_101_000_000))) as? [String: Any])
        #expect((shifted["DATEADDED"] as? NSNumber)?.int64Value == 20_260_101_000_000)
    }

    @Test func badRowsAreRejectedWithAReasonAndTheRestParse() throws {
        let good = try String(contentsOfFile: TestSupport.data("gdelt/20190121220000.export.CSV"), encoding: .utf8)
            .split(separator: "\n").prefix(2).map(String.init)
        var badDate = good[1].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        badDate[59] = "20190231220000"  // 31 February
        var badNumber = good[1].split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        badNumber[30] = "high"  // GoldsteinScale
        let text = [good[0], "a\tb\tc", badDate.joined(separator: "\t"), badNumber.joined(separator: "\t"), good[1]]
            .joined(separator: "\n") + "\n"
        let batch = GDELTBatch(csv: Array(text.utf8), source: "test", slot: nil)
        #expect(batch.events.map(\.globalEventID) == [817_930_293, 817_930_294])
        #expect(batch.rejected.map(\.line) == [2, 3, 4])
        #expect(batch.rejected.map(\.error.reason) == ["wrong-column-count", "bad-date", "bad-number"])
        #expect(batch.rejected[0].raw == Array("a\tb\tc".utf8))
    }

    @Test func zipMemberEqualsTheCSVAndTruncationIsDetected() throws {
        let zip = try #require(FileManager.default.contents(atPath: TestSupport.data("gdelt/20190121220000.export.CSV.zip")))
        let csv = try #require(FileManager.default.contents(atPath: TestSupport.data("gdelt/20190121220000.export.CSV")))
        #expect(try GDELTArchive.unzip(Array(zip), source: "zip") == Array(csv))
        #expect(throws: GDELTBatchError.self) { _ = try GDELTArchive.unzip(Array(zip.prefix(zip.count / 2)), source: "half") }
        var corrupt = Array(zip)
        corrupt[zip.count / 3] ^= 0xFF  // inside the compressed data: the CRC or inflate fails
        #expect(throws: GDELTBatchError.self) { _ = try GDELTArchive.unzip(corrupt, source: "corrupt") }
    }

    /// Vectors from RFC 1321 §A.5; the zip's digest from `md5sum data/gdelt/20190121220000.export.CSV.zip`.
    @Test func md5MatchesKnownDigests() throws {
        #expect(MD5.hex([]) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(MD5.hex(Array("abc".utf8)) == "900150983cd24fb0d6963f7d28e17f72")
        #expect(MD5.hex(Array("12345678901234567890123456789012345678901234567890123456789012345678901234567890".utf8))
            == "57edf4a22be3c955ac49da2e2107b67a")
        let zip = try #require(FileManager.default.contents(atPath: TestSupport.data("gdelt/20190121220000.export.CSV.zip")))
        #expect(MD5.hex(Array(zip)) == "493919c9c5ff4e11f0d71c55e3a3df0c")
        #expect(throws: GDELTBatchError.self) { try GDELTArchive.verify(Array(zip), size: zip.count, md5: String(repeating: "0", count: 32), source: "zip") }
        #expect(throws: GDELTBatchError.self) { try GDELTArchive.verify(Array(zip), size: zip.count + 1, md5: "493919c9c5ff4e11f0d71c55e3a3df0c", source: "zip") }
        try GDELTArchive.verify(Array(zip), size: 109_078, md5: "493919C9C5FF4E11F0D71C55E3A3DF0C", source: "zip")
    }

    /// Epoch milliseconds from Python's `datetime.fromisoformat(...).timestamp()`.
    @Test func timesParseAsPython() {
        #expect(EventTime.parseISO8601("2018-03-07T16:16:17+00:00") == 1_520_439_377_000)
        #expect(EventTime.parseISO8601("2022-12-11T04:27:02Z") == 1_670_732_822_000)
        #expect(EventTime.parseISO8601("2026-02-26T15:49:36.544Z") == 1_772_120_976_544)
        #expect(EventTime.parseISO8601("2026-02-26T15:49:36") == nil)
        #expect(EventTime.formatISO8601(1_772_120_976_544) == "2026-02-26T15:49:36.544Z")
        #expect(GDELTSlot.milliseconds(20_190_121_220_000) == 1_548_108_000_000)
        #expect(GDELTSlot.slot(1_548_108_000_000) == 20_190_121_220_000)
        #expect(GDELTSlot.milliseconds(20_190_231_220_000) == nil)
    }
}
