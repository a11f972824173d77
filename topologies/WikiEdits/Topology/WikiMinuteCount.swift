import TributaryCore

/// The final number of human article edits of one wiki in one minute, as written to `wikimedia.edits-per-minute`.
///
/// JSON: `{"wiki":"enwiki","start":"2026-02-26T15:49:00.000Z","end":"2026-02-26T15:50:00.000Z","startMs":...,
/// "endMs":...,"edits":3}`; the window is `[start, end)`.
public struct WikiMinuteCount: Codable, Equatable, Sendable {
    /// The wiki (`enwiki`, `wikidatawiki`, ...).
    public var wiki: String
    /// Window start, ISO-8601 UTC.
    public var start: String
    /// Window end (exclusive), ISO-8601 UTC.
    public var end: String
    /// Window start, ms since the epoch.
    public var startMs: Int64
    /// Window end, ms since the epoch.
    public var endMs: Int64
    /// Human article edits of the wiki in the window.
    public var edits: Int64

    /// The count of `wiki` in `window`.
    public init(wiki: String, window: Window, edits: Int64) {
        self.wiki = wiki
        self.start = ISO8601Timestamp.format(window.start)
        self.end = ISO8601Timestamp.format(window.end)
        self.startMs = window.start
        self.endMs = window.end
        self.edits = edits
    }
}
