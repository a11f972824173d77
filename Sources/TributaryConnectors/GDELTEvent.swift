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
        guard fields.count == Self.columnCount else { throw .wrongColumnCount(fields.count) }
        guard let globalEventID = Int64(fields[0]) else {
            throw .badNumber(column: "GLOBALEVENTID", value: String(fields[0]))
        }
        self.globalEventID = globalEventID
        guard let sqlDate = Int(fields[1]), (10_000_101...99_991_231).contains(sqlDate) else {
            throw .badDate(column: "SQLDATE", value: String(fields[1]))
        }
        self.sqlDate = sqlDate
        monthYear = try Self.optionalInt(fields[2], "MonthYear")
        year = try Self.optionalInt(fields[3], "Year")
        fractionDate = try Self.optionalDouble(fields[4], "FractionDate")
        actor1Code = fields[5].isEmpty ? nil : String(fields[5])
        actor1Name = fields[6].isEmpty ? nil : String(fields[6])
        actor1CountryCode = fields[7].isEmpty ? nil : String(fields[7])
        actor1KnownGroupCode = fields[8].isEmpty ? nil : String(fields[8])
        actor1EthnicCode = fields[9].isEmpty ? nil : String(fields[9])
        actor1Religion1Code = fields[10].isEmpty ? nil : String(fields[10])
        actor1Religion2Code = fields[11].isEmpty ? nil : String(fields[11])
        actor1Type1Code = fields[12].isEmpty ? nil : String(fields[12])
        actor1Type2Code = fields[13].isEmpty ? nil : String(fields[13])
        actor1Type3Code = fields[14].isEmpty ? nil : String(fields[14])
        actor2Code = fields[15].isEmpty ? nil : String(fields[15])
        actor2Name = fields[16].isEmpty ? nil : String(fields[16])
        actor2CountryCode = fields[17].isEmpty ? nil : String(fields[17])
        actor2KnownGroupCode = fields[18].isEmpty ? nil : String(fields[18])
        actor2EthnicCode = fields[19].isEmpty ? nil : String(fields[19])
        actor2Religion1Code = fields[20].isEmpty ? nil : String(fields[20])
        actor2Religion2Code = fields[21].isEmpty ? nil : String(fields[21])
        actor2Type1Code = fields[22].isEmpty ? nil : String(fields[22])
        actor2Type2Code = fields[23].isEmpty ? nil : String(fields[23])
        actor2Type3Code = fields[24].isEmpty ? nil : String(fields[24])
        isRootEvent = try Self.optionalInt(fields[25], "IsRootEvent")
        eventCode = fields[26].isEmpty ? nil : String(fields[26])
        eventBaseCode = fields[27].isEmpty ? nil : String(fields[27])
        eventRootCode = fields[28].isEmpty ? nil : String(fields[28])
        quadClass = try Self.optionalInt(fields[29], "QuadClass")
        goldsteinScale = try Self.optionalDouble(fields[30], "GoldsteinScale")
        numMentions = try Self.optionalInt(fields[31], "NumMentions")
        numSources = try Self.optionalInt(fields[32], "NumSources")
        numArticles = try Self.optionalInt(fields[33], "NumArticles")
        avgTone = try Self.optionalDouble(fields[34], "AvgTone")
        actor1GeoType = try Self.optionalInt(fields[35], "Actor1Geo_Type")
        actor1GeoFullName = fields[36].isEmpty ? nil : String(fields[36])
        actor1GeoCountryCode = fields[37].isEmpty ? nil : String(fields[37])
        actor1GeoADM1Code = fields[38].isEmpty ? nil : String(fields[38])
        actor1GeoADM2Code = fields[39].isEmpty ? nil : String(fields[39])
        actor1GeoLat = try Self.optionalDouble(fields[40], "Actor1Geo_Lat")
        actor1GeoLong = try Self.optionalDouble(fields[41], "Actor1Geo_Long")
        actor1GeoFeatureID = fields[42].isEmpty ? nil : String(fields[42])
        actor2GeoType = try Self.optionalInt(fields[43], "Actor2Geo_Type")
        actor2GeoFullName = fields[44].isEmpty ? nil : String(fields[44])
        actor2GeoCountryCode = fields[45].isEmpty ? nil : String(fields[45])
        actor2GeoADM1Code = fields[46].isEmpty ? nil : String(fields[46])
        actor2GeoADM2Code = fields[47].isEmpty ? nil : String(fields[47])
        actor2GeoLat = try Self.optionalDouble(fields[48], "Actor2Geo_Lat")
        actor2GeoLong = try Self.optionalDouble(fields[49], "Actor2Geo_Long")
        actor2GeoFeatureID = fields[50].isEmpty ? nil : String(fields[50])
        actionGeoType = try Self.optionalInt(fields[51], "ActionGeo_Type")
        actionGeoFullName = fields[52].isEmpty ? nil : String(fields[52])
        actionGeoCountryCode = fields[53].isEmpty ? nil : String(fields[53])
        actionGeoADM1Code = fields[54].isEmpty ? nil : String(fields[54])
        actionGeoADM2Code = fields[55].isEmpty ? nil : String(fields[55])
        actionGeoLat = try Self.optionalDouble(fields[56], "ActionGeo_Lat")
        actionGeoLong = try Self.optionalDouble(fields[57], "ActionGeo_Long")
        actionGeoFeatureID = fields[58].isEmpty ? nil : String(fields[58])
        guard let dateAdded = Int64(fields[59]), GDELTSlot.milliseconds(dateAdded) != nil else {
            throw .badDate(column: "DATEADDED", value: String(fields[59]))
        }
        self.dateAdded = dateAdded
        sourceURL = fields[60].isEmpty ? nil : String(fields[60])
    }

    /// The record value: a JSON object with the 61 column names as keys in file order; `null` for empty
    /// fields, numbers for numeric columns, strings for the rest. `dateAdded` replaces DATEADDED when the
    /// replay shifts times (``GDELTSlot``); every other field is as recorded.
    public func jsonBytes(dateAdded: Int64? = nil) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        var json = JSONObjectWriter(into: out)
        json.int("GLOBALEVENTID", Int64(globalEventID))
        json.int("SQLDATE", Int64(sqlDate))
        json.int("MonthYear", monthYear.map(Int64.init))
        json.int("Year", year.map(Int64.init))
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
        json.int("IsRootEvent", isRootEvent.map(Int64.init))
        json.string("EventCode", eventCode)
        json.string("EventBaseCode", eventBaseCode)
        json.string("EventRootCode", eventRootCode)
        json.int("QuadClass", quadClass.map(Int64.init))
        json.double("GoldsteinScale", goldsteinScale)
        json.int("NumMentions", numMentions.map(Int64.init))
        json.int("NumSources", numSources.map(Int64.init))
        json.int("NumArticles", numArticles.map(Int64.init))
        json.double("AvgTone", avgTone)
        json.int("Actor1Geo_Type", actor1GeoType.map(Int64.init))
        json.string("Actor1Geo_FullName", actor1GeoFullName)
        json.string("Actor1Geo_CountryCode", actor1GeoCountryCode)
        json.string("Actor1Geo_ADM1Code", actor1GeoADM1Code)
        json.string("Actor1Geo_ADM2Code", actor1GeoADM2Code)
        json.double("Actor1Geo_Lat", actor1GeoLat)
        json.double("Actor1Geo_Long", actor1GeoLong)
        json.string("Actor1Geo_FeatureID", actor1GeoFeatureID)
        json.int("Actor2Geo_Type", actor2GeoType.map(Int64.init))
        json.string("Actor2Geo_FullName", actor2GeoFullName)
        json.string("Actor2Geo_CountryCode", actor2GeoCountryCode)
        json.string("Actor2Geo_ADM1Code", actor2GeoADM1Code)
        json.string("Actor2Geo_ADM2Code", actor2GeoADM2Code)
        json.double("Actor2Geo_Lat", actor2GeoLat)
        json.double("Actor2Geo_Long", actor2GeoLong)
        json.string("Actor2Geo_FeatureID", actor2GeoFeatureID)
        json.int("ActionGeo_Type", actionGeoType.map(Int64.init))
        json.string("ActionGeo_FullName", actionGeoFullName)
        json.string("ActionGeo_CountryCode", actionGeoCountryCode)
        json.string("ActionGeo_ADM1Code", actionGeoADM1Code)
        json.string("ActionGeo_ADM2Code", actionGeoADM2Code)
        json.double("ActionGeo_Lat", actionGeoLat)
        json.double("ActionGeo_Long", actionGeoLong)
        json.string("ActionGeo_FeatureID", actionGeoFeatureID)
        json.int("DATEADDED", dateAdded ?? self.dateAdded)
        json.string("SOURCEURL", sourceURL)
        return json.finish()
    }

    private static func optionalInt(_ field: Substring, _ column: String) throws(GDELTRowError) -> Int? {
        if field.isEmpty { return nil }
        guard let value = Int(field) else { throw .badNumber(column: column, value: String(field)) }
        return value
    }

    private static func optionalDouble(_ field: Substring, _ column: String) throws(GDELTRowError) -> Double? {
        if field.isEmpty { return nil }
        guard let value = Double(field), value.isFinite else { throw .badNumber(column: column, value: String(field)) }
        return value
    }
}
