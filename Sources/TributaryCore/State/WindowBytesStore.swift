/// A store of values per (key, window start), for windowed aggregations and stream-stream joins.
///
/// Entries are ordered by key bytes, then window start. Windows whose start is older than the store's
/// retention before the latest start seen are expired: never returned, and dropped by ``expire(before:)``.
public protocol WindowBytesStore: StateStore {
    /// How long windows are kept, measured from the latest window start written, in ms (>= size + grace).
    var retentionMs: Int64 { get }
    /// Sets the value of (`key`, `windowStart`); a `nil` value removes it.
    func put(_ key: [UInt8], windowStart: Int64, _ value: [UInt8]?) throws
    /// The value of one window, or `nil`.
    func fetch(_ key: [UInt8], windowStart: Int64) throws -> [UInt8]?
    /// The windows of `key` with `from <= start <= to`, by start ascending.
    func fetch(_ key: [UInt8], from: Int64, to: Int64) throws -> [(windowStart: Int64, value: [UInt8])]
    /// All keys' windows with `from <= start <= to`, ordered by key then start.
    func fetchAll(from: Int64, to: Int64) throws -> [(key: [UInt8], windowStart: Int64, value: [UInt8])]
    /// Drops every window that starts before `time`.
    func expire(before time: Int64) throws
}
