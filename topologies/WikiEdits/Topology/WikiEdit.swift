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
