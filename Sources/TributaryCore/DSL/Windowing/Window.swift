/// The time span of one window, in ms since the epoch.
///
/// For ``TimeWindows`` the end is exclusive (`[start, end)`); for ``SlidingWindows`` and ``SessionWindows`` it is
/// inclusive (`[start, end]`). In every case the window closes when `end + grace <= stream time`.
public struct Window: Hashable, Sendable {
    /// The first time in the window.
    public var start: Int64
    /// The end of the window (exclusive for time windows, inclusive for sliding and session windows).
    public var end: Int64

    /// Creates a window.
    public init(start: Int64, end: Int64) {
        self.start = start
        self.end = end
    }
}

/// Whether a window ending at `end` is closed at `streamTime`: `end + grace <= streamTime` (saturating).
func windowIsClosed(end: Int64, graceMs: Int64, streamTime: Int64) -> Bool {
    let (closeTime, overflow) = end.addingReportingOverflow(graceMs)
    return !overflow && closeTime <= streamTime
}
