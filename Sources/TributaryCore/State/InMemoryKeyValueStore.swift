/// A key-value store held in memory, ordered by ``ByteOrder``.
///
/// Backed by a ``SortedByteMap``: `get`, `put` and `delete` cost O(log n) comparisons (plus moving at most
/// one chunk of entries on an insert or removal); `range` and `prefixScan` cost O(log n + k) for k results;
/// `approximateCount` is exact and O(1). Contents are lost when the store is closed or the process ends,
/// so a task restores it from its changelog from the beginning.
public final class InMemoryKeyValueStore: KeyValueBytesStore, OffsetCheckpointing {
    /// The store name.
    public let name: String
    /// The entries, in key order.
    private var entries = SortedByteMap<[UInt8]>()
    /// The last checkpoint written (kept in memory only).
    private var offsets: [String: Int64] = [:]

    /// Creates an empty store.
    public init(name: String) {
        self.name = name
    }

    /// The value of `key`, or `nil`.
    public func get(_ key: [UInt8]) throws -> [UInt8]? { entries.value(for: key) }

    /// Sets `key` to `value`.
    public func put(_ key: [UInt8], _ value: [UInt8]) throws { entries.updateValue(value, forKey: key) }

    /// Removes `key`; removing a missing key does nothing.
    public func delete(_ key: [UInt8]) throws { entries.removeValue(forKey: key) }

    /// Pairs with `from <= key < to` (a `nil` bound is open), ascending, or descending when `reverse`.
    public func range(from: [UInt8]?, to: [UInt8]?, reverse: Bool) throws -> [KeyValueBytes] {
        entries.entries(from: from, to: to, reverse: reverse).map { KeyValueBytes(key: $0.key, value: $0.value) }
    }

    /// Pairs whose key starts with `prefix`, ascending.
    public func prefixScan(_ prefix: [UInt8]) throws -> [KeyValueBytes] {
        try range(from: prefix, to: ByteOrder.prefixUpperBound(prefix), reverse: false)
    }

    /// The exact number of keys.
    public func approximateCount() throws -> Int { entries.count }

    /// Does nothing: an in-memory store has nothing to make durable.
    public func flush() throws {}

    /// Drops the contents.
    public func close() {
        entries.removeAll()
    }

    /// Records `offsets` as the checkpoint (in memory only).
    public func writeCheckpoint(_ offsets: [String: Int64]) throws { self.offsets = offsets }

    /// The last checkpoint written, empty when none was.
    public func checkpoint() throws -> [String: Int64] { offsets }
}
