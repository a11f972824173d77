/// A key-value store of bytes, ordered by key bytes (unsigned lexicographic order, shorter prefix first).
///
/// This is the inner layer: typed access, caching, metering and changelogging wrap it.
public protocol KeyValueBytesStore: StateStore {
    /// The value of `key`, or `nil`.
    func get(_ key: [UInt8]) throws -> [UInt8]?
    /// Sets `key` to `value`.
    func put(_ key: [UInt8], _ value: [UInt8]) throws
    /// Removes `key`; removing a missing key does nothing.
    func delete(_ key: [UInt8]) throws
    /// Pairs with `from <= key < to` (a `nil` bound is open), ascending, or descending when `reverse`.
    func range(from: [UInt8]?, to: [UInt8]?, reverse: Bool) throws -> [KeyValueBytes]
    /// Pairs whose key starts with `prefix`, ascending.
    func prefixScan(_ prefix: [UInt8]) throws -> [KeyValueBytes]
    /// Approximate number of keys.
    func approximateCount() throws -> Int
}

extension KeyValueBytesStore {
    /// Every pair, ascending.
    public func all() throws -> [KeyValueBytes] { try range(from: nil, to: nil, reverse: false) }
}
