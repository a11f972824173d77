import TributaryCore

/// AdClicks, the join example: attributes clicks to the ad impressions they follow.
///
/// Reads `ad.impressions` and `ad.clicks`, both keyed by impression id (any UTF-8 value), and left-joins them
/// within ``window`` of event time (the record timestamps) with ``grace`` for out-of-order records: every
/// impression–click pair of one id at most a minute apart gives `"<impression>|<click>"`, and an impression
/// that no click joined gives `"<impression>|no-click"` once its window has closed (stream time passed its time
/// + 1 minute + grace), never earlier. Results go to `ad.attributed`, keyed by impression id, with the later of
/// the two timestamps (the impression's own for no-click results).
public enum AdClicksTopology {
    /// Impressions, keyed by impression id.
    public static let impressionsTopic = "ad.impressions"
    /// Clicks, keyed by the id of the impression clicked.
    public static let clicksTopic = "ad.clicks"
    /// Attribution results.
    public static let attributedTopic = "ad.attributed"
    /// How far apart an impression and its click may be, either way.
    public static let window = Duration.seconds(60)
    /// How long after a window's end out-of-order records still join.
    public static let grace = Duration.seconds(10)
    /// What follows `|` for an impression without a click.
    public static let noClick = "no-click"
    /// Unreadable records go to `adclicks.dlq`.
    public static let errorPolicies = ErrorPolicies.deadLetter(topic: "adclicks.dlq")

    /// The topology.
    public static func make() throws -> Topology {
        let builder = StreamsBuilder()
        let impressions = builder.stream(impressionsTopic, key: .string, value: .string, named: "impressions")
        let clicks = builder.stream(clicksTopic, key: .string, value: .string, named: "clicks")
        impressions.leftJoin(
            clicks, windows: .ofTimeDifferenceAndGrace(window, grace), named: "attribution", key: .string,
            value: .string, otherValue: .string
        ) { impression, click in "\(impression)|\(click ?? noClick)" }
        .to(attributedTopic, key: .string, value: .string, named: "attributed-sink")
        return try builder.build()
    }
}
