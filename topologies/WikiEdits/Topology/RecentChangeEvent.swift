import TributaryCore

/// A recent-change event as WikiEdits' source decodes it: the event time of every event, and the whole event only
/// when WikiEdits keeps it.
///
/// Decoding checks every field exactly as ``RecentChange/init(json:)`` does, with the same errors in the same
/// order, so an event that `RecentChange` (or its `Codable` conformance) rejects still goes to the dead-letter
/// topic. But it builds the strings of an event only when the event is a human article edit: in the recordings
/// seven events in eight are dropped, and building their strings was about an eighth of WikiEdits' time.
///
/// `Encodable` only because JSON serdes need an encoder: it writes this struct's own members (`eventTime`,
/// `humanArticleEdit`), which ``init(json:)`` does not read back. WikiEdits never writes one.
public struct RecentChangeEvent: Encodable, Sendable, Equatable {
    /// `meta.dt`, the event time, in milliseconds since the Unix epoch; `nil` if it is not an ISO-8601 time
    /// (``ISO8601Timestamp/parse(_:)``).
    public var eventTime: Int64?
    /// The event if it is a human edit or page creation in the article namespace
    /// (``WikiEditsTopology/isHumanArticleEdit(_:)``), otherwise `nil`.
    public var humanArticleEdit: RecentChange?
}

extension RecentChangeEvent {
    /// Decodes an event (see the type's documentation).
    ///
    /// - Throws: what ``RecentChange/init(json:)`` throws for the same document.
    public init(json: JSONValue) throws {
        // The reads below follow RecentChange.init(json:) field by field; RecentChangeJSONTests holds the two to
        // the same errors.
        let fields = try json.fields(RecentChange.keys)
        let meta = try fields.object("meta").fields(RecentChange.Meta.keys)
        let eventTime = try meta.withUTF8("dt") { ISO8601Timestamp.parse(bytes: $0) }
        try meta.checkOptionalString("domain")
        try meta.checkOptionalString("id")
        let type = try fields.string("type")
        let namespace = try fields.int("namespace")
        try fields.checkString("title")
        try fields.checkString("user")
        let bot = try fields.bool("bot")
        try fields.checkString("wiki")
        _ = try fields.optionalBool("minor")
        _ = try fields.optionalObject("length").map(RecentChange.OldNew.init(json:))
        _ = try fields.optionalObject("revision").map(RecentChange.OldNew.init(json:))
        try fields.checkOptionalString("server_url")
        let isCanary = meta["domain"]?.isString("canary") ?? false
        let kept = WikiEditsTopology.isHumanArticleEdit(type: type, namespace: namespace, bot: bot, isCanary: isCanary)
        // Cannot throw: every field was checked above. Built through the synthesized memberwise initializer (hence
        // this extension): Swift 6.3 compiles an explicit one that assigns the members to copy the whole value once.
        self.init(eventTime: eventTime, humanArticleEdit: kept ? try RecentChange(json: json) : nil)
    }
}
