import TributaryCore

/// One country's final aggregate of one window, as GeoRisk writes it to its per-side window topics.
///
/// JSON: `{"country":"UP","name":"Ukraine","start":"2025-05-16T02:00:00.000Z","end":"2025-05-16T02:15:00.000Z",
/// "startMs":...,"endMs":...,"aggregate":{...}}`; the window is `[start, end)`.
public struct CountryWindow<Aggregate: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
    /// FIPS 10-4 country code.
    public var country: String
    /// The gazetteer's name of the country; `nil` for a code it lacks.
    public var name: String?
    /// Window start, ISO-8601 UTC.
    public var start: String
    /// Window end (exclusive), ISO-8601 UTC.
    public var end: String
    /// Window start, ms since the epoch.
    public var startMs: Int64
    /// Window end, ms since the epoch.
    public var endMs: Int64
    /// The statistics.
    public var aggregate: Aggregate

    /// The aggregate of `country` in `window`.
    public init(country: String, name: String?, window: Window, aggregate: Aggregate) {
        self.country = country
        self.name = name
        self.start = ISO8601Timestamp.format(window.start)
        self.end = ISO8601Timestamp.format(window.end)
        self.startMs = window.start
        self.endMs = window.end
        self.aggregate = aggregate
    }
}
