/// An ordered map from byte-string keys to values, kept in ``ByteOrder`` (unsigned lexicographic) order.
///
/// Storage is a two-level B-tree: an array of sorted chunks of at most ``maxChunkCount`` entries.
/// Lookups binary-search the chunk list, then the chunk: O(log n) key comparisons. An insert or removal
/// additionally moves at most one chunk's entries (plus, rarely, the chunk list on a split or when a chunk
/// empties), so it costs O(log n + chunk size) however large the map grows, instead of the O(n) of one
/// sorted array. A range read costs O(log n + k) for k results.
///
/// Invariants: every chunk is non-empty and sorted strictly ascending; the last key of chunk `i` precedes
/// the first key of chunk `i + 1`; `count` equals the total number of entries.
///
/// Inlinable, so that the stores of other modules (the RocksDB write buffer) get code specialised for their value
/// type instead of generic code that looks up type metadata on every call.
public struct SortedByteMap<Value> {
    /// One key and its value.
    public typealias Entry = (key: [UInt8], value: Value)

    /// A chunk above this size is split in two halves.
    public static var maxChunkCount: Int { 512 }

    /// The sorted chunks (see the type's invariants).
    @usableFromInline var chunks: [[Entry]] = []

    /// Number of keys (see ``count``).
    @usableFromInline var storedCount = 0

    /// Number of keys.
    @inlinable public var count: Int { storedCount }

    /// Creates an empty map.
    @inlinable public init() {}

    /// True when the map has no keys.
    @inlinable public var isEmpty: Bool { storedCount == 0 }

    /// The value of `key`, or `nil`.
    @inlinable public func value(for key: [UInt8]) -> Value? {
        let position = lowerBound(key)
        guard position.chunk < chunks.count else { return nil }
        let entry = chunks[position.chunk][position.index]
        return ByteOrder.compare(entry.key, key) == 0 ? entry.value : nil
    }

    /// Sets the value of `key`, returning the value it replaced, if any.
    @discardableResult
    @inlinable public mutating func updateValue(_ value: Value, forKey key: [UInt8]) -> Value? {
        if chunks.isEmpty {
            chunks = [[(key: key, value: value)]]
            storedCount = 1
            return nil
        }
        var position = lowerBound(key)
        if position.chunk == chunks.count {
            // Greater than every key: append to the last chunk.
            position = (chunks.count - 1, chunks[chunks.count - 1].count)
        } else if ByteOrder.compare(chunks[position.chunk][position.index].key, key) == 0 {
            let old = chunks[position.chunk][position.index].value
            chunks[position.chunk][position.index].value = value
            return old
        }
        chunks[position.chunk].insert((key: key, value: value), at: position.index)
        storedCount += 1
        if chunks[position.chunk].count > Self.maxChunkCount {
            let chunk = chunks[position.chunk]
            let half = chunk.count / 2
            chunks[position.chunk] = Array(chunk[..<half])
            chunks.insert(Array(chunk[half...]), at: position.chunk + 1)
        }
        return nil
    }

    /// Removes `key`, returning its value, if any.
    @discardableResult
    @inlinable public mutating func removeValue(forKey key: [UInt8]) -> Value? {
        let position = lowerBound(key)
        guard position.chunk < chunks.count,
            ByteOrder.compare(chunks[position.chunk][position.index].key, key) == 0
        else { return nil }
        let removed = chunks[position.chunk].remove(at: position.index)
        storedCount -= 1
        if chunks[position.chunk].isEmpty { chunks.remove(at: position.chunk) }
        return removed.value
    }

    /// Removes every key.
    @inlinable public mutating func removeAll() {
        chunks = []
        storedCount = 0
    }

    /// Entries with `from <= key < to` (a `nil` bound is open), ascending, or descending when `reverse`.
    @inlinable public func entries(from: [UInt8]? = nil, to: [UInt8]? = nil, reverse: Bool = false) -> [Entry] {
        let start: (chunk: Int, index: Int) = from.map(lowerBound) ?? (0, 0)
        let end: (chunk: Int, index: Int) = to.map(lowerBound) ?? (chunks.count, 0)
        guard start < end else { return [] }
        var result: [Entry] = []
        var chunk = start.chunk
        var index = start.index
        // Walk positions from start up to (excluding) end; the end position is a valid stop point because
        // lowerBound never returns an index equal to a chunk's count (it normalizes to the next chunk).
        while (chunk, index) < end {
            result.append(chunks[chunk][index])
            index += 1
            if index == chunks[chunk].count {
                chunk += 1
                index = 0
            }
        }
        if reverse { result.reverse() }
        return result
    }

    /// The position of the first entry whose key is `>= key`: (chunks.count, 0) when there is none.
    /// Never returns an index equal to its chunk's count.
    @inlinable func lowerBound(_ key: [UInt8]) -> (chunk: Int, index: Int) {
        // First chunk whose last key is >= key.
        var low = 0
        var high = chunks.count
        while low < high {
            let middle = (low + high) / 2
            if ByteOrder.compare(chunks[middle][chunks[middle].count - 1].key, key) < 0 {
                low = middle + 1
            } else {
                high = middle
            }
        }
        guard low < chunks.count else { return (chunks.count, 0) }
        let chunk = chunks[low]
        var first = 0
        var last = chunk.count
        while first < last {
            let middle = (first + last) / 2
            if ByteOrder.compare(chunk[middle].key, key) < 0 {
                first = middle + 1
            } else {
                last = middle
            }
        }
        return (low, first)
    }
}

extension SortedByteMap: Sendable where Value: Sendable {}
