import Foundation
import TributaryCore

/// A task's view of the gazetteer global table (``GeoRiskTopology/gazetteerStore``) as a ``Gazetteer``, rebuilt
/// when the table has changed since the last rebuild, so an alias added to the topic applies to the next record
/// without a redeploy.
///
/// The result depends on the table's contents only, never on which updates a task saw: a term that the entries
/// give to two codes (or to a code and the blockers) counts for neither, and a term without letters or digits is
/// skipped; each such term is reported on standard error when the table is rebuilt. An empty table gives an empty
/// gazetteer (no Wikipedia edit counts for a country, and signals carry no country names).
final class GazetteerTable {
    private let store: GlobalKeyValueStore<String, GazetteerEntry>
    private var cached = try! Gazetteer(countries: [])  // cannot fail: no terms
    private var cachedChangeCount: UInt64?

    init<K, V>(context: ProcessorContext<K, V>) throws {
        store = try context.globalKeyValueStore(
            GeoRiskTopology.gazetteerStore, key: .string, value: .json(GazetteerEntry.self))
    }

    /// The gazetteer as of the table's current contents.
    func current() throws -> Gazetteer {
        let changeCount = store.changeCount
        if changeCount == cachedChangeCount { return cached }
        cached = Self.gazetteer(of: try store.all().map { (code: $0.key, entry: $0.value) })
        cachedChangeCount = changeCount
        return cached
    }

    /// The gazetteer of `entries` without the terms that make them invalid.
    static func gazetteer(of entries: [(code: String, entry: GazetteerEntry)]) -> Gazetteer {
        var entries = entries
        // Each failure removes at least one term, so this ends.
        while true {
            let dropped: [String]
            do {
                return try Gazetteer(entries: entries)
            } catch .sharedTerm(let term, let codes) {
                dropped = Gazetteer.tokens(term)
                report("term '\(term)' is given to \(codes.joined(separator: " and ")); it counts for neither")
            } catch .emptyTerm(let code, let term) {
                dropped = Gazetteer.tokens(term)
                report("term '\(term)' of \(code) has no letters or digits; skipped")
            } catch {
                report("\(error); using an empty gazetteer")
                return try! Gazetteer(countries: [])
            }
            for index in entries.indices {
                entries[index].entry.terms.removeAll { Gazetteer.tokens($0) == dropped }
            }
        }
    }

    private static func report(_ problem: String) {
        FileHandle.standardError.write(Data("georisk: gazetteer table: \(problem)\n".utf8))
    }
}
