import TributaryCore

/// Turns each final (country, window) of the joined aggregates into a ``CountrySignal`` (and a ``CountryAlert``
/// when ``RiskAlert`` says so), keeping per country the recent windows' edits and risks in
/// ``GeoRiskTopology/historyStore``, and writing the tables ``GeoRiskTopology/latestStore`` and
/// ``GeoRiskTopology/byWindowStore``.
///
/// The baseline of window *W* reads the history entries of *W* − 1 … *W* − 4 windows (missing ones count 0);
/// the alert compares with the entry of *W* − 1 (none: no signal, risk 0). Reprocessing a window (a restart
/// before a commit) recomputes it from the same entries, so it gives the same signal.
final class RiskSignalProcessor: Processor {
    typealias KeyIn = Windowed<String>
    typealias ValueIn = CountryWindowSides?
    typealias KeyOut = String
    typealias ValueOut = RiskOutput

    private let windowSizeMs: Int64
    private var gazetteer: GazetteerTable!
    private var context: ProcessorContext<String, RiskOutput>!
    private var history: KeyValueStore<String, CountryHistory>!
    private var latest: KeyValueStore<String, CountrySignal>!
    private var byWindow: WindowStore<String, CountrySignal>!

    init(windowSizeMs: Int64) {
        self.windowSizeMs = windowSizeMs
    }

    func initialize(context: ProcessorContext<String, RiskOutput>) throws {
        self.context = context
        gazetteer = try GazetteerTable(context: context)
        history = try context.keyValueStore(
            GeoRiskTopology.historyStore, key: .string, value: .json(CountryHistory.self))
        latest = try context.keyValueStore(GeoRiskTopology.latestStore, key: .string, value: .json(CountrySignal.self))
        byWindow = try context.windowStore(
            GeoRiskTopology.byWindowStore, key: .string, value: .json(CountrySignal.self))
    }

    func process(_ record: Record<Windowed<String>, CountryWindowSides?>) throws {
        guard let sides = record.value, sides.gdelt != nil || sides.wiki != nil else { return }
        let country = record.key.key
        let window = record.key.window
        var past = try history.get(country) ?? CountryHistory()
        let previousEdits: [Int64?] = (1...RiskSignal.baselineWindows).reversed().map { back in
            past.entry(startMs: window.start - Int64(back) * windowSizeMs)?.edits
        }
        let previousRisk = past.entry(startMs: window.start - windowSizeMs)?.risk
        let computed = RiskSignal.compute(gdelt: sides.gdelt, wiki: sides.wiki, previousEdits: previousEdits)
        let signal = CountrySignal(country: country, name: try gazetteer.current().name(of: country), window: window, signal: computed)

        let newestBefore = past.windows.last?.startMs
        past.record(
            .init(startMs: window.start, edits: sides.wiki?.edits ?? 0, risk: computed.risk), windowSizeMs: windowSizeMs)
        try history.put(country, past)
        if newestBefore.map({ window.start >= $0 }) ?? true { try latest.put(country, signal) }
        try byWindow.put(country, windowStart: window.start, signal)

        try context.forward(Record(key: country, value: .signal(signal), timestamp: record.timestamp))
        if let alert = RiskAlert.evaluate(risk: computed.risk, previousRisk: previousRisk) {
            try context.forward(
                Record(key: country, value: .alert(CountryAlert(signal: signal, alert: alert)), timestamp: record.timestamp))
        }
    }
}
