import Foundation
import Testing
@testable import TributaryConnectors

/// The GDELT record values byte for byte. Downstream (GeoRisk and its end-to-end fixture) reads these bytes, so
/// key order, number formatting and escaping are pinned: the digests and literals below were produced by the
/// `Substring`/`JSONObjectWriter` encoder that preceded the byte-level parser, and any change to the encoding
/// fails here.
@Suite struct GDELTEncodingTests {
    /// MD5 of every row's value (unshifted, then with DATEADDED replaced), each followed by a newline.
    private func digest(of files: [String]) throws -> (plain: String, shifted: String) {
        var plain: [UInt8] = []
        var shifted: [UInt8] = []
        for file in files {
            let batch = GDELTBatch(csv: try GDELTArchive.read(path: file), source: file, slot: nil)
            #expect(batch.rejected.isEmpty, "\(file)")
            for event in batch.events {
                plain += event.jsonBytes()
                plain.append(0x0A)
                shifted += event.jsonBytes(dateAdded: 20_260_101_001_500)
                shifted.append(0x0A)
            }
        }
        return (MD5.hex(plain), MD5.hex(shifted))
    }

    @Test func bundledRowsEncodeToThePinnedBytes() throws {
        let files = ["20151027220000.export.CSV", "20190121220000.export.CSV", "20191024143000.export.CSV"]
        let got = try digest(of: files.map { TestSupport.data("gdelt/\($0)") })
        #expect(got.plain == "6b08ffa2fc3db69cf39b538430a7e06e")
        #expect(got.shifted == "1a6bc7e208b69bf6b341d476a112034b")
    }

    @Test(.enabled(if: TestSupport.hasSharedGDELT))
    func sharedRowsEncodeToThePinnedBytes() throws {
        let directory = TestSupport.sharedData + "/gdelt/mirror-20250516-with-header"
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
            .filter { $0.contains(".export.") }.map { directory + "/" + $0 }
        #expect(files.count == 42)
        let got = try digest(of: files)
        #expect(got.plain == "50f6cbda4cb1d68e0074c38852542549")
        #expect(got.shifted == "a0784fda0f0707e57b7396a7f690a4a5")
    }

    /// One recorded row in full.
    @Test func firstBundledRowEncodesToThePinnedText() throws {
        let bytes = try GDELTArchive.read(path: TestSupport.data("gdelt/20191024143000.export.CSV"))
        let event = try #require(GDELTBatch(csv: bytes, source: "test", slot: nil).events.first)
        let expected = [
            #"{"GLOBALEVENTID":881990832,"SQLDATE":20181024,"MonthYear":201810,"Year":2018,"FractionDate":2018.8055,"#,
            #""Actor1Code":null,"Actor1Name":null,"Actor1CountryCode":null,"Actor1KnownGroupCode":null,"Actor1EthnicCode":null,"#,
            #""Actor1Religion1Code":null,"Actor1Religion2Code":null,"Actor1Type1Code":null,"Actor1Type2Code":null,"#,
            #""Actor1Type3Code":null,"Actor2Code":"AUS","Actor2Name":"VICTORIA","Actor2CountryCode":"AUS","#,
            #""Actor2KnownGroupCode":null,"Actor2EthnicCode":null,"Actor2Religion1Code":null,"Actor2Religion2Code":null,"#,
            #""Actor2Type1Code":null,"Actor2Type2Code":null,"Actor2Type3Code":null,"IsRootEvent":0,"EventCode":"139","#,
            #""EventBaseCode":"139","EventRootCode":"13","QuadClass":3,"GoldsteinScale":-7.0,"NumMentions":3,"#,
            #""NumSources":1,"NumArticles":3,"AvgTone":2.02774813233724,"Actor1Geo_Type":0,"Actor1Geo_FullName":null,"#,
            #""Actor1Geo_CountryCode":null,"Actor1Geo_ADM1Code":null,"Actor1Geo_ADM2Code":null,"Actor1Geo_Lat":null,"#,
            #""Actor1Geo_Long":null,"Actor1Geo_FeatureID":null,"Actor2Geo_Type":4,"Actor2Geo_FullName":"Vancouver, British Columbia, Canada","#,
            #""Actor2Geo_CountryCode":"CA","Actor2Geo_ADM1Code":"CA02","Actor2Geo_ADM2Code":"12552","Actor2Geo_Lat":49.25,"#,
            #""Actor2Geo_Long":-123.133,"Actor2Geo_FeatureID":"-575268","ActionGeo_Type":4,"ActionGeo_FullName":"Vancouver, British Columbia, Canada","#,
            #""ActionGeo_CountryCode":"CA","ActionGeo_ADM1Code":"CA02","ActionGeo_ADM2Code":"12552","ActionGeo_Lat":49.25,"#,
            #""ActionGeo_Long":-123.133,"ActionGeo_FeatureID":"-575268","DATEADDED":20191024143000,"SOURCEURL":"https://www.timescolonist.com/entertainment/jeremy-dutcher-brings-ancestors-songs-to-life-1.23985964"}"#,
        ].joined()
        #expect(String(decoding: event.jsonBytes(), as: UTF8.self) == expected)
    }

    /// Numbers and text in the forms recorded files rarely or never contain (signs, exponents, lone points,
    /// 19-digit integers, escapes, control characters, non-ASCII and invalid UTF-8), parsed and encoded.
    @Test func unusualFieldsParseAndEncodeToThePinnedText() throws {
        var fields = [String](repeating: "", count: 61)
        fields[0] = "+0012"
        fields[1] = "20190121"
        fields[2] = "-201901"
        fields[3] = "9223372036854775807"
        fields[4] = "2019.0548"
        fields[5] = "A\"B\\C/D"
        fields[6] = "Zürich \u{01}\u{1F}\u{7F} 東京"
        fields[7] = "\u{0D}x"
        fields[29] = "-0"
        fields[30] = "-0.0"
        fields[34] = "1e-7"
        fields[40] = "5."
        fields[41] = ".5"
        fields[48] = "123456789012345678901234.5"
        fields[49] = "0.1000000000000000055511151231257827"
        fields[56] = "-33.51380000"
        fields[57] = "1E+300"
        fields[58] = "-12"
        fields[59] = "20190121220000"
        fields[60] = "http://example.com/a b?c=\"d\""
        var columns = fields.map { Array($0.utf8) }
        columns[6] += [0xFF, 0xE2, 0x82, 0x41]  // invalid UTF-8: decoded with replacement characters
        let batch = GDELTBatch(csv: Array(columns.joined(separator: [0x09])), source: "test", slot: nil)
        #expect(batch.rejected.map(\.error) == [])
        let event = try #require(batch.events.first)
        let expected = [
            #"{"GLOBALEVENTID":12,"SQLDATE":20190121,"MonthYear":-201901,"Year":9223372036854775807,"FractionDate":2019.0548,"#,
            #""Actor1Code":"A\"B\\C/D","Actor1Name":"Zürich \u0001\u001f\#u{7F} 東京\#u{FFFD}\#u{FFFD}A","Actor1CountryCode":"\rx","#,
            #""Actor1KnownGroupCode":null,"Actor1EthnicCode":null,"Actor1Religion1Code":null,"Actor1Religion2Code":null,"#,
            #""Actor1Type1Code":null,"Actor1Type2Code":null,"Actor1Type3Code":null,"Actor2Code":null,"Actor2Name":null,"#,
            #""Actor2CountryCode":null,"Actor2KnownGroupCode":null,"Actor2EthnicCode":null,"Actor2Religion1Code":null,"#,
            #""Actor2Religion2Code":null,"Actor2Type1Code":null,"Actor2Type2Code":null,"Actor2Type3Code":null,"#,
            #""IsRootEvent":null,"EventCode":null,"EventBaseCode":null,"EventRootCode":null,"QuadClass":0,"#,
            #""GoldsteinScale":-0.0,"NumMentions":null,"NumSources":null,"NumArticles":null,"AvgTone":1e-07,"#,
            #""Actor1Geo_Type":null,"Actor1Geo_FullName":null,"Actor1Geo_CountryCode":null,"Actor1Geo_ADM1Code":null,"#,
            #""Actor1Geo_ADM2Code":null,"Actor1Geo_Lat":5.0,"Actor1Geo_Long":0.5,"Actor1Geo_FeatureID":null,"#,
            #""Actor2Geo_Type":null,"Actor2Geo_FullName":null,"Actor2Geo_CountryCode":null,"Actor2Geo_ADM1Code":null,"#,
            #""Actor2Geo_ADM2Code":null,"Actor2Geo_Lat":1.2345678901234569e+23,"Actor2Geo_Long":0.1,"Actor2Geo_FeatureID":null,"#,
            #""ActionGeo_Type":null,"ActionGeo_FullName":null,"ActionGeo_CountryCode":null,"ActionGeo_ADM1Code":null,"#,
            #""ActionGeo_ADM2Code":null,"ActionGeo_Lat":-33.5138,"ActionGeo_Long":1e+300,"ActionGeo_FeatureID":"-12","#,
            #""DATEADDED":20190121220000,"SOURCEURL":"http://example.com/a b?c=\"d\""}"#,
        ].joined()
        #expect(String(decoding: event.jsonBytes(), as: UTF8.self) == expected)
    }

    /// Rejections keep their reason and the offending text, in column order.
    @Test(arguments: [
        (2, "12x", GDELTRowError.badNumber(column: "MonthYear", value: "12x")),
        (4, "1,5", .badNumber(column: "FractionDate", value: "1,5")),
        (4, "inf", .badNumber(column: "FractionDate", value: "inf")),
        (0, "", .badNumber(column: "GLOBALEVENTID", value: "")),
        (0, "99999999999999999999", .badNumber(column: "GLOBALEVENTID", value: "99999999999999999999")),
        (1, "2019012", .badDate(column: "SQLDATE", value: "2019012")),
        (59, "20190121226000", .badDate(column: "DATEADDED", value: "20190121226000")),
        (31, " 5", .badNumber(column: "NumMentions", value: " 5")),
    ])
    func badFieldsAreRejectedWithTheirText(_ column: Int, _ value: String, _ error: GDELTRowError) throws {
        var fields = [String](repeating: "", count: 61)
        fields[0] = "1"
        fields[1] = "20190121"
        fields[59] = "20190121220000"
        fields[column] = value
        let batch = GDELTBatch(csv: Array(fields.joined(separator: "\t").utf8), source: "test", slot: nil)
        #expect(batch.events.isEmpty)
        #expect(batch.rejected.map(\.error) == [error])
    }
}
