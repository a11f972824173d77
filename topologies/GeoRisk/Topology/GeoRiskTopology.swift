import TributaryCore

/// GeoRisk: per-country risk signals from GDELT events and Wikipedia edits in 15-minute windows.
///
/// Two branches, each re-keyed by country through a repartition topic and aggregated per tumbling 15-minute
/// window of event time (UTC, aligned to the epoch; grace ``defaultGrace`` unless given). The two eager windowed
/// tables are outer-joined per (country, window) and the join is suppressed, so each (country, window) present
/// in either source gives exactly one joined value once both windows have closed; ``RiskSignalProcessor`` turns
/// it into a signal:
///
/// ```
/// gdelt.events ──(DATEADDED)── country != "" ──► <app>-gdelt-by-country-repartition ──► window aggregate (G)
/// wikimedia.recentchange ──(meta.dt)── human article edits ── one record per country named in the title
///     ──► <app>-wiki-by-country-repartition ──► window aggregate (W)
/// G ──► suppress ──► georisk.gdelt-by-country-15m   (key country, CountryWindow<GDELTWindowStats>)
/// W ──► suppress ──► georisk.wiki-by-country-15m    (key country, CountryWindow<WikiWindowStats>)
/// G outer join W per (country, window) ──► suppress ──► risk-signal ──► risk.signals, risk.alerts
/// ```
///
/// Stores: the window stores ``gdeltStore`` (``GDELTWindowStats`` JSON) and ``wikiStore`` (``WikiWindowState`` JSON); the
/// join's ``joinedStore`` (with its `-left-copy` / `-right-copy`); ``historyStore``; the tables ``latestStore``
/// and ``byWindowStore``. Both sides run in one sub-topology (the join needs them co-partitioned). Records that
/// fail to parse, or whose event time is invalid, go to ``deadLetterTopic`` with the reason in its headers.
public enum GeoRiskTopology {
    /// GDELT export rows from the GDELT connector (key: ActionGeo_CountryCode or null).
    public static let gdeltTopic = "gdelt.events"
    /// Wikimedia recent changes (EventStreams JSON).
    public static let wikiTopic = "wikimedia.recentchange"
    /// The country gazetteer, compacted: key FIPS code (``GazetteerEntry/blockersKey`` for the blockers), value
    /// ``GazetteerEntry`` JSON. Read as a global table, so an added alias applies without a redeploy.
    public static let gazetteerTopic = "georisk.gazetteer"
    /// The gazetteer's global store.
    public static let gazetteerStore = "gazetteer"
    /// Final GDELT statistics per country and window.
    public static let gdeltWindowTopic = "georisk.gdelt-by-country-15m"
    /// Final Wikipedia statistics per country and window.
    public static let wikiWindowTopic = "georisk.wiki-by-country-15m"
    /// The GDELT window store.
    public static let gdeltStore = "gdelt-by-country-15m"
    /// The Wikipedia window store.
    public static let wikiStore = "wiki-by-country-15m"
    /// One signal per (country, window) with GDELT rows or counted edits (key country, ``CountrySignal`` JSON).
    public static let signalsTopic = "risk.signals"
    /// Alerts (key country, ``CountryAlert`` JSON).
    public static let alertsTopic = "risk.alerts"
    /// The join's result per (country, window) before suppression (key-value store, changelogged).
    public static let joinedStore = "country-window-joined"
    /// Per country, the recent windows' edits and risks (key-value store, changelogged).
    public static let historyStore = "country-edit-history"
    /// Table: country -> latest signal (key-value store, changelogged).
    public static let latestStore = "country-risk-latest"
    /// Table: (country, window start) -> signal (window store, changelogged, retention ``byWindowRetention``).
    public static let byWindowStore = "risk-by-window"
    /// How long ``byWindowStore`` keeps windows: 7 days, in ms.
    public static let byWindowRetentionMs: Int64 = 7 * 24 * 3600 * 1000
    /// Window length.
    public static let windowSize = Duration.seconds(15 * 60)
    /// How long after its end a window accepts late records by default.
    public static let defaultGrace = Duration.seconds(5 * 60)
    /// The dead-letter topic.
    public static let deadLetterTopic = "georisk.dlq"
    /// Where every failing record goes.
    public static let errorPolicies = ErrorPolicies.deadLetter(topic: deadLetterTopic)
    /// Values larger than this are rejected as malformed before parsing.
    public static let maxEventBytes = 1 << 20

    /// The windows of both sides.
    public static func windows(grace: Duration = defaultGrace) -> TimeWindows {
        .ofSizeAndGrace(size: windowSize, grace: grace)
    }

    /// The (country, edit) records one recent change contributes: one per country the title names, none for a
    /// change GeoRisk does not count.
    public static func countryEdits(_ change: WikiChange, gazetteer: Gazetteer) -> [(String, WikiCountryEdit)] {
        guard change.isHumanArticleEdit else { return [] }
        let codes = gazetteer.countries(inTitle: change.title)
        guard !codes.isEmpty else { return [] }
        let edit = WikiCountryEdit(
            title: change.title, editor: WikiCountryEdit.editorKey(change.user), bytesChanged: change.bytesChanged)
        return codes.map { ($0, edit) }
    }

    /// The topology. The gazetteer is read from ``gazetteerTopic`` as a global table (load it with
    /// ``Gazetteer/entries`` before the first Wikipedia record; the `georisk` binary does so when the topic is empty).
    ///
    /// - Parameters:
    ///   - grace: how long after its end a window accepts late records.
    ///   - idleClose: on an idle input, windows also close by the wall clock after this long without updates
    ///     (see `Suppressed`); `nil` closes them by stream time only.
    public static func make(grace: Duration = defaultGrace, idleClose: Duration? = .seconds(60)) throws -> Topology {
        let builder = StreamsBuilder()
        let windows = windows(grace: grace)
        let suppressed = idleClose.map { Suppressed.untilWindowCloses(wallClockCloseAfter: $0) } ?? .untilWindowCloses
        _ = builder.globalTable(
            gazetteerTopic, key: .string, value: .json(GazetteerEntry.self), materializedAs: gazetteerStore)

        let gdeltTable = builder.stream(
            gdeltTopic, key: .optional(.bytes), value: .json(maxBytes: maxEventBytes, decoding: GDELTRow.init(json:)),
            timestampExtractor: TimestampExtractor { record, _ in record.value.eventTimeMs },
            named: "gdelt-source"
        )
        .filter(named: "gdelt-with-country") { _, row in !(row.actionGeoCountryCode ?? "").isEmpty }
        .groupBy(named: "gdelt-by-country", key: .string, value: .json(decoding: GDELTRow.init(json:))) { _, row in
            row.actionGeoCountryCode ?? ""
        }
        .windowedBy(windows)
        .aggregate(
            named: "gdelt-aggregate", materializedAs: gdeltStore, aggregate: .json(GDELTWindowStats.self),
            initializer: GDELTWindowStats.init
        ) { _, row, stats in stats.adding(row) }

        gdeltTable
            .suppress(suppressed, named: "gdelt-final")
            .toStream(named: "gdelt-final-windows")
            .process(named: "to-gdelt-country-window") {
                CountryWindowProcessor<GDELTWindowStats, GDELTWindowStats> { $0 }
            }
            .to(
                gdeltWindowTopic, key: .string, value: .optional(.json(CountryWindow<GDELTWindowStats>.self)),
                named: "gdelt-window-sink")

        let wikiTable = builder.stream(
            wikiTopic, key: .optional(.bytes), value: .json(maxBytes: maxEventBytes, decoding: WikiChange.init(json:)),
            timestampExtractor: TimestampExtractor { record, _ in ISO8601Timestamp.parse(record.value.dt) },
            named: "wiki-source"
        )
        .process(named: "wiki-country-edits") { WikiCountryEditsProcessor<[UInt8]?>() }
        .groupBy(named: "wiki-by-country", key: .string, value: .json(WikiCountryEdit.self)) { country, _ in country }
        .windowedBy(windows)
        .aggregate(
            named: "wiki-aggregate", materializedAs: wikiStore, aggregate: .json(WikiWindowState.self),
            initializer: WikiWindowState.init
        ) { _, edit, state in state.adding(edit) }

        wikiTable
            .suppress(suppressed, named: "wiki-final")
            .toStream(named: "wiki-final-windows")
            .process(named: "to-wiki-country-window") {
                CountryWindowProcessor<WikiWindowState, WikiWindowStats> { $0.stats }
            }
            .to(
                wikiWindowTopic, key: .string, value: .optional(.json(CountryWindow<WikiWindowStats>.self)),
                named: "wiki-window-sink")

        // The signal: the eager windowed tables joined per (country, window), then suppressed, so each window
        // gives one final joined value (suppressing each side first would give one per side).
        // Country-code keys and JSON values (RiskSignalProcessor's serdes), so the query port can read them.
        builder.addStateStore(StoreSpec(name: historyStore, kind: .keyValue, keyFormat: .string, valueFormat: .json))
        builder.addStateStore(StoreSpec(name: latestStore, kind: .keyValue, keyFormat: .string, valueFormat: .json))
        builder.addStateStore(StoreSpec(
            name: byWindowStore, kind: .window(retentionMs: byWindowRetentionMs), keyFormat: .string,
            valueFormat: .json))
        let windowSizeMs: Int64 = 15 * 60 * 1000
        let outputs = gdeltTable
            .outerJoin(
                wikiTable, named: "country-window-join", materializedAs: joinedStore,
                value: .json(CountryWindowSides.self)
            ) { gdelt, wiki in CountryWindowSides(gdelt: gdelt, wiki: wiki?.stats) }
            .suppress(suppressed, named: "joined-final")
            .toStream(named: "joined-final-windows")
            .process(named: "risk-signal", stores: [historyStore, latestStore, byWindowStore]) {
                RiskSignalProcessor(windowSizeMs: windowSizeMs)
            }
        outputs
            .flatMapValues(named: "signals") { output -> [CountrySignal] in
                if case .signal(let signal) = output { [signal] } else { [] }
            }
            .to(signalsTopic, key: .string, value: .json(CountrySignal.self), named: "signals-sink")
        outputs
            .flatMapValues(named: "alerts") { output -> [CountryAlert] in
                if case .alert(let alert) = output { [alert] } else { [] }
            }
            .to(alertsTopic, key: .string, value: .json(CountryAlert.self), named: "alerts-sink")

        return try builder.build()
    }
}
