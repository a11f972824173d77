/// Folds each record into the session of its key it falls in, merging every session it bridges.
///
/// For a record at `t`, the sessions with `end >= t - gap` and `start <= t + gap` merge with `[t, t]` into one
/// session; its aggregate is `initializer()` merged with each of them in end order, then the record folded in.
/// Each merged-away session is removed from the store and emitted as `nil`, then the merged session is emitted.
/// When the merged session is closed (end + grace <= stream time) the record is dropped as late instead.
final class SessionWindowAggregateProcessor<Key, Value, Aggregate>: Processor {
    private let storeName: String
    private let windows: SessionWindows
    private let keySerde: Serde<Key>
    private let aggregateSerde: Serde<Aggregate>
    private let initializer: @Sendable () -> Aggregate?
    private let aggregator: @Sendable (Key, Value, Aggregate?) throws -> Aggregate
    private let merger: @Sendable (Key, Aggregate?, Aggregate) throws -> Aggregate
    private let late: LateRecordHandler
    private var store: SessionStore<Key, Aggregate>!
    private var context: ProcessorContext<Windowed<Key>, Aggregate?>!
    private var lastExpiry = Int64.min

    init(
        store: String, windows: SessionWindows, keySerde: Serde<Key>, aggregateSerde: Serde<Aggregate>,
        late: LateRecordHandler, initializer: @escaping @Sendable () -> Aggregate?,
        aggregator: @escaping @Sendable (Key, Value, Aggregate?) throws -> Aggregate,
        merger: @escaping @Sendable (Key, Aggregate?, Aggregate) throws -> Aggregate
    ) {
        self.storeName = store
        self.windows = windows
        self.keySerde = keySerde
        self.aggregateSerde = aggregateSerde
        self.late = late
        self.initializer = initializer
        self.aggregator = aggregator
        self.merger = merger
    }

    func initialize(context: ProcessorContext<Windowed<Key>, Aggregate?>) throws {
        self.context = context
        store = try context.sessionStore(storeName, key: keySerde, value: aggregateSerde)
    }

    func process(_ record: Record<Key, Value>) throws {
        let t = record.timestamp
        let gap = windows.inactivityGapMs
        let found = try store.findSessions(record.key, earliestEnd: t - gap, latestStart: t + gap)
        var merged = SessionWindow(start: t, end: t)
        var aggregate = initializer()
        for (session, value) in found {
            merged = SessionWindow(start: min(merged.start, session.start), end: max(merged.end, session.end))
            aggregate = try merger(record.key, aggregate, value)
        }
        let streamTime = context.streamTime
        guard !windowIsClosed(end: merged.end, graceMs: windows.graceMs, streamTime: streamTime) else {
            try late.drop(timestamp: t, window: Window(start: merged.start, end: merged.end), task: context.task)
            return
        }
        let updated = try aggregator(record.key, record.value, aggregate)
        for (session, _) in found where session != merged {
            try store.remove(record.key, session: session)
            try context.forward(
                Record(
                    key: Windowed(key: record.key, window: Window(start: session.start, end: session.end)), value: nil,
                    timestamp: t, headers: record.headers))
        }
        try store.put(record.key, session: merged, updated)
        try context.forward(
            Record(
                key: Windowed(key: record.key, window: Window(start: merged.start, end: merged.end)), value: updated,
                timestamp: t, headers: record.headers))
        if lastExpiry == .min {
            lastExpiry = streamTime
        } else if streamTime - lastExpiry >= windows.retentionMs {
            lastExpiry = streamTime
            try store.bytes.expire(before: streamTime - windows.retentionMs)
        }
    }
}
