/// GDELT statistics of one country in one 15-minute window: the GDELT side of a risk signal.
///
/// Counted over the rows with that `ActionGeo_CountryCode` whose DATEADDED falls in the window. Sums of
/// doubles depend on the order rows arrive in only in their last bits.
public struct GDELTWindowStats: Codable, Sendable, Equatable {
    /// Rows.
    public var events: Int64 = 0
    /// Rows with QuadClass 3 or 4 (verbal or material conflict).
    public var conflictEvents: Int64 = 0
    /// Rows with QuadClass 4 (material conflict).
    public var materialConflictEvents: Int64 = 0
    /// Sum of NumMentions.
    public var mentions: Int64 = 0
    /// Sum of GoldsteinScale.
    public var goldsteinSum: Double = 0
    /// Sum of AvgTone.
    public var toneSum: Double = 0
    /// Sum over conflict rows of NumMentions × max(0, −GoldsteinScale) (``GDELTRow/conflictWeight``).
    public var severity: Double = 0
    /// Up to ``maxTopEvents`` rows with the highest ``GDELTRow/conflictWeight``, highest first, ties by
    /// GLOBALEVENTID ascending. Any row can be one, so a quiet window lists rows of weight 0.
    public var topEvents: [GDELTTopEvent] = []

    /// How many top events a window keeps.
    public static let maxTopEvents = 3

    /// Empty statistics.
    public init() {}

    /// These statistics with `row` counted.
    public func adding(_ row: GDELTRow) -> GDELTWindowStats {
        var next = self
        let weight = row.conflictWeight
        next.events += 1
        if row.isConflict {
            next.conflictEvents += 1
            next.severity += weight
        }
        if row.quadClass == 4 { next.materialConflictEvents += 1 }
        next.mentions += row.numMentions ?? 0
        next.goldsteinSum += row.goldsteinScale ?? 0
        next.toneSum += row.avgTone ?? 0
        let event = GDELTTopEvent(row: row, weight: weight)
        if next.topEvents.count < Self.maxTopEvents || event.ranksBefore(next.topEvents[next.topEvents.count - 1]) {
            let position = next.topEvents.firstIndex { event.ranksBefore($0) } ?? next.topEvents.count
            next.topEvents.insert(event, at: position)
            if next.topEvents.count > Self.maxTopEvents { next.topEvents.removeLast() }
        }
        return next
    }
}

/// One of a window's top GDELT events: the explanation of its severity.
public struct GDELTTopEvent: Codable, Sendable, Equatable {
    /// `GLOBALEVENTID`.
    public var globalEventID: Int64
    /// CAMEO `EventCode`.
    public var eventCode: String?
    /// `Actor1Name`.
    public var actor1Name: String?
    /// `Actor2Name`.
    public var actor2Name: String?
    /// `SOURCEURL`.
    public var sourceURL: String?
    /// `NumMentions`.
    public var numMentions: Int64
    /// `GoldsteinScale`.
    public var goldsteinScale: Double
    /// NumMentions × max(0, −GoldsteinScale), the ranking weight.
    public var weight: Double

    /// The top-event entry of `row`.
    public init(row: GDELTRow, weight: Double) {
        globalEventID = row.globalEventID
        eventCode = row.eventCode
        actor1Name = row.actor1Name
        actor2Name = row.actor2Name
        sourceURL = row.sourceURL
        numMentions = row.numMentions ?? 0
        goldsteinScale = row.goldsteinScale ?? 0
        self.weight = weight
    }

    /// Higher weight first, then lower GLOBALEVENTID.
    func ranksBefore(_ other: GDELTTopEvent) -> Bool {
        weight != other.weight ? weight > other.weight : globalEventID < other.globalEventID
    }
}
