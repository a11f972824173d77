// Generated from the 61 GDELT 2.0 event column names (lookups/GDELT_2.0_Events_Column_Labels_Header_Row_Sep2016.csv)
// with a throwaway script; edit by hand from now on.

/// One row of a GDELT 2.0 events export (`YYYYMMDDHHMMSS.export.CSV`): 61 tab-separated columns, typed.
///
/// CAMEO codes (actor, event, type codes) stay strings: as integers `010` would become `10`. Empty text
/// fields and empty numeric fields are `nil`. GLOBALEVENTID, SQLDATE and DATEADDED are required.
/// `*Geo_FeatureID` is text (GDELT puts country codes such as `SY` there for country-level places).
public struct GDELTEvent: Equatable, Sendable {
    /// Column 1, `GLOBALEVENTID`.
    public var globalEventID: Int64
    /// Column 2, `SQLDATE`.
    public var sqlDate: Int
    /// Column 3, `MonthYear`.
    public var monthYear: Int?
    /// Column 4, `Year`.
    public var year: Int?
    /// Column 5, `FractionDate`.
    public var fractionDate: Double?
    /// Column 6, `Actor1Code`.
    public var actor1Code: String?
    /// Column 7, `Actor1Name`.
    public var actor1Name: String?
    /// Column 8, `Actor1CountryCode`.
    public var actor1CountryCode: String?
    /// Column 9, `Actor1KnownGroupCode`.
    public var actor1KnownGroupCode: String?
    /// Column 10, `Actor1EthnicCode`.
    public var actor1EthnicCode: String?
    /// Column 11, `Actor1Religion1Code`.
    public var actor1Religion1Code: String?
    /// Column 12, `Actor1Religion2Code`.
    public var actor1Religion2Code: String?
    /// Column 13, `Actor1Type1Code`.
    public var actor1Type1Code: String?
    /// Column 14, `Actor1Type2Code`.
    public var actor1Type2Code: String?
    /// Column 15, `Actor1Type3Code`.
    public var actor1Type3Code: String?
    /// Column 16, `Actor2Code`.
    public var actor2Code: String?
    /// Column 17, `Actor2Name`.
    public var actor2Name: String?
    /// Column 18, `Actor2CountryCode`.
    public var actor2CountryCode: String?
    /// Column 19, `Actor2KnownGroupCode`.
    public var actor2KnownGroupCode: String?
    /// Column 20, `Actor2EthnicCode`.
    public var actor2EthnicCode: String?
    /// Column 21, `Actor2Religion1Code`.
    public var actor2Religion1Code: String?
    /// Column 22, `Actor2Religion2Code`.
    public var actor2Religion2Code: String?
    /// Column 23, `Actor2Type1Code`.
    public var actor2Type1Code: String?
    /// Column 24, `Actor2Type2Code`.
    public var actor2Type2Code: String?
    /// Column 25, `Actor2Type3Code`.
    public var actor2Type3Code: String?
    /// Column 26, `IsRootEvent`.
    public var isRootEvent: Int?
    /// Column 27, `EventCode`.
    public var eventCode: String?
    /// Column 28, `EventBaseCode`.
    public var eventBaseCode: String?
    /// Column 29, `EventRootCode`.
    public var eventRootCode: String?
    /// Column 30, `QuadClass`.
    public var quadClass: Int?
    /// Column 31, `GoldsteinScale`.
    public var goldsteinScale: Double?
    /// Column 32, `NumMentions`.
    public var numMentions: Int?
    /// Column 33, `NumSources`.
    public var numSources: Int?
    /// Column 34, `NumArticles`.
    public var numArticles: Int?
    /// Column 35, `AvgTone`.
    public var avgTone: Double?
    /// Column 36, `Actor1Geo_Type`.
    public var actor1GeoType: Int?
    /// Column 37, `Actor1Geo_FullName`.
    public var actor1GeoFullName: String?
    /// Column 38, `Actor1Geo_CountryCode`.
    public var actor1GeoCountryCode: String?
    /// Column 39, `Actor1Geo_ADM1Code`.
    public var actor1GeoADM1Code: String?
    /// Column 40, `Actor1Geo_ADM2Code`.
    public var actor1GeoADM2Code: String?
    /// Column 41, `Actor1Geo_Lat`.
    public var actor1GeoLat: Double?
    /// Column 42, `Actor1Geo_Long`.
    public var actor1GeoLong: Double?
    /// Column 43, `Actor1Geo_FeatureID`.
    public var actor1GeoFeatureID: String?
    /// Column 44, `Actor2Geo_Type`.
    public var actor2GeoType: Int?
    /// Column 45, `Actor2Geo_FullName`.
    public var actor2GeoFullName: String?
    /// Column 46, `Actor2Geo_CountryCode`.
    public var actor2GeoCountryCode: String?
    /// Column 47, `Actor2Geo_ADM1Code`.
    public var actor2GeoADM1Code: String?
    /// Column 48, `Actor2Geo_ADM2Code`.
    public var actor2GeoADM2Code: String?
    /// Column 49, `Actor2Geo_Lat`.
    public var actor2GeoLat: Double?
    /// Column 50, `Actor2Geo_Long`.
    public var actor2GeoLong: Double?
    /// Column 51, `Actor2Geo_FeatureID`.
    public var actor2GeoFeatureID: String?
    /// Column 52, `ActionGeo_Type`.
    public var actionGeoType: Int?
    /// Column 53, `ActionGeo_FullName`.
    public var actionGeoFullName: String?
    /// Column 54, `ActionGeo_CountryCode`.
    public var actionGeoCountryCode: String?
    /// Column 55, `ActionGeo_ADM1Code`.
    public var actionGeoADM1Code: String?
    /// Column 56, `ActionGeo_ADM2Code`.
    public var actionGeoADM2Code: String?
    /// Column 57, `ActionGeo_Lat`.
    public var actionGeoLat: Double?
    /// Column 58, `ActionGeo_Long`.
    public var actionGeoLong: Double?
    /// Column 59, `ActionGeo_FeatureID`.
    public var actionGeoFeatureID: String?
    /// Column 60, `DATEADDED`.
    public var dateAdded: Int64
    /// Column 61, `SOURCEURL`.
    public var sourceURL: String?

    /// The 61 column names in file order, as GDELT spells them; also the keys of ``jsonBytes()``.
    public static let columnNames: [String] = [
        "GLOBALEVENTID",
        "SQLDATE",
        "MonthYear",
        "Year",
        "FractionDate",
        "Actor1Code",
        "Actor1Name",
        "Actor1CountryCode",
        "Actor1KnownGroupCode",
        "Actor1EthnicCode",
        "Actor1Religion1Code",
        "Actor1Religion2Code",
        "Actor1Type1Code",
        "Actor1Type2Code",
        "Actor1Type3Code",
        "Actor2Code",
        "Actor2Name",
        "Actor2CountryCode",
        "Actor2KnownGroupCode",
        "Actor2EthnicCode",
        "Actor2Religion1Code",
        "Actor2Religion2Code",
        "Actor2Type1Code",
        "Actor2Type2Code",
        "Actor2Type3Code",
        "IsRootEvent",
        "EventCode",
        "EventBaseCode",
        "EventRootCode",
        "QuadClass",
        "GoldsteinScale",
        "NumMentions",
        "NumSources",
        "NumArticles",
        "AvgTone",
        "Actor1Geo_Type",
        "Actor1Geo_FullName",
        "Actor1Geo_CountryCode",
        "Actor1Geo_ADM1Code",
        "Actor1Geo_ADM2Code",
        "Actor1Geo_Lat",
        "Actor1Geo_Long",
        "Actor1Geo_FeatureID",
        "Actor2Geo_Type",
        "Actor2Geo_FullName",
        "Actor2Geo_CountryCode",
        "Actor2Geo_ADM1Code",
        "Actor2Geo_ADM2Code",
        "Actor2Geo_Lat",
        "Actor2Geo_Long",
        "Actor2Geo_FeatureID",
        "ActionGeo_Type",
        "ActionGeo_FullName",
        "ActionGeo_CountryCode",
        "ActionGeo_ADM1Code",
        "ActionGeo_ADM2Code",
        "ActionGeo_Lat",
        "ActionGeo_Long",
        "ActionGeo_FeatureID",
        "DATEADDED",
        "SOURCEURL",
    ]

    /// The number of columns of an events export row.
    public static let columnCount = 61

    /// Parses one row's 61 fields (without the line end).
    ///
    /// - Throws: ``GDELTRowError`` for a wrong field count, a malformed number or a bad date.
    public init(fields: [Substring]) throws(GDELTRowError) {
        var line = Array(fields.joined(separator: "\t").utf8)
        self = try line.withUnsafeMutableBufferPointer { buffer throws(GDELTRowError) in
            try GDELTEvent(row: UnsafeBufferPointer(buffer))
        }
    }

    /// Parses one row (without the line end) in place.
    ///
    /// - Throws: ``GDELTRowError`` for a wrong field count, a malformed number or a bad date.
    init(row line: UnsafeBufferPointer<UInt8>) throws(GDELTRowError) {
        self = try GDELTFields.withFields(of: line, count: Self.columnCount) { row throws(GDELTRowError) in
            try GDELTEvent(fields: row)
        }
    }

    private init(fields row: GDELTFields) throws(GDELTRowError) {
        guard let globalEventID = GDELTFields.int64(row.bytes(0)) else {
            throw .badNumber(column: "GLOBALEVENTID", value: row.string(0))
        }
        self.globalEventID = globalEventID
        guard let sqlDate = GDELTFields.int64(row.bytes(1)), (10_000_101...99_991_231).contains(sqlDate) else {
            throw .badDate(column: "SQLDATE", value: row.string(1))
        }
        self.sqlDate = Int(sqlDate)
        monthYear = try row.int(2)
        year = try row.int(3)
        fractionDate = try row.double(4)
        actor1Code = row.text(5)
        actor1Name = row.text(6)
        actor1CountryCode = row.text(7)
        actor1KnownGroupCode = row.text(8)
        actor1EthnicCode = row.text(9)
        actor1Religion1Code = row.text(10)
        actor1Religion2Code = row.text(11)
        actor1Type1Code = row.text(12)
        actor1Type2Code = row.text(13)
        actor1Type3Code = row.text(14)
        actor2Code = row.text(15)
        actor2Name = row.text(16)
        actor2CountryCode = row.text(17)
        actor2KnownGroupCode = row.text(18)
        actor2EthnicCode = row.text(19)
        actor2Religion1Code = row.text(20)
        actor2Religion2Code = row.text(21)
        actor2Type1Code = row.text(22)
        actor2Type2Code = row.text(23)
        actor2Type3Code = row.text(24)
        isRootEvent = try row.int(25)
        eventCode = row.text(26)
        eventBaseCode = row.text(27)
        eventRootCode = row.text(28)
        quadClass = try row.int(29)
        goldsteinScale = try row.double(30)
        numMentions = try row.int(31)
        numSources = try row.int(32)
        numArticles = try row.int(33)
        avgTone = try row.double(34)
        actor1GeoType = try row.int(35)
        actor1GeoFullName = row.text(36)
        actor1GeoCountryCode = row.text(37)
        actor1GeoADM1Code = row.text(38)
        actor1GeoADM2Code = row.text(39)
        actor1GeoLat = try row.double(40)
        actor1GeoLong = try row.double(41)
        actor1GeoFeatureID = row.text(42)
        actor2GeoType = try row.int(43)
        actor2GeoFullName = row.text(44)
        actor2GeoCountryCode = row.text(45)
        actor2GeoADM1Code = row.text(46)
        actor2GeoADM2Code = row.text(47)
        actor2GeoLat = try row.double(48)
        actor2GeoLong = try row.double(49)
        actor2GeoFeatureID = row.text(50)
        actionGeoType = try row.int(51)
        actionGeoFullName = row.text(52)
        actionGeoCountryCode = row.text(53)
        actionGeoADM1Code = row.text(54)
        actionGeoADM2Code = row.text(55)
        actionGeoLat = try row.double(56)
        actionGeoLong = try row.double(57)
        actionGeoFeatureID = row.text(58)
        guard let dateAdded = GDELTFields.int64(row.bytes(59)), GDELTSlot.milliseconds(dateAdded) != nil else {
            throw .badDate(column: "DATEADDED", value: row.string(59))
        }
        self.dateAdded = dateAdded
        sourceURL = row.text(60)
    }

    /// The record value: a JSON object with the 61 column names as keys in file order; `null` for empty
    /// fields, numbers for numeric columns, strings for the rest. `dateAdded` replaces DATEADDED when the
    /// replay shifts times (``GDELTSlot``); every other field is as recorded.
    public func jsonBytes(dateAdded: Int64? = nil) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        appendJSON(to: &out, dateAdded: dateAdded)
        return out
    }

    /// Appends ``jsonBytes(dateAdded:)`` to `out`.
    func appendJSON(to out: inout [UInt8], dateAdded: Int64?) {
        JSONObjectWriter.append(to: &out) { json in
            json.int("GLOBALEVENTID", globalEventID)
            json.int("SQLDATE", sqlDate)
            json.int("MonthYear", monthYear)
            json.int("Year", year)
            json.double("FractionDate", fractionDate)
            json.string("Actor1Code", actor1Code)
            json.string("Actor1Name", actor1Name)
            json.string("Actor1CountryCode", actor1CountryCode)
            json.string("Actor1KnownGroupCode", actor1KnownGroupCode)
            json.string("Actor1EthnicCode", actor1EthnicCode)
            json.string("Actor1Religion1Code", actor1Religion1Code)
            json.string("Actor1Religion2Code", actor1Religion2Code)
            json.string("Actor1Type1Code", actor1Type1Code)
            json.string("Actor1Type2Code", actor1Type2Code)
            json.string("Actor1Type3Code", actor1Type3Code)
            json.string("Actor2Code", actor2Code)
            json.string("Actor2Name", actor2Name)
            json.string("Actor2CountryCode", actor2CountryCode)
            json.string("Actor2KnownGroupCode", actor2KnownGroupCode)
            json.string("Actor2EthnicCode", actor2EthnicCode)
            json.string("Actor2Religion1Code", actor2Religion1Code)
            json.string("Actor2Religion2Code", actor2Religion2Code)
            json.string("Actor2Type1Code", actor2Type1Code)
            json.string("Actor2Type2Code", actor2Type2Code)
            json.string("Actor2Type3Code", actor2Type3Code)
            json.int("IsRootEvent", isRootEvent)
            json.string("EventCode", eventCode)
            json.string("EventBaseCode", eventBaseCode)
            json.string("EventRootCode", eventRootCode)
            json.int("QuadClass", quadClass)
            json.double("GoldsteinScale", goldsteinScale)
            json.int("NumMentions", numMentions)
            json.int("NumSources", numSources)
            json.int("NumArticles", numArticles)
            json.double("AvgTone", avgTone)
            json.int("Actor1Geo_Type", actor1GeoType)
            json.string("Actor1Geo_FullName", actor1GeoFullName)
            json.string("Actor1Geo_CountryCode", actor1GeoCountryCode)
            json.string("Actor1Geo_ADM1Code", actor1GeoADM1Code)
            json.string("Actor1Geo_ADM2Code", actor1GeoADM2Code)
            json.double("Actor1Geo_Lat", actor1GeoLat)
            json.double("Actor1Geo_Long", actor1GeoLong)
            json.string("Actor1Geo_FeatureID", actor1GeoFeatureID)
            json.int("Actor2Geo_Type", actor2GeoType)
            json.string("Actor2Geo_FullName", actor2GeoFullName)
            json.string("Actor2Geo_CountryCode", actor2GeoCountryCode)
            json.string("Actor2Geo_ADM1Code", actor2GeoADM1Code)
            json.string("Actor2Geo_ADM2Code", actor2GeoADM2Code)
            json.double("Actor2Geo_Lat", actor2GeoLat)
            json.double("Actor2Geo_Long", actor2GeoLong)
            json.string("Actor2Geo_FeatureID", actor2GeoFeatureID)
            json.int("ActionGeo_Type", actionGeoType)
            json.string("ActionGeo_FullName", actionGeoFullName)
            json.string("ActionGeo_CountryCode", actionGeoCountryCode)
            json.string("ActionGeo_ADM1Code", actionGeoADM1Code)
            json.string("ActionGeo_ADM2Code", actionGeoADM2Code)
            json.double("ActionGeo_Lat", actionGeoLat)
            json.double("ActionGeo_Long", actionGeoLong)
            json.string("ActionGeo_FeatureID", actionGeoFeatureID)
            json.int("DATEADDED", dateAdded ?? self.dateAdded)
            json.string("SOURCEURL", sourceURL)
        }
    }
}
