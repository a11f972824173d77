/// A named piece of task-local state. Implementations: in-memory (Core) and RocksDB (`TributaryRocksDB`).
///
/// Stores are owned by one task and used from its stream thread only; they need no locking.
public protocol StateStore: AnyObject {
    /// The store name, unique within the topology; it names the changelog topic `<app>-<name>-changelog`.
    var name: String { get }
    /// Makes every write so far durable (RocksDB) or does nothing (in-memory).
    func flush() throws
    /// Releases resources. The store is not used after this.
    func close()
}

/// One key-value pair of bytes, as stores return them.
public struct KeyValueBytes: Equatable, Sendable {
    /// The key.
    public var key: [UInt8]
    /// The value.
    public var value: [UInt8]

    /// Creates a pair.
    public init(key: [UInt8], value: [UInt8]) {
        self.key = key
        self.value = value
    }
}
