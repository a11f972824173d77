import TributaryCore

/// Turns a final windowed aggregate of one country into a ``CountryWindow`` keyed by the country code, named from
/// the gazetteer table; a tombstone stays a tombstone.
final class CountryWindowProcessor<State, Aggregate: Codable & Sendable & Equatable>: Processor {
    typealias KeyIn = Windowed<String>
    typealias ValueIn = State?
    typealias KeyOut = String
    typealias ValueOut = CountryWindow<Aggregate>?

    private let aggregate: @Sendable (State) -> Aggregate
    private var context: ProcessorContext<String, CountryWindow<Aggregate>?>!
    private var gazetteer: GazetteerTable!

    init(aggregate: @escaping @Sendable (State) -> Aggregate) {
        self.aggregate = aggregate
    }

    func initialize(context: ProcessorContext<String, CountryWindow<Aggregate>?>) throws {
        self.context = context
        gazetteer = try GazetteerTable(context: context)
    }

    func process(_ record: Record<Windowed<String>, State?>) throws {
        let country = record.key.key
        let name = try gazetteer.current().name(of: country)
        let value = record.value.map {
            CountryWindow(country: country, name: name, window: record.key.window, aggregate: aggregate($0))
        }
        try context.forward(Record(key: country, value: value, timestamp: record.timestamp, headers: record.headers))
    }
}
