import TributaryCore

/// One word's final count in one window, as written to `wordcount.windowed`.
///
/// JSON: `{"start":"2026-11-20T10:00:00.000Z","end":"2026-11-20T10:01:00.000Z","startMs":...,"endMs":...,"count":3}`;
/// the window is `[start, end)`.
public struct WindowedCount: Codable, Equatable, Sendable {
    /// Window start, ISO-8601 UTC.
    public var start: String
    /// Window end (exclusive), ISO-8601 UTC.
    public var end: String
    /// Window start, ms since the epoch.
    public var startMs: Int64
    /// Window end, ms since the epoch.
    public var endMs: Int64
    /// Occurrences of the word in the window.
    public var count: Int64

    /// The count of `window`.
    public init(window: Window, count: Int64) {
        self.start = ISO8601Timestamp.format(window.start)
        self.end = ISO8601Timestamp.format(window.end)
        self.startMs = window.start
        self.endMs = window.end
        self.count = count
    }
}
