/// Maintains ``SlidingWindows`` aggregates: for a record at `t` it folds the value into every existing window
/// containing `t`, and creates the windows KIP-450 says must now exist — the record's left window
/// `[t - d, t]`, the right window of the previous record of the key when `t` falls in it, and (for out-of-order
/// records) the record's own right window `[t + 1, t + 1 + d]` when a later record falls in it.
///
/// A created window aggregates the records it contains, read from the companion store `<store>-records`
/// (record values per key and timestamp, retained for `d + grace + 1` ms), so out-of-order records give exactly
/// the aggregates in-order input would. Invariant: every window that should exist for the live records of a key
/// and is not closed is in the window store with the aggregate of exactly its records.
final class SlidingWindowAggregateProcessor<Key, Value, Aggregate>: Processor {
    private let storeName: String
    private let recordsStoreName: String
    private let windows: SlidingWindows
    private let keySerde: Serde<Key>
    private let valueSerde: Serde<Value>
    private let aggregateSerde: Serde<Aggregate>
    private let aggregator: @Sendable (Key, Value, Aggregate?) throws -> Aggregate
    private let late: LateRecordHandler
    private var store: WindowStore<Key, Aggregate>!
    private var records: WindowStore<Key, [UInt8]>!
    private var context: ProcessorContext<Windowed<Key>, Aggregate?>!
    private var lastExpiry = Int64.min

    init(
        store: String, recordsStore: String, windows: SlidingWindows, keySerde: Serde<Key>, valueSerde: Serde<Value>,
        aggregateSerde: Serde<Aggregate>, late: LateRecordHandler,
        aggregator: @escaping @Sendable (Key, Value, Aggregate?) throws -> Aggregate
    ) {
        self.storeName = store
        self.recordsStoreName = recordsStore
        self.windows = windows
        self.keySerde = keySerde
        self.valueSerde = valueSerde
        self.aggregateSerde = aggregateSerde
        self.late = late
        self.aggregator = aggregator
    }

    func initialize(context: ProcessorContext<Windowed<Key>, Aggregate?>) throws {
        self.context = context
        store = try context.windowStore(storeName, key: keySerde, value: aggregateSerde)
        records = try context.windowStore(recordsStoreName, key: keySerde, value: .bytes)
    }

    func process(_ record: Record<Key, Value>) throws {
        let t = record.timestamp
        let d = windows.timeDifferenceMs
        let streamTime = context.streamTime
        guard !windowIsClosed(end: t, graceMs: windows.graceMs, streamTime: streamTime) else {
            try late.drop(timestamp: t, window: Window(start: t - d, end: t), task: context.task)
            return
        }
        let key = record.key
        var values = try records.fetch(key, windowStart: t).map(RecordValueList.decode) ?? []
        values.append(try valueSerde.serializeOptional(record.value))
        try records.put(key, windowStart: t, RecordValueList.encode(values))

        var updates: [Int64: Aggregate] = [:]
        var existing: Set<Int64> = []
        for (start, aggregate) in try store.fetch(key, from: t - d, to: t) {
            existing.insert(start)
            updates[start] = try aggregator(key, record.value, aggregate)
        }
        var created: [Int64] = []
        if !existing.contains(t - d) { created.append(t - d) }
        if let previous = try records.fetch(key, from: t - 1 - d, to: t - 1).last?.windowStart,
            !existing.contains(previous + 1), previous + 1 != t - d
        {
            created.append(previous + 1)
        }
        if try store.fetch(key, windowStart: t + 1) == nil, try !records.fetch(key, from: t + 1, to: t + 1 + d).isEmpty {
            created.append(t + 1)
        }
        for start in created {
            var aggregate: Aggregate?
            for (_, list) in try records.fetch(key, from: start, to: start + d) {
                for bytes in try RecordValueList.decode(list) {
                    aggregate = try aggregator(key, try valueSerde.deserializeOptional(bytes), aggregate)
                }
            }
            if let aggregate { updates[start] = aggregate }
        }
        for start in updates.keys.sorted()
        where !windowIsClosed(end: start + d, graceMs: windows.graceMs, streamTime: streamTime) {
            try store.put(key, windowStart: start, updates[start]!)
            try context.forward(
                Record(
                    key: Windowed(key: key, window: Window(start: start, end: start + d)), value: updates[start]!,
                    timestamp: t, headers: record.headers))
        }
        if lastExpiry == .min {
            lastExpiry = streamTime
        } else if streamTime - lastExpiry >= windows.retentionMs {
            lastExpiry = streamTime
            // The latest window start and record time are at least streamTime - d: nothing retained is dropped.
            try store.bytes.expire(before: streamTime - d - windows.retentionMs)
            try records.bytes.expire(before: streamTime - d - windows.retentionMs)
        }
    }
}
