import TributaryCore

/// WikiEdits: human article edits from the Wikimedia recent-change stream, keyed by wiki.
///
/// Reads `wikimedia.recentchange` (EventStreams JSON; event time `meta.dt`), keeps edits and page creations
/// in namespace 0 made by people (drops bots, canary events, log and categorize events), replaces IP-address
/// user names with a keyed hash, re-keys by `wiki`, and writes ``WikiEdit`` JSON to `wikimedia.edits`.
/// Records that are not valid recent-change JSON, or whose `meta.dt` is not an ISO-8601 time, go to
/// `wikiedits.dlq` with error headers.
public enum WikiEditsTopology {
    /// The input topic.
    public static let inputTopic = "wikimedia.recentchange"
    /// The output topic.
    public static let outputTopic = "wikimedia.edits"
    /// The dead-letter topic.
    public static let deadLetterTopic = "wikiedits.dlq"
    /// Values larger than this are rejected as malformed before parsing.
    public static let maxEventBytes = 1 << 20
    /// Where every failing record goes.
    public static let errorPolicies = ErrorPolicies.deadLetter(topic: deadLetterTopic)

    /// Whether WikiEdits keeps a recent-change event.
    public static func isHumanArticleEdit(_ change: RecentChange) -> Bool {
        (change.type == "edit" || change.type == "new") && change.namespace == 0 && !change.bot
            && change.meta.domain != "canary"
    }

    /// The topology, hashing IP addresses with `secret`.
    public static func make(secret: (UInt64, UInt64) = (0x5472_6962_7574_6172, 0x7957_696b_6945_6474)) throws
        -> Topology
    {
        let anonymizer = AnonymousUser(secret: secret)
        let builder = StreamsBuilder()
        builder.stream(
            inputTopic, key: .optional(.string), value: .json(maxBytes: maxEventBytes, decoding: RecentChange.init(json:)),
            timestampExtractor: TimestampExtractor { record, _ in ISO8601Timestamp.parse(record.value.meta.dt) },
            named: "recentchange-source"
        )
        .filter(named: "human-article-edits") { _, change in isHumanArticleEdit(change) }
        .map(named: "to-wiki-edit") { _, change in
            let pseudonym = anonymizer.pseudonym(for: change.user)
            let delta = change.length.flatMap { length in length.new.map { $0 - (length.old ?? 0) } }
            let edit = WikiEdit(
                id: change.meta.id, wiki: change.wiki, title: change.title, user: pseudonym ?? change.user,
                anonymous: pseudonym != nil, type: change.type, dt: change.meta.dt, byteDelta: delta,
                minor: change.minor ?? false, revision: change.revision?.new, serverURL: change.serverURL)
            return (change.wiki, edit)
        }
        .to(outputTopic, key: .string, value: .json(WikiEdit.self), named: "edits-sink")
        return try builder.build()
    }
}
