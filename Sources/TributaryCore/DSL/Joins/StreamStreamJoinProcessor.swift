/// One side of a stream-stream windowed join. Both sides run in the same task and share its stream time.
///
/// For a record of this side at `t` (key `k`):
/// 1. if `t + grace < streamTime` it is late: dropped and counted (``LateRecordHandler``);
/// 2. closed unmatched records (see ``JoinWindows``) are emitted from the outer store and removed from it;
/// 3. it joins every other-side record of `k` stored at `[t - lookBehind, t + lookAhead]`; each result has the
///    later of the two timestamps, and every matched other-side entry leaves the outer store;
/// 4. it is added to this side's window store (values of one key and time kept as a ``RecordValueList``),
///    and, when it matched nothing and this side emits unmatched records, to the outer store.
///
/// Invariant: an entry is in the outer store iff it is a record of a side that emits unmatched records, it has
/// matched nothing so far, and its window has not closed (closed entries are emitted before any join work of
/// the next record). Since a record that is not late is at most `grace` behind stream time, it can never match
/// an entry that was already emitted as unmatched, so every null result is final.
final class StreamStreamJoinProcessor<Key, Value, Out>: Processor {
    typealias KeyIn = Key
    typealias ValueIn = Value
    typealias KeyOut = Key
    typealias ValueOut = Out

    private let side: JoinSide
    private let config: StreamStreamJoinConfig
    private let keySerde: Serde<Key>
    private let valueSerde: Serde<Value>
    /// Joins this side's record with one other-side value (as bytes).
    private let join: @Sendable (Key, Value, [UInt8]?) throws -> Out
    /// The result for an unmatched entry of the outer store: `(key, side, value bytes)`.
    private let unmatched: @Sendable (Key, JoinSide, [UInt8]?) throws -> Out
    private let late: LateRecordHandler
    private var thisStore: WindowBytesStore!
    private var otherStore: WindowBytesStore!
    private var outerStore: KeyValueBytesStore?
    private var context: ProcessorContext<Key, Out>!
    /// Shared by both sides of the join in this task: a lower bound of the outer store's record times.
    private var tracker = UnmatchedTracker()
    private var lastExpiry = Int64.min
    private var recordsSinceExpiry = 0

    init(
        side: JoinSide, config: StreamStreamJoinConfig, keySerde: Serde<Key>, valueSerde: Serde<Value>,
        join: @escaping @Sendable (Key, Value, [UInt8]?) throws -> Out,
        unmatched: @escaping @Sendable (Key, JoinSide, [UInt8]?) throws -> Out
    ) {
        self.side = side
        self.config = config
        self.keySerde = keySerde
        self.valueSerde = valueSerde
        self.join = join
        self.unmatched = unmatched
        self.late = LateRecordHandler(policy: config.lateRecords, node: config.node, graceMs: config.windows.graceMs)
    }

    private var lookBehind: Int64 { side == .left ? config.windows.beforeMs : config.windows.afterMs }
    private var lookAhead: Int64 { side == .left ? config.windows.afterMs : config.windows.beforeMs }

    private func lookAhead(of entrySide: JoinSide) -> Int64 {
        entrySide == .left ? config.windows.afterMs : config.windows.beforeMs
    }

    private var emitsUnmatched: Bool { side == .left ? config.emitUnmatchedLeft : config.emitUnmatchedRight }

    func initialize(context: ProcessorContext<Key, Out>) throws {
        self.context = context
        let (mine, theirs) = side == .left ? (config.leftStore, config.rightStore) : (config.rightStore, config.leftStore)
        thisStore = try context.task.store(mine, for: context.nodeName, as: WindowBytesStore.self)
        otherStore = try context.task.store(theirs, for: context.nodeName, as: WindowBytesStore.self)
        if let outer = config.outerStore {
            let store = try context.task.store(outer, for: context.nodeName, as: KeyValueBytesStore.self)
            outerStore = store
            if let shared = context.task.sharedState[outer] as? UnmatchedTracker {
                tracker = shared
            } else {
                context.task.sharedState[outer] = tracker
            }
        }
    }

    func process(_ record: Record<Key, Value>) throws {
        let streamTime = context.streamTime
        let t = record.timestamp
        let (graceLimit, overflow) = t.addingReportingOverflow(config.windows.graceMs)
        if !overflow && graceLimit < streamTime {
            try late.drop(
                timestamp: t,
                message: "late join record at \(t): more than grace \(config.windows.graceMs) ms behind stream time "
                    + "\(streamTime)",
                task: context.task)
            return
        }
        try emitClosedUnmatched(streamTime: streamTime)
        guard let key = try keySerde.serializeOptional(record.key) else {
            // Kafka Streams drops null-keyed records from joins; our keys are never null once typed, but a
            // serde may still map a key to Kafka null.
            return
        }
        let value = try valueSerde.serializeOptional(record.value)
        var matched = false
        for (otherTime, list) in try otherStore.fetch(key, from: t - lookBehind, to: t + lookAhead) {
            matched = true
            for otherValue in try RecordValueList.decode(list) {
                let result = try join(record.key, record.value, otherValue)
                try context.forward(
                    Record(key: record.key, value: result, timestamp: max(t, otherTime), headers: record.headers))
            }
            if let outerStore {
                let otherSide: JoinSide = side == .left ? .right : .left
                let outerKey = OuterJoinStoreLayout.encode(time: otherTime, side: otherSide, key: key)
                if try outerStore.get(outerKey) != nil { try outerStore.delete(outerKey) }
            }
        }
        var values = try thisStore.fetch(key, windowStart: t).map(RecordValueList.decode) ?? []
        values.append(value)
        try thisStore.put(key, windowStart: t, RecordValueList.encode(values))
        if !matched, emitsUnmatched, let outerStore {
            let outerKey = OuterJoinStoreLayout.encode(time: t, side: side, key: key)
            var pending = try outerStore.get(outerKey).map(RecordValueList.decode) ?? []
            pending.append(value)
            try outerStore.put(outerKey, RecordValueList.encode(pending))
            tracker.earliest = min(tracker.earliest, t)
        }
        try expireIfDue(streamTime: streamTime)
    }

    /// Emits (in time, side, key order) and removes every outer-store entry whose window has closed:
    /// `time + lookAhead(side) + grace < streamTime`.
    private func emitClosedUnmatched(streamTime: Int64) throws {
        guard let outerStore else { return }
        if !tracker.loaded {
            // Read lazily, after any restoration of the store from its changelog.
            tracker.loaded = true
            let first = try outerStore.range(from: nil, to: nil, reverse: false).first
            tracker.earliest = min(tracker.earliest, first.flatMap { OuterJoinStoreLayout.decode($0.key)?.time } ?? .max)
        }
        let minLookAhead = min(config.windows.beforeMs, config.windows.afterMs)
        guard tracker.earliest != .max, tracker.earliest + minLookAhead + config.windows.graceMs < streamTime else {
            return
        }
        var upper: [UInt8] = []
        // Entries with time < streamTime - grace - minLookAhead may be closed; later ones cannot be.
        OrderedKeyEncoding.appendTime(streamTime - config.windows.graceMs - minLookAhead, to: &upper)
        var remainingEarliest = Int64.max
        // Start at the tracker's lower bound: below it the store holds nothing (only, in RocksDB, tombstones).
        var lower: [UInt8] = []
        OrderedKeyEncoding.appendTime(tracker.earliest, to: &lower)
        for entry in try outerStore.range(from: lower, to: upper, reverse: false) {
            guard let (time, entrySide, keyBytes) = OuterJoinStoreLayout.decode(entry.key) else { continue }
            guard time + lookAhead(of: entrySide) + config.windows.graceMs < streamTime else {
                remainingEarliest = min(remainingEarliest, time)
                continue
            }
            let key = try keySerde.deserializeOptional(keyBytes)
            for value in try RecordValueList.decode(entry.value) {
                try context.forward(Record(key: key, value: try unmatched(key, entrySide, value), timestamp: time))
            }
            try outerStore.delete(entry.key)
        }
        if remainingEarliest == .max {
            // Everything below the scan bound was emitted: the next entry, if any, is the earliest.
            let first = try outerStore.range(from: upper, to: nil, reverse: false).first
            remainingEarliest = first.flatMap { OuterJoinStoreLayout.decode($0.key)?.time } ?? .max
        }
        tracker.earliest = remainingEarliest
    }

    /// Drops window-store records no record that is not late can match: at most once per retention period and
    /// once per ``expiryIntervalRecords`` records of this side, since an expiry scans the whole store (in
    /// RocksDB, over the tombstones of earlier expiries too). Expired records are never returned by fetches
    /// anyway, so this only bounds the store's size: to a retention period plus that many records per key.
    private func expireIfDue(streamTime: Int64) throws {
        let retention = config.windows.retentionMs
        recordsSinceExpiry += 1
        if lastExpiry == .min {
            lastExpiry = streamTime
        } else if streamTime - lastExpiry >= max(retention, 1) && recordsSinceExpiry >= Self.expiryIntervalRecords {
            lastExpiry = streamTime
            recordsSinceExpiry = 0
            try thisStore.expire(before: streamTime - retention)
        }
    }

    /// The fewest records of one side between two expiries of its window store.
    static var expiryIntervalRecords: Int { 10_000 }
}
