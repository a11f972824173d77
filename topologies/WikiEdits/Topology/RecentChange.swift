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

        static let keys = JSONKeySet(["dt", "domain", "id"])

        /// Reads the fields from a `meta` object, as the `Codable` conformance does.
        public init(json: JSONValue) throws {
            let fields = try json.fields(Self.keys)
            dt = try fields.string("dt")
            domain = try fields.optionalString("domain")
            id = try fields.optionalString("id")
        }
    }

    /// Old and new values of a size or revision.
    public struct OldNew: Codable, Sendable, Equatable {
        /// Before the change; absent or null for page creations.
        public var old: Int64?
        /// After the change.
        public var new: Int64?

        static let keys = JSONKeySet(["old", "new"])

        /// Reads the fields from an `{old, new}` object, as the `Codable` conformance does.
        public init(json: JSONValue) throws {
            let fields = try json.fields(Self.keys)
            old = try fields.optionalInt64("old")
            new = try fields.optionalInt64("new")
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
    /// Wiki URL, e.g. `https://en.wikipedia.org`.
    public var serverURL: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case meta, type, namespace, title, user, bot, wiki, minor, length, revision
        case serverURL = "server_url"
    }
}

extension RecentChange {
    static let keys = JSONKeySet(CodingKeys.allCases.map(\.stringValue))

    /// Decodes an event by hand: the same values and the same errors (cases and coding paths, checked in the
    /// same order) as the `Codable` conformance, at a fraction of its cost. WikiEdits builds its kept events with
    /// this (see ``RecentChangeEvent``).
    public init(json: JSONValue) throws {
        // Through the synthesized memberwise initializer (hence this extension): Swift 6.3 compiles an explicit
        // initializer that assigns the members to copy the whole value once (retaining every string).
        let fields = try json.fields(Self.keys)
        self.init(
            meta: try Meta(json: try fields.object("meta")), type: try fields.string("type"),
            namespace: try fields.int("namespace"), title: try fields.string("title"), user: try fields.string("user"),
            bot: try fields.bool("bot"), wiki: try fields.string("wiki"), minor: try fields.optionalBool("minor"),
            length: try fields.optionalObject("length").map(OldNew.init(json:)),
            revision: try fields.optionalObject("revision").map(OldNew.init(json:)),
            serverURL: try fields.optionalString("server_url"))
    }
}
