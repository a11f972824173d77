import TributaryCore

/// The columns of one GDELT 2.0 export row that GeoRisk reads, from the JSON the GDELT connector writes to
/// `gdelt.events` (keys are GDELT's column names; empty fields are `null`).
///
/// GLOBALEVENTID and DATEADDED are required; a record without them, or with a field of the wrong type, is a
/// deserialization error (dead-lettered). Missing numbers count as 0 in the aggregates, a missing QuadClass as
/// neither conflict class. The same keys (absent instead of `null`) carry the row through the repartition topic.
public struct GDELTRow: Codable, Sendable, Equatable {
    /// `GLOBALEVENTID`.
    public var globalEventID: Int64
    /// `DATEADDED`: the 15-minute slot the row was published in, `YYYYMMDDHHMMSS` UTC; the event time.
    public var dateAdded: Int64
    /// `ActionGeo_CountryCode`: FIPS 10-4 code of where the action happened.
    public var actionGeoCountryCode: String?
    /// `EventCode`: full CAMEO action code (a string: `010` is not `10`).
    public var eventCode: String?
    /// `QuadClass`: 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict.
    public var quadClass: Int?
    /// `GoldsteinScale`, −10 … +10.
    public var goldsteinScale: Double?
    /// `NumMentions` in the first 15 minutes.
    public var numMentions: Int64?
    /// `AvgTone`.
    public var avgTone: Double?
    /// `Actor1Name`.
    public var actor1Name: String?
    /// `Actor2Name`.
    public var actor2Name: String?
    /// `SOURCEURL`.
    public var sourceURL: String?

    /// Creates a row.
    public init(
        globalEventID: Int64, dateAdded: Int64, actionGeoCountryCode: String?, eventCode: String? = nil,
        quadClass: Int? = nil, goldsteinScale: Double? = nil, numMentions: Int64? = nil, avgTone: Double? = nil,
        actor1Name: String? = nil, actor2Name: String? = nil, sourceURL: String? = nil
    ) {
        self.globalEventID = globalEventID
        self.dateAdded = dateAdded
        self.actionGeoCountryCode = actionGeoCountryCode
        self.eventCode = eventCode
        self.quadClass = quadClass
        self.goldsteinScale = goldsteinScale
        self.numMentions = numMentions
        self.avgTone = avgTone
        self.actor1Name = actor1Name
        self.actor2Name = actor2Name
        self.sourceURL = sourceURL
    }

    /// Reads the fields from the connector's JSON object, with the same results and errors as the `Codable`
    /// conformance, without its cost.
    public init(json: JSONValue) throws {
        globalEventID = try json.int64(CodingKeys.globalEventID.rawValue)
        dateAdded = try json.int64(CodingKeys.dateAdded.rawValue)
        actionGeoCountryCode = try json.optionalString(CodingKeys.actionGeoCountryCode.rawValue)
        eventCode = try json.optionalString(CodingKeys.eventCode.rawValue)
        quadClass = try json.optionalInt(CodingKeys.quadClass.rawValue)
        goldsteinScale = try json.optionalDouble(CodingKeys.goldsteinScale.rawValue)
        numMentions = try json.optionalInt64(CodingKeys.numMentions.rawValue)
        avgTone = try json.optionalDouble(CodingKeys.avgTone.rawValue)
        actor1Name = try json.optionalString(CodingKeys.actor1Name.rawValue)
        actor2Name = try json.optionalString(CodingKeys.actor2Name.rawValue)
        sourceURL = try json.optionalString(CodingKeys.sourceURL.rawValue)
    }

    enum CodingKeys: String, CodingKey {
        case globalEventID = "GLOBALEVENTID"
        case dateAdded = "DATEADDED"
        case actionGeoCountryCode = "ActionGeo_CountryCode"
        case eventCode = "EventCode"
        case quadClass = "QuadClass"
        case goldsteinScale = "GoldsteinScale"
        case numMentions = "NumMentions"
        case avgTone = "AvgTone"
        case actor1Name = "Actor1Name"
        case actor2Name = "Actor2Name"
        case sourceURL = "SOURCEURL"
    }

    /// Whether the row is verbal or material conflict (QuadClass 3 or 4).
    public var isConflict: Bool { quadClass == 3 || quadClass == 4 }

    /// NumMentions × max(0, −GoldsteinScale): how many early mentions, weighted by how destabilising the event
    /// type is. Severity sums it over conflict rows; top events rank rows by it.
    public var conflictWeight: Double {
        Double(numMentions ?? 0) * max(0, -(goldsteinScale ?? 0))
    }

    /// DATEADDED in ms since the epoch, or `nil` if it is not a valid `YYYYMMDDHHMMSS` UTC time.
    public var eventTimeMs: Int64? { Self.milliseconds(dateAdded: dateAdded) }

    /// A `YYYYMMDDHHMMSS` UTC time (years 1970–9999) in ms since the epoch; `nil` if any part is out of range.
    public static func milliseconds(dateAdded: Int64) -> Int64? {
        guard dateAdded >= 1970_01_01_00_00_00, dateAdded <= 9999_12_31_23_59_59 else { return nil }
        let second = dateAdded % 100, minute = dateAdded / 100 % 100, hour = dateAdded / 10_000 % 100
        let day = dateAdded / 1_000_000 % 100, month = dateAdded / 100_000_000 % 100, year = dateAdded / 10_000_000_000
        guard (1...12).contains(month), hour < 24, minute < 60, second < 60 else { return nil }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let monthDays: [Int64] = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day >= 1, day <= monthDays[Int(month) - 1] else { return nil }
        // Days from 1970-01-01 (Howard Hinnant's days_from_civil).
        let y = month <= 2 ? year - 1 : year
        let era = y / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1_000
    }
}
