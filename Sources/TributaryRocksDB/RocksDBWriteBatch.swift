/// A set of writes that `RocksDBKeyValueStore.write(_:)` applies atomically:
/// after a crash either every operation is visible or none is.
///
/// Put data and the changelog offset that produced it into the same batch
/// (`putMetadata`), so a restored store never holds data newer or older than
/// its recorded offset. Operations apply in the order they were added; a later
/// operation on the same key wins.
public struct RocksDBWriteBatch: Sendable {
    /// One recorded write. Metadata keys are stored as their UTF-8 bytes in
    /// the `tributary-meta` column family, never in the data keyspace.
    enum Operation: Sendable, Equatable {
        case put(key: [UInt8], value: [UInt8])
        case delete(key: [UInt8])
        case putMetadata(key: [UInt8], value: [UInt8])
        case deleteMetadata(key: [UInt8])
    }

    /// The writes in insertion order.
    private(set) var operations: [Operation] = []

    /// Creates an empty batch.
    public init() {}

    /// Number of operations recorded so far.
    public var count: Int { operations.count }

    /// True when the batch holds no operations.
    public var isEmpty: Bool { operations.isEmpty }

    /// Records a put of `value` under the data key `key`.
    public mutating func put(key: [UInt8], value: [UInt8]) {
        operations.append(.put(key: key, value: value))
    }

    /// Records a deletion of the data key `key`.
    public mutating func delete(_ key: [UInt8]) {
        operations.append(.delete(key: key))
    }

    /// Records a put into the reserved metadata keyspace, read back with
    /// `RocksDBKeyValueStore.metadata(_:)`. Not visible to `get`/`range`.
    public mutating func putMetadata(key: String, value: [UInt8]) {
        operations.append(.putMetadata(key: Array(key.utf8), value: value))
    }

    /// Records a deletion from the reserved metadata keyspace.
    public mutating func deleteMetadata(_ key: String) {
        operations.append(.deleteMetadata(key: Array(key.utf8)))
    }

    /// Drops every recorded operation, keeping the batch reusable.
    public mutating func removeAll() {
        operations.removeAll(keepingCapacity: true)
    }
}
