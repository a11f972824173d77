/// One side of a table-table join: on each change of its table, recomputes the joined value of that key from
/// the new value and the other table's current value, and keeps the result table up to date.
///
/// Invariant: after every change of either input, the result store holds `compute(left(k), right(k))` for the
/// changed key, or nothing when that is `nil`; a change is forwarded (a `nil` value for a delete) only when
/// it changes the result store, so a delete of a key the result never held emits nothing.
///
/// With an ``WindowedJoinExpiry`` (joins of windowed tables), entries of windows whose end + grace is at most the
/// task's stream time are deleted from this side's copy store (and, on the side that `expiresResults`, from the
/// result store) at a stream-time punctuation, without forwarding anything: such a window's aggregates never change
/// again, so neither can its joined value, and the stores hold only the windows that can still change.
final class TableTableJoinProcessor<Key, Value, Result>: Processor {
    typealias KeyIn = Key
    typealias ValueIn = Value?
    typealias KeyOut = Key
    typealias ValueOut = Result?

    private let keySerde: Serde<Key>
    private let valueSerde: Serde<Value>
    private let resultSerde: Serde<Result>
    /// This side's own copy of its table, when the table has no key-value store of its values to read.
    private let copyStoreName: String?
    private let otherStoreName: String
    private let resultStoreName: String
    /// The joined value for a key from this side's new value and the other side's current value (bytes).
    private let compute: @Sendable (Key, Value?, [UInt8]?) throws -> Result?
    private let expiry: WindowedJoinExpiry<Key>?
    private var copyStore: KeyValueBytesStore?
    private var otherStore: KeyValueBytesStore!
    private var resultStore: KeyValueStore<Key, Result>!
    private var context: ProcessorContext<Key, Result?>!

    init(
        keySerde: Serde<Key>, valueSerde: Serde<Value>, resultSerde: Serde<Result>, copyStore: String?,
        otherStore: String, resultStore: String, expiry: WindowedJoinExpiry<Key>?,
        compute: @escaping @Sendable (Key, Value?, [UInt8]?) throws -> Result?
    ) {
        self.expiry = expiry
        self.keySerde = keySerde
        self.valueSerde = valueSerde
        self.resultSerde = resultSerde
        self.copyStoreName = copyStore
        self.otherStoreName = otherStore
        self.resultStoreName = resultStore
        self.compute = compute
    }

    func initialize(context: ProcessorContext<Key, Result?>) throws {
        self.context = context
        if let copyStoreName {
            copyStore = try context.task.store(copyStoreName, for: context.nodeName, as: KeyValueBytesStore.self)
        }
        otherStore = try context.task.store(otherStoreName, for: context.nodeName, as: KeyValueBytesStore.self)
        resultStore = try context.keyValueStore(resultStoreName, key: keySerde, value: resultSerde)
        if let expiry {
            let resultBytes = try context.task.store(resultStoreName, for: context.nodeName, as: KeyValueBytesStore.self)
            let stores = [copyStore, expiry.expiresResults ? resultBytes : nil].compactMap { $0 }
            if !stores.isEmpty {
                context.schedule(every: .milliseconds(WindowedJoinExpiry<Key>.intervalMs), type: .streamTime) {
                    [unowned self] now in try self.expire(stores, expiry: expiry, streamTime: now)
                }
            }
        }
    }

    private func expire(_ stores: [KeyValueBytesStore], expiry: WindowedJoinExpiry<Key>, streamTime: Int64) throws {
        let (limit, overflow) = streamTime.subtractingReportingOverflow(expiry.graceMs)
        guard !overflow else { return }
        for store in stores {
            for entry in try store.all() where expiry.windowEnd(try keySerde.deserializeOptional(entry.key)) <= limit {
                try store.delete(entry.key)
            }
        }
    }

    func process(_ record: Record<Key, Value?>) throws {
        guard let key = try keySerde.serializeOptional(record.key) else { throw SerdeError.unexpectedNull }
        if let copyStore {
            if let value = record.value, let bytes = try valueSerde.serializeOptional(value) {
                try copyStore.put(key, bytes)
            } else {
                try copyStore.delete(key)
            }
        }
        let result = try compute(record.key, record.value, try otherStore.get(key))
        if let result {
            try resultStore.put(record.key, result)
        } else {
            guard try resultStore.get(record.key) != nil else { return }
            try resultStore.delete(record.key)
        }
        try context.forward(Record(key: record.key, value: result, timestamp: record.timestamp, headers: record.headers))
    }
}
