/// The binary layout of a window store entry's key: `[escaped key][00 00][window start: 8 bytes]`
/// (see ``OrderedKeyEncoding``).
///
/// Sorting these bytes in ``ByteOrder`` sorts entries by user key, then window start, so one key's windows
/// over a time range are a single contiguous range `[encode(k, from), successor(encode(k, to)))`, and a
/// full scan returns entries in the order `fetchAll` promises.
public enum WindowStoreKeyLayout {
    /// The stored key of (`key`, `windowStart`).
    public static func encode(_ key: [UInt8], windowStart: Int64) -> [UInt8] {
        var bytes: [UInt8] = []
        OrderedKeyEncoding.appendKey(key, to: &bytes)
        OrderedKeyEncoding.appendTime(windowStart, to: &bytes)
        return bytes
    }

    /// The window start of a stored key (its last 8 bytes).
    public static func windowStart(of stored: [UInt8]) -> Int64 {
        OrderedKeyEncoding.readTime(stored, at: stored.count - 8)
    }

    /// The user key and window start of a stored key, or `nil` if `stored` is not in this layout.
    public static func decode(_ stored: [UInt8]) -> (key: [UInt8], windowStart: Int64)? {
        guard let (key, end) = OrderedKeyEncoding.readKey(stored), end + 8 == stored.count else { return nil }
        return (key, OrderedKeyEncoding.readTime(stored, at: end))
    }
}
