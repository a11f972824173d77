/// The binary layout of a session store entry's key:
/// `[escaped key][00 00][session end: 8 bytes][session start: 8 bytes]` (see ``OrderedKeyEncoding``).
///
/// Sorting these bytes in ``ByteOrder`` sorts entries by user key, then end, then start — the order
/// `findSessions` returns — so the sessions of one key ending at or after `earliestEnd` are one contiguous
/// range starting at `encode(k, SessionWindow(start: .min, end: earliestEnd))`, filtered by start.
public enum SessionStoreKeyLayout {
    /// The stored key of (`key`, `session`).
    public static func encode(_ key: [UInt8], session: SessionWindow) -> [UInt8] {
        var bytes: [UInt8] = []
        OrderedKeyEncoding.appendKey(key, to: &bytes)
        OrderedKeyEncoding.appendTime(session.end, to: &bytes)
        OrderedKeyEncoding.appendTime(session.start, to: &bytes)
        return bytes
    }

    /// The session of a stored key (its last 16 bytes).
    public static func session(of stored: [UInt8]) -> SessionWindow {
        SessionWindow(
            start: OrderedKeyEncoding.readTime(stored, at: stored.count - 8),
            end: OrderedKeyEncoding.readTime(stored, at: stored.count - 16))
    }

    /// The user key and session of a stored key, or `nil` if `stored` is not in this layout.
    public static func decode(_ stored: [UInt8]) -> (key: [UInt8], session: SessionWindow)? {
        guard let (key, end) = OrderedKeyEncoding.readKey(stored), end + 16 == stored.count else { return nil }
        return (key, session(of: stored))
    }
}
