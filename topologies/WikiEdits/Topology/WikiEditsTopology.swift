import TributaryCore

/// WikiEdits: human article edits from the Wikimedia recent-change stream, keyed by wiki.
///
/// Reads `wikimedia.recentchange` (EventStreams JSON, decoded as ``RecentChangeEvent``; event time `meta.dt`),
/// keeps edits and page creations in namespace 0 made by people (drops bots, canary events, log and categorize
/// events), replaces IP-address user names with a keyed hash, re-keys by `wiki`, and writes ``WikiEdit`` JSON to
/// `wikimedia.edits`.
/// Records that are not valid recent-change JSON, or whose `meta.dt` is not an ISO-8601 time, go to
/// `wikiedits.dlq` with error headers.
///
/// It also counts edits per wiki in 1-minute tumbling windows of event time (grace ``perMinuteGrace``) in the
/// window store ``perMinuteStore``, through the repartition topic `<application id>-edits-by-wiki-repartition`,
/// and writes each minute's final count once, when it closes, to ``perMinuteTopic`` (key = wiki, value =
/// ``WikiMinuteCount`` JSON); on an idle input the wall clock closes it after ``idleClose``.
public enum WikiEditsTopology {
    /// The input topic.
    public static let inputTopic = "wikimedia.recentchange"
    /// The output topic.
    public static let outputTopic = "wikimedia.edits"
    /// Final per-wiki counts per minute.
    public static let perMinuteTopic = "wikimedia.edits-per-minute"
    /// The window store of per-wiki counts per minute (a named, queryable table).
    public static let perMinuteStore = "edits-per-wiki-1m"
    /// How long after its end a minute accepts out-of-order edits.
    public static let perMinuteGrace = Duration.seconds(30)
    /// Wall-clock idle time after which minutes close on an idle input.
    public static let idleClose = Duration.seconds(30)
    /// The dead-letter topic.
    public static let deadLetterTopic = "wikiedits.dlq"
    /// Values larger than this are rejected as malformed before parsing.
    public static let maxEventBytes = 1 << 20
    /// Where every failing record goes.
    public static let errorPolicies = ErrorPolicies.deadLetter(topic: deadLetterTopic)

    /// Whether WikiEdits keeps a recent-change event.
    public static func isHumanArticleEdit(_ change: RecentChange) -> Bool {
        isHumanArticleEdit(
            type: change.type, namespace: change.namespace, bot: change.bot, isCanary: change.meta.domain == "canary")
    }

    /// Whether WikiEdits keeps an event with these fields (`isCanary`: `meta.domain` is `canary`).
    public static func isHumanArticleEdit(type: String, namespace: Int, bot: Bool, isCanary: Bool) -> Bool {
        (type == "edit" || type == "new") && namespace == 0 && !bot && !isCanary
    }

    /// The topology, hashing IP addresses with `secret`. Without `perMinuteCounts` it is the stateless part only
    /// (the `stateless` benchmark measures that).
    public static func make(
        secret: (UInt64, UInt64) = (0x5472_6962_7574_6172, 0x7957_696b_6945_6474), perMinuteCounts: Bool = true
    ) throws -> Topology {
        let anonymizer = AnonymousUser(secret: secret)
        let builder = StreamsBuilder()
        let edits = builder.stream(
            inputTopic, key: .optional(.string),
            value: .json(maxBytes: maxEventBytes, decoding: RecentChangeEvent.init(json:)),
            timestampExtractor: TimestampExtractor { record, _ in record.value.eventTime },
            named: "recentchange-source"
        )
        .filter(named: "human-article-edits") { _, event in event.humanArticleEdit != nil }
        .map(named: "to-wiki-edit") { _, event in
            let change = event.humanArticleEdit!  // the filter passes only these
            let pseudonym = anonymizer.pseudonym(for: change.user)
            let delta = change.length.flatMap { length in length.new.map { $0 - (length.old ?? 0) } }
            let edit = WikiEdit(
                id: change.meta.id, wiki: change.wiki, title: change.title, user: pseudonym ?? change.user,
                anonymous: pseudonym != nil, type: change.type, dt: change.meta.dt, byteDelta: delta,
                minor: change.minor ?? false, revision: change.revision?.new, serverURL: change.serverURL)
            return (change.wiki, edit)
        }
        edits.to(outputTopic, key: .string, value: WikiEdit.serde, named: "edits-sink")
        guard perMinuteCounts else { return try builder.build() }
        edits.groupBy(named: "edits-by-wiki", key: .string, value: WikiEdit.serde) { wiki, _ in wiki }
            .windowedBy(.ofSizeAndGrace(size: .seconds(60), grace: perMinuteGrace))
            .count(named: "count-per-minute", materializedAs: perMinuteStore)
            .suppress(.untilWindowCloses(wallClockCloseAfter: idleClose), named: "final-per-minute")
            .toStream(named: "final-minutes")
            .map(named: "to-minute-count") { windowed, count in
                (windowed.key, count.map { WikiMinuteCount(wiki: windowed.key, window: windowed.window, edits: $0) })
            }
            .to(perMinuteTopic, key: .string, value: .optional(.json(WikiMinuteCount.self)), named: "per-minute-sink")
        return try builder.build()
    }
}
