import TributaryCore

/// The fields of a Wikimedia EventStreams `recentchange` event that GeoRisk reads.
///
/// A minimal decoder of its own rather than WikiEdits' `RecentChange`: topologies are separate libraries, and
/// GeoRisk needs fewer fields (no revision, wiki or comment). Encodable (flat) only because the JSON serde needs it. Fields every event has (`meta.dt`, `type`,
/// `namespace`, `title`, `user`, `bot`) are required; a missing or mistyped one is a deserialization error.
public struct WikiChange: Encodable, Sendable, Equatable {
    /// `meta.dt`: event time, ISO-8601.
    public var dt: String
    /// `meta.domain`; `canary` for Wikimedia's monitoring events.
    public var domain: String?
    /// `edit`, `new`, `log`, `categorize` or `external`.
    public var type: String
    /// Namespace number; 0 is the article namespace.
    public var namespace: Int
    /// Page title.
    public var title: String
    /// User name (or IP address).
    public var user: String
    /// Whether a bot made the change.
    public var bot: Bool
    /// `length.old`: page size before, absent or null for a new page.
    public var oldLength: Int64?
    /// `length.new`: page size after.
    public var newLength: Int64?

    /// Creates a change.
    public init(
        dt: String, domain: String? = nil, type: String, namespace: Int, title: String, user: String, bot: Bool,
        oldLength: Int64? = nil, newLength: Int64? = nil
    ) {
        self.dt = dt
        self.domain = domain
        self.type = type
        self.namespace = namespace
        self.title = title
        self.user = user
        self.bot = bot
        self.oldLength = oldLength
        self.newLength = newLength
    }

    /// Reads the fields from an EventStreams JSON object.
    public init(json: JSONValue) throws {
        let meta = try json.object("meta")
        dt = try meta.string("dt")
        domain = try meta.optionalString("domain")
        type = try json.string("type")
        namespace = try json.int("namespace")
        title = try json.string("title")
        user = try json.string("user")
        bot = try json.bool("bot")
        let length = try json.optionalObject("length")
        oldLength = try length?.optionalInt64("old")
        newLength = try length?.optionalInt64("new")
    }

    /// Whether GeoRisk counts the change: an edit or page creation (`type` edit or new) in namespace 0, not by
    /// a bot, not a canary event.
    public var isHumanArticleEdit: Bool {
        (type == "edit" || type == "new") && namespace == 0 && !bot && domain != "canary"
    }

    /// |length.new − length.old|; a page creation (or an edit without an old length) counts its full new length,
    /// and a change without a new length counts 0.
    public var bytesChanged: Int64 {
        guard let newLength else { return 0 }
        guard type != "new", let oldLength else { return abs(newLength) }
        return abs(newLength - oldLength)
    }
}

/// One counted edit of a page naming one country, as it travels through the Wikipedia repartition topic.
///
/// The user name is replaced by a stable 64-bit FNV-1a hash (``editorKey(_:)``): distinct editors can still be
/// counted, and no user name or IP address reaches the repartition topic, the store or its changelog.
public struct WikiCountryEdit: Codable, Sendable, Equatable {
    /// Page title.
    public var title: String
    /// ``editorKey(_:)`` of the user.
    public var editor: String
    /// ``WikiChange/bytesChanged``.
    public var bytesChanged: Int64

    /// Creates an edit.
    public init(title: String, editor: String, bytesChanged: Int64) {
        self.title = title
        self.editor = editor
        self.bytesChanged = bytesChanged
    }

    /// 16 hex digits of the FNV-1a 64-bit hash of the user name's UTF-8 bytes: stable across processes (unlike
    /// `Hasher`), so restored state and new records agree.
    public static func editorKey(_ user: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in user.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
