/// How a join of windowed tables drops the entries of closed windows (see ``TableTableJoinProcessor``).
struct WindowedJoinExpiry<Key>: Sendable {
    /// How often, in stream time, the stores are scanned for closed windows.
    static var intervalMs: Int64 { 60_000 }

    /// The end of a key's window.
    let windowEnd: @Sendable (Key) -> Int64
    /// The larger grace of the two tables: a window is closed once stream time reaches its end + grace.
    let graceMs: Int64
    /// Whether this side also expires the result store (exactly one side does).
    let expiresResults: Bool
}
