import GeoRiskTopology
import Testing

/// GDELT statistics with only the fields the formula reads set.
func gdeltStats(events: Int64, toneSum: Double, severity: Double) -> GDELTWindowStats {
    var stats = GDELTWindowStats()
    stats.events = events
    stats.toneSum = toneSum
    stats.severity = severity
    return stats
}

func wikiStats(edits: Int64) -> WikiWindowStats {
    WikiWindowStats(edits: edits, editors: 1, bytesChanged: 0, topArticles: [])
}

/// Every expected number here is worked out by hand in the comments, not with the code under test.
@Suite struct GeoRiskSignalTests {
    @Test func bothSidesGiveTheHandComputedRisk() {
        // severity 7: log2(8) = 3; toneMean -20 / 4 = -5: factor 1 + 5/10 = 1.5; 3 × 1.5 = 4.5.
        // baseline (4 + 0 + 0 + 8) / 4 = 3 (the missing window counts 0); surge (15 + 1) / (3 + 1) = 4;
        // 2 × log2(4) = 4. risk 4.5 + 4 = 8.5.
        let signal = RiskSignal.compute(
            gdelt: gdeltStats(events: 4, toneSum: -20, severity: 7), wiki: wikiStats(edits: 15),
            previousEdits: [4, 0, nil, 8])
        #expect(signal.toneMean == -5)
        #expect(signal.baseline == 3)
        #expect(signal.previousEdits == [4, 0, 0, 8])
        #expect(signal.surge == 4)
        #expect(signal.risk == 8.5)
        #expect(signal.gdelt?.severity == 7)
        #expect(signal.wiki?.edits == 15)
    }

    @Test func fewerThanFourPreviousWindowsCountTheMissingOnesAsZero() {
        // baseline (0 + 0 + 2 + 6) / 4 = 2; surge (5 + 1) / (2 + 1) = 2; 2 × log2(2) = 2; no GDELT: 0.
        let signal = RiskSignal.compute(gdelt: nil, wiki: wikiStats(edits: 5), previousEdits: [2, 6])
        #expect(signal.previousEdits == [0, 0, 2, 6])
        #expect(signal.baseline == 2)
        #expect(signal.surge == 2)
        #expect(signal.toneMean == 0)
        #expect(signal.risk == 2)
        // No history at all: baseline 0, surge edits + 1 = 8, 2 × 3 = 6.
        #expect(RiskSignal.compute(gdelt: nil, wiki: wikiStats(edits: 7), previousEdits: []).risk == 6)
    }

    @Test func gdeltOnlyWithPositiveToneIsNotAmplified() {
        // severity 31: log2(32) = 5; toneMean +3: factor 1; no edits: surge 1 / 1 = 1, log2(1) = 0. risk 5.
        let signal = RiskSignal.compute(
            gdelt: gdeltStats(events: 2, toneSum: 6, severity: 31), wiki: nil, previousEdits: [nil, nil, nil, nil])
        #expect(signal.toneMean == 3)
        #expect(signal.surge == 1)
        #expect(signal.risk == 5)
    }

    @Test func attentionBelowTheBaselineDoesNotLowerTheRisk() {
        // baseline 10, edits 0: surge 1/11 < 1, clamped to 1 -> 0; severity 0 -> 0.
        let signal = RiskSignal.compute(
            gdelt: gdeltStats(events: 3, toneSum: -30, severity: 0), wiki: nil, previousEdits: [10, 10, 10, 10])
        #expect(signal.surge == 1.0 / 11.0)
        #expect(signal.toneMean == -10)
        #expect(signal.risk == 0)
        #expect(RiskSignal.compute(gdelt: GDELTWindowStats(), wiki: nil, previousEdits: []).toneMean == 0)
    }

    @Test func alertsNeedRiskFiveAndThreeTimesThePreviousWindow() {
        let alert = RiskAlert.evaluate(risk: 8.5, previousRisk: 2.5)  // 8.5 >= 5 and 8.5 >= 7.5
        #expect(alert == RiskAlert(risk: 8.5, previousRisk: 2.5, reason: "risk 8.5 >= 5.0, 3.4× the previous window's 2.5"))
        #expect(RiskAlert.evaluate(risk: 8.5, previousRisk: 3) == nil)  // 8.5 < 9
        #expect(RiskAlert.evaluate(risk: 6, previousRisk: 2) != nil)  // exactly 3×
        #expect(RiskAlert.evaluate(risk: 4.99, previousRisk: 0) == nil)  // below 5
        #expect(RiskAlert.evaluate(risk: 5, previousRisk: 0)?.reason == "risk 5.0 >= 5.0, previous window's risk was 0")
        let first = RiskAlert.evaluate(risk: 5, previousRisk: nil)
        #expect(first?.previousRisk == 0)
        #expect(first?.reason == "risk 5.0 >= 5.0, no signal in the previous window")
    }
}
