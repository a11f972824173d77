import TributaryCore

/// A human edit or page creation in an article namespace, as WikiEdits writes it to `wikimedia.edits`.
public struct WikiEdit: Codable, Sendable, Equatable {
    /// The source event's UUID (`meta.id`).
    public var id: String?
    /// Wiki database name; also the record key.
    public var wiki: String
    /// Page title.
    public var title: String
    /// User name, or `ip-<16 hex digits>`, a keyed hash, for anonymous users (see ``AnonymousUser``).
    public var user: String
    /// Whether `user` is the hash of an IP address.
    public var anonymous: Bool
    /// `edit` or `new`.
    public var type: String
    /// Event time, as in the source (`meta.dt`).
    public var dt: String
    /// New page size minus old page size in bytes (a new page counts its full size); `nil` when unknown.
    public var byteDelta: Int64?
    /// Whether the editor marked the change minor.
    public var minor: Bool
    /// New revision id.
    public var revision: Int64?
    /// Wiki URL.
    public var serverURL: String?
}

extension WikiEdit {
    /// The serde of `wikimedia.edits`: the JSON of the `Codable` conformance (keys sorted, `nil` members left
    /// out), written member by member because encoding is a tenth of WikiEdits' cost per record through `Codable`.
    public static let serde = Serde<WikiEdit>.json().serializing { $0.jsonBytes() }

    /// This edit as JSON, byte for byte what `Serde<WikiEdit>.json()` writes.
    public func jsonBytes() -> [UInt8] {
        var object = JSONObjectBuilder(capacity: 256)
        object.add("anonymous", anonymous)
        object.add("byteDelta", byteDelta)
        object.add("dt", dt)
        object.add("id", id)
        object.add("minor", minor)
        object.add("revision", revision)
        object.add("serverURL", serverURL)
        object.add("title", title)
        object.add("type", type)
        object.add("user", user)
        object.add("wiki", wiki)
        return object.finish()
    }
}
