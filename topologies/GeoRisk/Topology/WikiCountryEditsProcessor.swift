import TributaryCore

/// Turns a recent change into one (country, edit) record per country its title names, matching against the
/// gazetteer table as it is when the record is processed; forwards nothing for a change GeoRisk does not count
/// (see ``WikiChange/isHumanArticleEdit``).
final class WikiCountryEditsProcessor<Key>: Processor {
    typealias KeyIn = Key
    typealias ValueIn = WikiChange
    typealias KeyOut = String
    typealias ValueOut = WikiCountryEdit

    private var context: ProcessorContext<String, WikiCountryEdit>!
    private var gazetteer: GazetteerTable!

    func initialize(context: ProcessorContext<String, WikiCountryEdit>) throws {
        self.context = context
        gazetteer = try GazetteerTable(context: context)
    }

    func process(_ record: Record<Key, WikiChange>) throws {
        let change = record.value
        guard change.isHumanArticleEdit else { return }
        for (country, edit) in GeoRiskTopology.countryEdits(change, gazetteer: try gazetteer.current()) {
            try context.forward(Record(key: country, value: edit, timestamp: record.timestamp, headers: record.headers))
        }
    }
}
