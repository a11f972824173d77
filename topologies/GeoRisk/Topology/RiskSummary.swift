import TributaryCore

/// A readable summary of GeoRisk's output: per window the countries with the highest risk and what drove it, then
/// every alert. `georisk summary` prints it from the `risk.signals` and `risk.alerts` topics.
public struct RiskSummary {
    /// The signals, in any order.
    public var signals: [CountrySignal]
    /// The alerts, in any order.
    public var alerts: [CountryAlert]
    /// How many countries to list per window.
    public var topPerWindow: Int

    /// A summary of `signals` and `alerts`.
    public init(signals: [CountrySignal], alerts: [CountryAlert], topPerWindow: Int = 3) {
        self.signals = signals
        self.alerts = alerts
        self.topPerWindow = topPerWindow
    }

    /// The summary text, one line per window and per alert.
    public var text: String {
        let windows = Dictionary(grouping: signals, by: \.startMs)
        let countries = Set(signals.map(\.country))
        var lines: [String] = []
        guard let first = windows.keys.min(), let last = signals.map(\.endMs).max() else {
            return "No signals yet.\n"
        }
        lines.append(
            "\(signals.count) signals for \(countries.count) countries in \(windows.count) windows "
                + "(\(Self.time(first)) to \(Self.time(last)) UTC), \(alerts.count) alerts")
        lines.append("")
        lines.append("Highest risk per window (risk: main reason):")
        for start in windows.keys.sorted() {
            let top = windows[start]!.sorted { ($0.risk, $1.country) > ($1.risk, $0.country) }.prefix(topPerWindow)
            lines.append("  \(Self.time(start))  " + top.map { "\(Self.label($0.country, $0.name)) \(Self.number($0.risk))" }
                .joined(separator: ", "))
            for signal in top { lines.append("      \(Self.label(signal.country, signal.name)): \(Self.mainReason(signal))") }
            let attention = windows[start]!.filter { ($0.wiki?.edits ?? 0) > 0 }
                .sorted { ($0.explanation.attentionTerm, $0.wiki!.edits, $1.country) > ($1.explanation.attentionTerm, $1.wiki!.edits, $0.country) }
            if let most = attention.first, let wiki = most.wiki {
                let article = wiki.topArticles.first.map { ", \"\($0.title)\"" } ?? ""
                lines.append(
                    "      Wikipedia: \(attention.count) countries edited; most attention \(Self.label(most.country, most.name)) "
                        + "\(wiki.edits) edits, surge \(Self.number(most.surge))x (+\(Self.number(most.explanation.attentionTerm)))\(article)")
            }
        }
        lines.append("")
        lines.append("Alerts (risk >= 5 and at least 3x the previous window's):")
        for alert in alerts.sorted(by: { ($0.startMs, $0.country) < ($1.startMs, $1.country) }) {
            lines.append("  \(Self.time(alert.startMs))  \(Self.label(alert.country, alert.name)): \(alert.reason)")
        }
        if alerts.isEmpty { lines.append("  none") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The term that contributed most, with its evidence: the top event or the top article.
    static func mainReason(_ signal: CountrySignal) -> String {
        let explanation = signal.explanation
        if explanation.attentionTerm > explanation.gdeltTerm, let wiki = signal.wiki {
            let article = wiki.topArticles.first.map { ", most edited: \"\($0.title)\" (\($0.edits))" } ?? ""
            return "Wikipedia attention: \(wiki.edits) edits by \(wiki.editors) editors over a baseline of "
                + "\(Self.number(signal.baseline))\(article)"
        }
        guard let gdelt = signal.gdelt else { return "no GDELT rows, no attention surge" }
        var reason = "GDELT: severity \(Self.number(gdelt.severity)) over \(gdelt.conflictEvents) conflict events "
            + "of \(gdelt.events), mean tone \(Self.number(signal.toneMean))"
        if let event = gdelt.topEvents.first, event.weight > 0 {
            let actors = [event.actor1Name, event.actor2Name].compactMap { $0 }.joined(separator: " / ")
            reason += "; top event \(event.eventCode ?? "?") \(actors.isEmpty ? "" : "(\(actors)) ")"
                + "\(event.sourceURL ?? "")"
        }
        return reason
    }

    static func label(_ code: String, _ name: String?) -> String { name.map { "\($0) (\(code))" } ?? code }

    static func number(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int64(rounded)) : String(rounded)
    }

    /// `yyyy-MM-dd HH:mm` of epoch milliseconds, UTC.
    static func time(_ epochMs: Int64) -> String {
        let iso = ISO8601Timestamp.format(epochMs)
        return String(iso.prefix(16)).replacing("T", with: " ")
    }
}
