import TributaryCore

/// The fields of a Wikimedia EventStreams `recentchange` event that WikiEdits reads.
///
/// Fields that some event types lack (log events have no `length` or `revision`; 2018 events no `$schema`)
/// are optional, so every valid event decodes; a field of the wrong type is a deserialization error.
public struct RecentChange: Codable, Sendable, Equatable {
    /// Event metadata.
    public struct Meta: Codable, Sendable, Equatable {
        /// Event time, ISO-8601.
        public var dt: String
        /// Wiki domain, or `canary` for Wikimedia's monitoring events.
        public var domain: String?
        /// Event UUID.
        public var id: String?

        /// Reads the fields from a `meta` object, as the `Codable` conformance does.
        public init(json: JSONValue) throws {
            dt = try json.string("dt")
            domain = try json.optionalString("domain")
            id = try json.optionalString("id")
        }
    }

    /// Old and new values of a size or revision.
    public struct OldNew: Codable, Sendable, Equatable {
        /// Before the change; absent or null for page creations.
        public var old: Int64?
        /// After the change.
        public var new: Int64?

        /// Reads the fields from an `{old, new}` object, as the `Codable` conformance does.
        public init(json: JSONValue) throws {
            old = try json.optionalInt64("old")
            new = try json.optionalInt64("new")
        }
    }

    /// Event metadata: time, domain, id.
    public var meta: Meta
    /// `edit`, `new`, `log`, `categorize` or `external`.
    public var type: String
    /// Namespace number; 0 is the article namespace.
    public var namespace: Int
    /// Full page title.
    public var title: String
    /// User name, or an IP address for edits by anonymous users.
    public var user: String
    /// Whether a bot made the change.
    public var bot: Bool
    /// Wiki database name, e.g. `enwiki`.
    public var wiki: String
    /// Whether the editor marked the change minor.
    public var minor: Bool?
    /// Page sizes in bytes before and after.
    public var length: OldNew?
    /// Revision ids before and after.
    public var revision: OldNew?
    /// Edit summary.
    public var comment: String?
    /// Wiki URL, e.g. `https://en.wikipedia.org`.
    public var serverURL: String?

    /// Decodes an event by hand: the same values and the same errors (cases and coding paths, checked in the
    /// same order) as the `Codable` conformance, at a fraction of its cost. WikiEdits' source uses this.
    public init(json: JSONValue) throws {
        meta = try Meta(json: try json.object("meta"))
        type = try json.string("type")
        namespace = try json.int("namespace")
        title = try json.string("title")
        user = try json.string("user")
        bot = try json.bool("bot")
        wiki = try json.string("wiki")
        minor = try json.optionalBool("minor")
        length = try json.optionalObject("length").map(OldNew.init(json:))
        revision = try json.optionalObject("revision").map(OldNew.init(json:))
        comment = try json.optionalString("comment")
        serverURL = try json.optionalString("server_url")
    }

    enum CodingKeys: String, CodingKey {
        case meta, type, namespace, title, user, bot, wiki, minor, length, revision, comment
        case serverURL = "server_url"
    }
}
