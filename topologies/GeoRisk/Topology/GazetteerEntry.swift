/// One record of the gazetteer topic (``GeoRiskTopology/gazetteerTopic``): the value for a country code, or for
/// the key ``blockersKey`` the blocker phrases.
///
/// JSON: `{"name":"Ukraine","terms":["Ukraine","Ukrainian","Ukrainians"]}`. The topic is compacted, so the latest
/// record per code is the entry; a tombstone removes the code.
public struct GazetteerEntry: Codable, Sendable, Equatable {
    /// The key under which the blocker phrases are kept (the TSV file's code `-`).
    public static let blockersKey = "-"

    /// Display name of the country (`"blockers"` for the blockers' entry).
    public var name: String
    /// Names, aliases and demonyms (blocker phrases for the blockers' entry).
    public var terms: [String]

    /// Creates an entry.
    public init(name: String, terms: [String]) {
        self.name = name
        self.terms = terms
    }
}

extension Gazetteer {
    /// The gazetteer as topic records, sorted by key: one per country code, and the blockers under
    /// ``GazetteerEntry/blockersKey`` when there are any.
    public var entries: [(code: String, entry: GazetteerEntry)] {
        var entries = countries.map { ($0.code, GazetteerEntry(name: $0.name, terms: $0.terms)) }
        if !blockers.isEmpty { entries.append((GazetteerEntry.blockersKey, GazetteerEntry(name: "blockers", terms: blockers))) }
        return entries.sorted { $0.0 < $1.0 }
    }

    /// A gazetteer of topic records (see ``entries``).
    ///
    /// - Throws: what ``init(countries:blockers:)`` rejects.
    public init(entries: [(code: String, entry: GazetteerEntry)]) throws(GazetteerError) {
        var countries: [Country] = []
        var blockers: [String] = []
        for (code, entry) in entries {
            if code == GazetteerEntry.blockersKey {
                blockers += entry.terms
            } else {
                countries.append(Country(code: code, name: entry.name, terms: entry.terms))
            }
        }
        try self.init(countries: countries, blockers: blockers)
    }
}
