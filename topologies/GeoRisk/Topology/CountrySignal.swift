import TributaryCore

/// Both sides of one (country, window), either possibly missing: the value of the full outer join.
public struct CountryWindowSides: Codable, Sendable, Equatable {
    /// The GDELT aggregate, `nil` without GDELT rows.
    public var gdelt: GDELTWindowStats?
    /// The Wikipedia aggregate, `nil` without counted edits.
    public var wiki: WikiWindowStats?

    /// Creates the pair.
    public init(gdelt: GDELTWindowStats?, wiki: WikiWindowStats?) {
        self.gdelt = gdelt
        self.wiki = wiki
    }
}

/// Why a signal scored what it did: the two terms of the formula and the items behind them.
public struct RiskExplanation: Codable, Sendable, Equatable {
    /// log2(1 + severity) × (1 + max(0, −toneMean) / 10): the GDELT term.
    public var gdeltTerm: Double
    /// 2 × log2(max(surge, 1)): the Wikipedia term.
    public var attentionTerm: Double
    /// A readable summary, e.g. `"GDELT: severity 106 over 3 conflict events, mean tone -1.75 (+7.23); Wikipedia:
    /// 12 edits over a baseline of 1.5 (surge 5.2x, +4.76)"`.
    public var reason: String
    /// The GDELT side's top events (empty without GDELT rows).
    public var topEvents: [GDELTTopEvent]
    /// The Wikipedia side's top articles (empty without counted edits).
    public var topArticles: [ArticleEdits]
}

/// One country's risk signal in one window, as written to `risk.signals` and the tables.
///
/// JSON: `{"country":"UP","name":"Ukraine","start":"2025-05-16T02:00:00.000Z","end":"2025-05-16T02:15:00.000Z",
/// "startMs":…,"endMs":…,"gdelt":{…}|null,"wiki":{…}|null,"toneMean":…,"previousEdits":[…],"baseline":…,
/// "surge":…,"risk":…,"explanation":{…}}`.
public struct CountrySignal: Codable, Sendable, Equatable {
    /// FIPS 10-4 country code.
    public var country: String
    /// The gazetteer's name of the country; `nil` for a code it lacks.
    public var name: String?
    /// Window start, ISO-8601 UTC.
    public var start: String
    /// Window end (exclusive), ISO-8601 UTC.
    public var end: String
    /// Window start, ms since the epoch.
    public var startMs: Int64
    /// Window end, ms since the epoch.
    public var endMs: Int64
    /// The GDELT aggregate, `nil` without GDELT rows.
    public var gdelt: GDELTWindowStats?
    /// The Wikipedia aggregate, `nil` without counted edits.
    public var wiki: WikiWindowStats?
    /// toneSum / events, or 0.
    public var toneMean: Double
    /// `edits` of the previous 4 windows, oldest first, missing ones as 0.
    public var previousEdits: [Int64]
    /// Mean of ``previousEdits``.
    public var baseline: Double
    /// (edits + 1) / (baseline + 1).
    public var surge: Double
    /// The score (see ``RiskSignal``).
    public var risk: Double
    /// Why.
    public var explanation: RiskExplanation

    /// The signal of `country` in `window` from the computed ``RiskSignal``.
    public init(country: String, name: String?, window: Window, signal: RiskSignal) {
        self.country = country
        self.name = name
        self.start = ISO8601Timestamp.format(window.start)
        self.end = ISO8601Timestamp.format(window.end)
        self.startMs = window.start
        self.endMs = window.end
        self.gdelt = signal.gdelt
        self.wiki = signal.wiki
        self.toneMean = signal.toneMean
        self.previousEdits = signal.previousEdits
        self.baseline = signal.baseline
        self.surge = signal.surge
        self.risk = signal.risk
        let gdeltTerm = RiskSignal.risk(severity: signal.gdelt?.severity ?? 0, toneMean: signal.toneMean, surge: 1)
        let attentionTerm = RiskSignal.risk(severity: 0, toneMean: 0, surge: signal.surge)
        var parts: [String] = []
        if let gdelt = signal.gdelt {
            parts.append(
                "GDELT: severity \(GeoRiskFormat.number(gdelt.severity)) over \(gdelt.conflictEvents) conflict events "
                    + "of \(gdelt.events), mean tone \(GeoRiskFormat.number(signal.toneMean)) "
                    + "(+\(GeoRiskFormat.number(gdeltTerm)))")
        } else {
            parts.append("GDELT: no events")
        }
        parts.append(
            "Wikipedia: \(signal.wiki?.edits ?? 0) edits over a baseline of \(GeoRiskFormat.number(signal.baseline)) "
                + "(surge \(GeoRiskFormat.number(signal.surge))x, +\(GeoRiskFormat.number(attentionTerm)))")
        self.explanation = RiskExplanation(
            gdeltTerm: gdeltTerm, attentionTerm: attentionTerm, reason: parts.joined(separator: "; "),
            topEvents: signal.gdelt?.topEvents ?? [], topArticles: signal.wiki?.topArticles ?? [])
    }
}

/// An alert, as written to `risk.alerts` (key = country code).
public struct CountryAlert: Codable, Sendable, Equatable {
    /// FIPS 10-4 country code.
    public var country: String
    /// The gazetteer's name of the country.
    public var name: String?
    /// Window start, ISO-8601 UTC.
    public var start: String
    /// Window end (exclusive), ISO-8601 UTC.
    public var end: String
    /// Window start, ms since the epoch.
    public var startMs: Int64
    /// Window end, ms since the epoch.
    public var endMs: Int64
    /// The window's risk.
    public var risk: Double
    /// The previous window's risk (0 without a signal in it).
    public var previousRisk: Double
    /// Why the alert fired.
    public var reason: String
    /// The signal's explanation.
    public var explanation: String

    /// The alert of `signal`.
    public init(signal: CountrySignal, alert: RiskAlert) {
        country = signal.country
        name = signal.name
        start = signal.start
        end = signal.end
        startMs = signal.startMs
        endMs = signal.endMs
        risk = alert.risk
        previousRisk = alert.previousRisk
        reason = alert.reason
        explanation = signal.explanation.reason
    }
}

/// What the signal processor writes: a signal, or an alert.
public enum RiskOutput: Sendable, Equatable {
    /// A signal, for `risk.signals`.
    case signal(CountrySignal)
    /// An alert, for `risk.alerts`.
    case alert(CountryAlert)
}

/// The state the signal processor keeps per country (store `country-edit-history`): the recent windows with a
/// signal, oldest first, to compute the baseline and find the previous window's risk.
public struct CountryHistory: Codable, Sendable, Equatable {
    /// One past window.
    public struct Entry: Codable, Sendable, Equatable {
        /// Window start, ms since the epoch.
        public var startMs: Int64
        /// Its `edits` (0 without counted edits).
        public var edits: Int64
        /// Its risk.
        public var risk: Double
    }

    /// The windows kept, by start ascending.
    public var windows: [Entry] = []

    /// Creates an empty history.
    public init() {}

    /// The entry of the window starting at `startMs`.
    public func entry(startMs: Int64) -> Entry? { windows.first { $0.startMs == startMs } }

    /// Records (or replaces) a window, and forgets windows too old to be in the baseline of the newest one.
    public mutating func record(_ entry: Entry, windowSizeMs: Int64) {
        windows.removeAll { $0.startMs == entry.startMs }
        windows.append(entry)
        windows.sort { $0.startMs < $1.startMs }
        let newest = windows.last!.startMs
        let oldestKept = newest - Int64(RiskSignal.baselineWindows) * windowSizeMs
        windows.removeAll { $0.startMs < oldestKept }
    }
}

enum GeoRiskFormat {
    /// `value` rounded to hundredths, as Swift prints it ("106.0", "-1.75").
    static func number(_ value: Double) -> String {
        String((value * 100).rounded() / 100)
    }
}
