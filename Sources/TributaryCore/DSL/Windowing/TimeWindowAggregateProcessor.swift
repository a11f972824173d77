/// Folds each record into every open ``TimeWindows`` window that contains it, forwarding each window's new value.
///
/// Windows whose end + grace <= stream time are closed and never updated again; a record all of whose windows
/// are closed is dropped as late (``LateRecordHandler``). A hopping record with only some windows closed
/// updates the open ones.
final class TimeWindowAggregateProcessor<Key, Value, Aggregate>: Processor {
    private let storeName: String
    private let windows: TimeWindows
    private let keySerde: Serde<Key>
    private let aggregateSerde: Serde<Aggregate>
    private let aggregator: @Sendable (Key, Value, Aggregate?) throws -> Aggregate
    private let late: LateRecordHandler
    private var store: WindowStore<Key, Aggregate>!
    private var context: ProcessorContext<Windowed<Key>, Aggregate?>!
    /// Stream time at the last expiry; expired windows are dropped at most once per retention period.
    private var lastExpiry = Int64.min

    init(
        store: String, windows: TimeWindows, keySerde: Serde<Key>, aggregateSerde: Serde<Aggregate>,
        late: LateRecordHandler, aggregator: @escaping @Sendable (Key, Value, Aggregate?) throws -> Aggregate
    ) {
        self.storeName = store
        self.windows = windows
        self.keySerde = keySerde
        self.aggregateSerde = aggregateSerde
        self.late = late
        self.aggregator = aggregator
    }

    func initialize(context: ProcessorContext<Windowed<Key>, Aggregate?>) throws {
        self.context = context
        store = try context.windowStore(storeName, key: keySerde, value: aggregateSerde)
    }

    func process(_ record: Record<Key, Value>) throws {
        let streamTime = context.streamTime
        let starts = windows.windowStarts(containing: record.timestamp)
        let open = starts.filter {
            !windowIsClosed(end: $0 + windows.sizeMs, graceMs: windows.graceMs, streamTime: streamTime)
        }
        guard !open.isEmpty else {
            let start = starts.last ?? record.timestamp
            try late.drop(
                timestamp: record.timestamp, window: Window(start: start, end: start + windows.sizeMs), task: context.task)
            return
        }
        // Serialized once for every window it updates (a hopping record updates several).
        let key = try store.serializeKey(record.key)
        for start in open {
            let updated = try aggregator(record.key, record.value, try store.fetch(serializedKey: key, windowStart: start))
            try store.put(serializedKey: key, windowStart: start, updated)
            let windowed = Windowed(key: record.key, window: Window(start: start, end: start + windows.sizeMs))
            try context.forward(Record(key: windowed, value: updated, timestamp: record.timestamp, headers: record.headers))
        }
        if lastExpiry == .min {
            lastExpiry = streamTime
        } else if streamTime - lastExpiry >= windows.retentionMs {
            lastExpiry = streamTime
            // The latest window start is at least streamTime - size: no window the store still retains is dropped.
            try store.bytes.expire(before: streamTime - windows.sizeMs - windows.retentionMs)
        }
    }
}
