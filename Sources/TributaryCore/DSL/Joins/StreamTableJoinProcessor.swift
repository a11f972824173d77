/// Joins each stream record with the current value of a table (a task store, or a global store) for a key.
///
/// The table is read as it is when the record is processed: with timestamp-ordered tasks that is the table as of
/// the record's time, up to records of equal time (no versioned lookup: a table update older than the stream
/// record that arrives after it is not seen). Table updates never trigger output.
final class StreamTableJoinProcessor<Key, Value, LookupKey, Result>: Processor {
    typealias KeyIn = Key
    typealias ValueIn = Value
    typealias KeyOut = Key
    typealias ValueOut = Result

    enum Lookup: Sendable {
        /// A store of this task, connected to the node.
        case task(String)
        /// A global store, holding every partition of its topic.
        case global(String)
    }

    private let lookup: Lookup
    private let lookupKeySerde: Serde<LookupKey>
    private let keySelector: @Sendable (Key, Value) throws -> LookupKey
    /// The result for a record and the table's value bytes (`nil` when absent); `nil` emits nothing.
    private let join: @Sendable (Key, Value, [UInt8]?) throws -> Result?
    private var table: KeyValueBytesStore!
    private var context: ProcessorContext<Key, Result>!

    init(
        lookup: Lookup, lookupKeySerde: Serde<LookupKey>, keySelector: @escaping @Sendable (Key, Value) throws -> LookupKey,
        join: @escaping @Sendable (Key, Value, [UInt8]?) throws -> Result?
    ) {
        self.lookup = lookup
        self.lookupKeySerde = lookupKeySerde
        self.keySelector = keySelector
        self.join = join
    }

    func initialize(context: ProcessorContext<Key, Result>) throws {
        self.context = context
        switch lookup {
        case .task(let name):
            table = try context.task.store(name, for: context.nodeName, as: KeyValueBytesStore.self)
        case .global(let name):
            guard let store = context.task.globalStores[name] else {
                throw TopologyError.storeNotConnected(node: context.nodeName, store: name)
            }
            table = store
        }
    }

    func process(_ record: Record<Key, Value>) throws {
        let lookupKey = try lookupKeySerde.serializeOptional(try keySelector(record.key, record.value))
        let tableValue = try lookupKey.flatMap { try table.get($0) }
        guard let result = try join(record.key, record.value, tableValue) else { return }
        try context.forward(record.withValue(result))
    }
}
