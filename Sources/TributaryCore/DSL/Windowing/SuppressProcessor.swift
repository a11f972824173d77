/// Buffers the updates of a windowed table and forwards each window's last value once, when it closes
/// (see ``Suppressed`` for the rule).
///
/// Buffer layout (a key-value store, changelogged): entry key = window end (``OrderedKeyEncoding`` time) +
/// serialized windowed key, so closed windows are one range scan in end order; entry value = 8-byte record
/// timestamp + serialized value. The empty key holds `closedThrough`, the suppression's time.
///
/// Invariant: every window with `end + grace <= closedThrough` has been forwarded exactly once and is not in
/// the buffer; updates for such windows are discarded. `closedThrough` never decreases. The stored
/// `closedThrough` is written with each emission (not each advance): it is then at least the time of every
/// emission, which is all that "never twice" needs after a restart.
///
/// `bufferedEnds` counts the buffered entries per window end (rebuilt from the store at initialization), so an
/// advance of time scans the store only when some window is due, and only from the earliest due end: the
/// tombstones of windows emitted earlier are never scanned again.
final class SuppressProcessor<Inner, Value>: Processor {
    private let storeName: String
    private let graceMs: Int64
    private let wallClockCloseAfterMs: Int64?
    private let keySerde: Serde<Windowed<Inner>>
    private let valueSerde: Serde<Value>
    private var buffer: KeyValueBytesStore!
    private var context: ProcessorContext<Windowed<Inner>, Value?>!
    private var closedThrough = Int64.min
    /// Stream time and wall-clock time when the suppression last saw activity (an update, or stream time moving).
    private var lastStreamTime = Int64.min
    private var lastActivityWallMs: Int64 = 0
    private static var closedThroughKey: [UInt8] { [] }
    /// Buffered entry keys, and how many of them end at each window end.
    private var bufferedKeys: Set<ByteKey> = []
    private var bufferedEnds: [Int64: Int] = [:]
    /// The smallest key of `bufferedEnds`, kept with it, so the per-record check does not scan the dictionary.
    private var earliestBufferedEnd: Int64?

    init(
        store: String, graceMs: Int64, wallClockCloseAfterMs: Int64?, keySerde: Serde<Windowed<Inner>>,
        valueSerde: Serde<Value>
    ) {
        self.storeName = store
        self.graceMs = graceMs
        self.wallClockCloseAfterMs = wallClockCloseAfterMs
        self.keySerde = keySerde
        self.valueSerde = valueSerde
    }

    func initialize(context: ProcessorContext<Windowed<Inner>, Value?>) throws {
        self.context = context
        buffer = try context.task.store(storeName, for: context.nodeName, as: KeyValueBytesStore.self)
        if let stored = try buffer.get(Self.closedThroughKey), stored.count == 8 {
            closedThrough = OrderedKeyEncoding.readTime(stored, at: 0)
        }
        for entry in try buffer.all() where entry.key.count > 8 {
            noteBuffered(entry.key)
        }
        lastActivityWallMs = context.currentSystemTimeMs
        if let idleMs = wallClockCloseAfterMs {
            context.schedule(every: .milliseconds(min(idleMs, 1_000)), type: .wallClockTime) { [unowned self] now in
                try self.checkWallClock(now: now, idleMs: idleMs)
            }
        }
    }

    func process(_ record: Record<Windowed<Inner>, Value?>) throws {
        lastActivityWallMs = context.currentSystemTimeMs
        lastStreamTime = context.streamTime
        let window = record.key.window
        if windowIsClosed(end: window.end, graceMs: graceMs, streamTime: closedThrough) {
            context.task.logger.debug(
                "discarding an update of a window already emitted as final",
                metadata: ["node": "\(context.nodeName)", "window": "[\(window.start), \(window.end)]"])
        } else {
            guard let windowedKey = try keySerde.serializeOptional(record.key) else { throw SerdeError.unexpectedNull }
            var key: [UInt8] = []
            key.reserveCapacity(8 + windowedKey.count)
            OrderedKeyEncoding.appendTime(window.end, to: &key)
            key += windowedKey
            if let value = record.value, let encoded = try valueSerde.serializeOptional(value) {
                var entry: [UInt8] = []
                entry.reserveCapacity(8 + encoded.count)
                OrderedKeyEncoding.appendTime(record.timestamp, to: &entry)
                entry += encoded
                try buffer.put(key, entry)
                noteBuffered(key)
            } else if bufferedKeys.contains(ByteKey(key)) {
                try buffer.delete(key)
                noteRemoved(key)
            }
        }
        try emit(through: context.streamTime)
    }

    private func checkWallClock(now: Int64, idleMs: Int64) throws {
        let streamTime = context.streamTime
        guard streamTime != Int64.min else { return }
        if streamTime != lastStreamTime {
            lastStreamTime = streamTime
            lastActivityWallMs = now
            try emit(through: streamTime)
            return
        }
        let idle = now - lastActivityWallMs
        guard idle >= idleMs else { return }
        try emit(through: streamTime + idle)
    }

    /// Advances `closedThrough` to `now` and forwards every buffered window with end + grace <= now, in end order.
    ///
    /// The check is kept apart from the emission: it runs for every record and touches no generic type, so it
    /// costs no type metadata lookups (the emission's records and keys need them).
    private func emit(through now: Int64) throws {
        guard now > closedThrough else { return }
        closedThrough = now
        let (limit, overflow) = now.subtractingReportingOverflow(graceMs)
        guard !overflow, let earliest = earliestBufferedEnd, earliest <= limit else { return }
        try emitDue(now: now, earliest: earliest, limit: limit)
    }

    @inline(never)
    private func emitDue(now: Int64, earliest: Int64, limit: Int64) throws {
        var stored: [UInt8] = []
        OrderedKeyEncoding.appendTime(now, to: &stored)
        try buffer.put(Self.closedThroughKey, stored)
        var lower: [UInt8] = []
        OrderedKeyEncoding.appendTime(earliest, to: &lower)
        var upper: [UInt8] = []
        OrderedKeyEncoding.appendTime(limit, to: &upper)
        // Entries whose end <= limit: their 8-byte prefix is at most `upper`, so they sort before its successor range.
        for entry in try buffer.range(from: lower, to: ByteOrder.prefixUpperBound(upper), reverse: false) {
            let key = try keySerde.deserializeOptional(Array(entry.key[8...]))
            let timestamp = OrderedKeyEncoding.readTime(entry.value, at: 0)
            let value = try valueSerde.deserializeOptional(Array(entry.value[8...]))
            try buffer.delete(entry.key)
            noteRemoved(entry.key)
            try context.forward(Record(key: key, value: value, timestamp: timestamp))
        }
    }

    private func noteBuffered(_ key: [UInt8]) {
        guard bufferedKeys.insert(ByteKey(key)).inserted else { return }
        let end = OrderedKeyEncoding.readTime(key, at: 0)
        bufferedEnds[end, default: 0] += 1
        if earliestBufferedEnd.map({ end < $0 }) ?? true { earliestBufferedEnd = end }
    }

    private func noteRemoved(_ key: [UInt8]) {
        guard bufferedKeys.remove(ByteKey(key)) != nil else { return }
        let end = OrderedKeyEncoding.readTime(key, at: 0)
        let remaining = (bufferedEnds[end] ?? 1) - 1
        bufferedEnds[end] = remaining > 0 ? remaining : nil
        if remaining <= 0 && end == earliestBufferedEnd { earliestBufferedEnd = bufferedEnds.keys.min() }
    }
}
