import TributaryCore

/// WordCount, the stateful example: running word totals and final per-minute word counts.
///
/// Reads text lines from `wordcount.input` (any key), splits them into lower-cased words (runs of letters and
/// digits; everything else separates words), and groups them by word through the repartition topic
/// `<application id>-words-repartition`. From there:
/// - `word-totals` (key-value store) keeps each word's running total; every update goes to `wordcount.totals`
///   with key = word and value = the total as a UTF-8 decimal string.
/// - `word-counts-1m` (window store) counts each word per 1-minute tumbling window of event time, with
///   ``grace`` for out-of-order lines; when a window closes its final count goes once to `wordcount.windowed`
///   with key = word and value = ``WindowedCount`` JSON. Closing follows stream time, and on an idle input also
///   the wall clock after ``idleClose`` (see `Suppressed`).
public enum WordCountTopology {
    /// The input topic: one line of text per record.
    public static let inputTopic = "wordcount.input"
    /// Running totals: key = word, value = decimal string.
    public static let totalsTopic = "wordcount.totals"
    /// Final 1-minute counts: key = word, value = ``WindowedCount`` JSON.
    public static let windowedTopic = "wordcount.windowed"
    /// The running totals' store.
    public static let totalsStore = "word-totals"
    /// The per-minute counts' store.
    public static let windowStore = "word-counts-1m"
    /// Window length.
    public static let windowSize = Duration.seconds(60)
    /// How long after its end a window accepts late lines.
    public static let grace = Duration.seconds(10)
    /// Wall-clock idle time after which windows close on an idle input.
    public static let idleClose = Duration.seconds(30)
    /// Lines that cannot be read as UTF-8 text go to `wordcount.dlq`.
    public static let errorPolicies = ErrorPolicies.deadLetter(topic: "wordcount.dlq")

    /// The lower-cased words of `line`: maximal runs of letters and digits.
    public static func words(_ line: String) -> [String] {
        line.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init)
    }

    /// The topology.
    public static func make() throws -> Topology {
        let builder = StreamsBuilder()
        let byWord = builder.stream(inputTopic, key: .optional(.bytes), value: .string, named: "lines-source")
            .flatMapValues(named: "split-words") { line in WordCountTopology.words(line) }
            .groupBy(named: "words", key: .string, value: .string) { _, word in word }

        byWord.count(named: "count-totals", materializedAs: totalsStore)
            .toStream(named: "totals-changes")
            .mapValues(named: "totals-as-text") { total in total.map { String($0) } }
            .to(totalsTopic, key: .string, value: .optional(.string), named: "totals-sink")

        byWord.windowedBy(.ofSizeAndGrace(size: windowSize, grace: grace))
            .count(named: "count-per-minute", materializedAs: windowStore)
            .suppress(.untilWindowCloses(wallClockCloseAfter: idleClose), named: "final-per-minute")
            .toStream(named: "final-counts")
            .map(named: "to-windowed-count") { windowed, count in
                (windowed.key, count.map { WindowedCount(window: windowed.window, count: $0) })
            }
            .to(windowedTopic, key: .string, value: .optional(.json(WindowedCount.self)), named: "windowed-sink")
        return try builder.build()
    }
}
