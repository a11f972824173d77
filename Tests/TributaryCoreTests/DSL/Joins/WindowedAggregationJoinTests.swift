import Testing
import TributaryCore
import TributaryTesting

/// Two windowed aggregations of two topics joined per (key, window): the GeoRisk shape.
@Suite struct WindowedAggregationJoinTests {
    /// Per-key counts of `quakes` and `news` in tumbling 10 ms windows (grace 5), outer-joined per (key, window)
    /// and suppressed to one final `"<quakes>/<news>"` per window.
    private func topology() throws -> Topology {
        let builder = StreamsBuilder()
        let windows = TimeWindows.ofSizeAndGrace(size: ms(10), grace: ms(5))
        let quakes = builder.stream("quakes", key: .string, value: .string)
            .groupByKey(key: .string, value: .string).windowedBy(windows).count(materializedAs: "quake-counts")
        let news = builder.stream("news", key: .string, value: .string)
            .groupByKey(key: .string, value: .string).windowedBy(windows).count(materializedAs: "news-counts")
        quakes.outerJoin(news, named: "per-window", materializedAs: "joined-counts", value: .string) {
            "\($0 ?? 0)/\($1 ?? 0)"
        }
        .suppress(.untilWindowCloses, named: "final")
        .toStream()
        .to("out", key: .windowed(.string, windowSize: ms(10)), value: .optional(.string))
        return try builder.build()
    }

    @Test func twoWindowedCountsJoinIntoExactlyOneRecordPerKeyAndWindow() throws {
        let driver = try TopologyTestDriver(try topology(), applicationID: "app")
        #expect(driver.streamTimes.count == 1)  // both topics in one sub-topology
        let quakes = driver.createInputTopic("quakes", key: .string, value: .string)
        let news = driver.createInputTopic("news", key: .string, value: .string)
        let out = driver.createOutputTopic("out", key: .windowed(.string, windowSize: ms(10)), value: .optional(.string))
        try quakes.pipeInput("FR", "q", timestamp: 1)
        try news.pipeInput("FR", "n", timestamp: 2)
        try quakes.pipeInput("FR", "q", timestamp: 3)
        try news.pipeInput("JP", "n", timestamp: 4)
        try quakes.pipeInput("JP", "q", timestamp: 12)
        try news.pipeInput("FR", "n", timestamp: 14)
        // Stream time 14 < 10 + 5: nothing final yet, although the join result of [0,10) changed 4 times.
        #expect(try out.readRecords().isEmpty)
        try quakes.pipeInput("ZZ", "q", timestamp: 15)
        #expect(try out.readRecords().map(describe) == ["FR@0-10=2/1", "JP@0-10=0/1"])
        // Late for [0,10): dropped by the count, so the emitted window is not reopened.
        try quakes.pipeInput("FR", "q", timestamp: 6)
        try news.pipeInput("ZZ", "n", timestamp: 30)
        #expect(try out.readRecords().map(describe) == ["FR@10-20=0/1", "JP@10-20=1/0", "ZZ@10-20=1/0"])
        #expect(driver.lateDroppedCount == 1)
        try news.pipeInput("ZZ", "n", timestamp: 100)
        #expect(try out.readRecords().map(describe) == ["ZZ@30-40=0/1"])
        // The join keeps its own changelogged copies of the two windowed tables.
        #expect(!driver.rawRecords("app-joined-counts-left-copy-changelog").isEmpty)
        #expect(!driver.rawRecords("app-joined-counts-right-copy-changelog").isEmpty)
    }
}
