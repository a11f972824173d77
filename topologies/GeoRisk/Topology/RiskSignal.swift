#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The risk score of one country in one window, with every input it was computed from.
///
/// - `toneMean` = toneSum / events (0 without GDELT rows);
/// - `baseline` = mean `edits` of the country over its previous ``baselineWindows`` windows, missing ones as 0;
/// - `surge` = (edits + 1) / (baseline + 1);
/// - `risk` = log2(1 + severity) × (1 + max(0, −toneMean) / 10) + 2 × log2(max(surge, 1)).
///
/// Rationale and limits: `topologies/GeoRisk/README.md`. This is the pure computation; joining both sides per
/// (country, window) and reading the previous windows is the topology's job.
public struct RiskSignal: Codable, Sendable, Equatable {
    /// The GDELT side, `nil` without GDELT rows.
    public var gdelt: GDELTWindowStats?
    /// The Wikipedia side, `nil` without counted edits.
    public var wiki: WikiWindowStats?
    /// `edits` of the previous ``baselineWindows`` windows, oldest first, missing ones as 0.
    public var previousEdits: [Int64]
    /// toneSum / events, or 0.
    public var toneMean: Double
    /// Mean of ``previousEdits``.
    public var baseline: Double
    /// (edits + 1) / (baseline + 1).
    public var surge: Double
    /// The score.
    public var risk: Double

    /// How many previous windows the baseline averages.
    public static let baselineWindows = 4

    /// The signal of one (country, window).
    ///
    /// - Parameter previousEdits: `edits` of the previous windows, oldest first, at most ``baselineWindows``;
    ///   `nil` (or absent, when fewer are given) for a window without counted edits.
    public static func compute(
        gdelt: GDELTWindowStats?, wiki: WikiWindowStats?, previousEdits: [Int64?]
    ) -> RiskSignal {
        precondition(previousEdits.count <= baselineWindows, "at most \(baselineWindows) previous windows")
        let padded = Array(repeating: Int64(0), count: baselineWindows - previousEdits.count)
            + previousEdits.map { $0 ?? 0 }
        let baseline = Double(padded.reduce(0, +)) / Double(baselineWindows)
        let toneMean = gdelt.map { $0.events > 0 ? $0.toneSum / Double($0.events) : 0 } ?? 0
        let edits = Double(wiki?.edits ?? 0)
        let surge = (edits + 1) / (baseline + 1)
        return RiskSignal(
            gdelt: gdelt, wiki: wiki, previousEdits: padded, toneMean: toneMean, baseline: baseline, surge: surge,
            risk: risk(severity: gdelt?.severity ?? 0, toneMean: toneMean, surge: surge))
    }

    /// log2(1 + severity) × (1 + max(0, −toneMean) / 10) + 2 × log2(max(surge, 1)).
    public static func risk(severity: Double, toneMean: Double, surge: Double) -> Double {
        log2(1 + max(0, severity)) * (1 + max(0, -toneMean) / 10) + 2 * log2(max(surge, 1))
    }
}

/// A risk alert: a window whose risk is high and has at least tripled since the country's previous window.
public struct RiskAlert: Codable, Sendable, Equatable {
    /// The window's risk.
    public var risk: Double
    /// The previous window's risk (0 when the country had no signal in it).
    public var previousRisk: Double
    /// Why the alert fired, readable.
    public var reason: String

    /// The lowest risk that alerts.
    public static let minimumRisk = 5.0
    /// How many times the previous window's risk the risk must reach (3: growth of 200% or more).
    public static let growthFactor = 3.0

    /// Creates an alert.
    public init(risk: Double, previousRisk: Double, reason: String) {
        self.risk = risk
        self.previousRisk = previousRisk
        self.reason = reason
    }

    /// The alert for a window of risk `risk` after one of `previousRisk` (`nil`: no signal, counted as 0),
    /// or `nil` unless risk >= ``minimumRisk`` and risk >= ``growthFactor`` × previousRisk.
    public static func evaluate(risk: Double, previousRisk: Double?) -> RiskAlert? {
        let previous = previousRisk ?? 0
        guard risk >= minimumRisk, risk >= growthFactor * previous else { return nil }
        let growth = previous > 0 ? "\(rounded(risk / previous))× the previous window's \(rounded(previous))"
            : previousRisk == nil ? "no signal in the previous window" : "previous window's risk was 0"
        return RiskAlert(
            risk: risk, previousRisk: previous,
            reason: "risk \(rounded(risk)) >= \(rounded(minimumRisk)), \(growth)")
    }

    private static func rounded(_ value: Double) -> String {
        let hundredths = (value * 100).rounded()
        return String(hundredths / 100)
    }
}
