/// A window store held in memory: a ``SortedByteMap`` keyed by ``WindowStoreKeyLayout``, so entries are
/// ordered by key, then window start.
///
/// Costs: `put` and the point `fetch` are O(log n); `fetch(_:from:to:)` is O(log n + k); `fetchAll` scans
/// every entry (O(n)); `expire(before:)` scans every entry when some window may start before the given
/// time, and is O(1) otherwise (it tracks a lower bound on the stored window starts).
///
/// Retention: windows that start before `latest start written − retentionMs` are expired; they are never
/// returned, writes to them are ignored, and ``expire(before:)`` drops them.
public final class InMemoryWindowStore: WindowBytesStore, OffsetCheckpointing {
    /// The store name.
    public let name: String
    /// How long windows are kept, measured from the latest window start written, in ms.
    public var retentionMs: Int64 { retention.retentionMs }
    /// Entries keyed by ``WindowStoreKeyLayout``.
    private var windows = SortedByteMap<[UInt8]>()
    /// The latest start written and the earliest live start.
    private var retention: RetentionBoundary
    /// A lower bound on every stored window start (`Int64.max` when nothing was stored since the last
    /// expire): `expire(before: t)` has nothing to do when `t <= oldestStoredStart`.
    private var oldestStoredStart = Int64.max
    /// The last checkpoint written (kept in memory only).
    private var offsets: [String: Int64] = [:]

    /// Creates an empty store keeping windows for `retentionMs` (>= window size + grace) after the latest start.
    public init(name: String, retentionMs: Int64) {
        self.name = name
        retention = RetentionBoundary(retentionMs: retentionMs)
    }

    /// Sets the value of (`key`, `windowStart`); a `nil` value removes it. Writes to expired windows are ignored.
    public func put(_ key: [UInt8], windowStart: Int64, _ value: [UInt8]?) throws {
        retention.observe(windowStart)
        guard retention.isLive(windowStart) else { return }
        let stored = WindowStoreKeyLayout.encode(key, windowStart: windowStart)
        if let value {
            windows.updateValue(value, forKey: stored)
            oldestStoredStart = min(oldestStoredStart, windowStart)
        } else {
            windows.removeValue(forKey: stored)
        }
    }

    /// The value of one window, or `nil` (also when it has expired).
    public func fetch(_ key: [UInt8], windowStart: Int64) throws -> [UInt8]? {
        guard retention.isLive(windowStart) else { return nil }
        return windows.value(for: WindowStoreKeyLayout.encode(key, windowStart: windowStart))
    }

    /// The live windows of `key` with `from <= start <= to`, by start ascending.
    public func fetch(_ key: [UInt8], from: Int64, to: Int64) throws -> [(windowStart: Int64, value: [UInt8])] {
        let lower = max(from, retention.earliestLive)
        guard lower <= to else { return [] }
        return windows.entries(
            from: WindowStoreKeyLayout.encode(key, windowStart: lower),
            to: ByteOrder.successor(WindowStoreKeyLayout.encode(key, windowStart: to))
        ).map { (WindowStoreKeyLayout.windowStart(of: $0.key), $0.value) }
    }

    /// All keys' live windows with `from <= start <= to`, ordered by key then start.
    public func fetchAll(from: Int64, to: Int64) throws -> [(key: [UInt8], windowStart: Int64, value: [UInt8])] {
        let lower = max(from, retention.earliestLive)
        guard lower <= to else { return [] }
        return windows.entries().compactMap { entry in
            guard let (key, start) = WindowStoreKeyLayout.decode(entry.key), start >= lower, start <= to else {
                return nil
            }
            return (key, start, entry.value)
        }
    }

    /// Drops every window that starts before `time`.
    public func expire(before time: Int64) throws {
        guard oldestStoredStart < time else { return }
        for entry in windows.entries() where WindowStoreKeyLayout.windowStart(of: entry.key) < time {
            windows.removeValue(forKey: entry.key)
        }
        // Every remaining window starts at or after `time`.
        oldestStoredStart = windows.isEmpty ? .max : time
    }

    /// Does nothing: an in-memory store has nothing to make durable.
    public func flush() throws {}

    /// Drops the contents.
    public func close() {
        windows.removeAll()
    }

    /// Records `offsets` as the checkpoint (in memory only).
    public func writeCheckpoint(_ offsets: [String: Int64]) throws { self.offsets = offsets }

    /// The last checkpoint written, empty when none was.
    public func checkpoint() throws -> [String: Int64] { offsets }
}
