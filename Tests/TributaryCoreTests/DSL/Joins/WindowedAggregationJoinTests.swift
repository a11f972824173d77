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

    /// A closed window's aggregates never change again, so the join drops it from its result store and its copies
    /// of the two tables (every 60 s of stream time), writing tombstones to their changelogs: the stores hold the
    /// windows that can still change, not every window ever seen.
    @Test func theJoinDropsClosedWindowsFromItsStores() throws {
        let driver = try TopologyTestDriver(try topology(), applicationID: "app")
        let quakes = driver.createInputTopic("quakes", key: .string, value: .string)
        let news = driver.createInputTopic("news", key: .string, value: .string)
        let out = driver.createOutputTopic("out", key: .windowed(.string, windowSize: ms(10)), value: .optional(.string))
        func joined() throws -> [String] {
            try driver.keyValueStore("joined-counts", key: .windowed(.string, windowSize: ms(10)), value: .string)
                .map { "\($0.key.key)@\($0.key.window.start)=\($0.value)" }
        }
        func copies(_ side: String) throws -> [String] {
            try driver.keyValueStore("joined-counts-\(side)-copy", key: .windowed(.string, windowSize: ms(10)), value: .int64)
                .map { "\($0.key.key)@\($0.key.window.start)" }
        }
        try quakes.pipeInput("FR", "q", timestamp: 1)
        try news.pipeInput("FR", "n", timestamp: 2)
        try news.pipeInput("JP", "n", timestamp: 59_991)
        #expect(try joined() == ["FR@0=1/1", "JP@59990=0/1"], "no expiry pass before stream time 60,000")
        try quakes.pipeInput("JP", "q", timestamp: 60_001)
        // The pass at 60,000: [0,10) closed at 15; [59990,60000) closes at 60,005, so it stays.
        #expect(try joined() == ["JP@59990=0/1", "JP@60000=1/0"])
        #expect(try copies("left") == ["JP@60000"])
        #expect(try copies("right") == ["JP@59990"])
        let tombstones = driver.rawRecords("app-joined-counts-changelog").filter { $0.value == nil }
        #expect(tombstones.count == 1)
        // The suppressed output is unaffected: one final record per (key, window).
        #expect(try out.readRecords().map(describe) == ["FR@0-10=1/1"])
        try news.pipeInput("JP", "n", timestamp: 60_020)
        #expect(try out.readRecords().map(describe) == ["JP@59990-60000=0/1", "JP@60000-60010=1/0"])
    }

    @Test func joiningTwoEmitFinalTablesEmitsOnceForEachSidesFinalValue() throws {
        // Both counts suppressed first, then outer-joined: each suppression emits when a record reaches it, so a
        // window both sides have gets one result per side's final value; suppressing after the join (above)
        // gives one per window.
        let builder = StreamsBuilder()
        let windows = TimeWindows.ofSizeAndGrace(size: ms(10), grace: ms(5))
        let quakes = builder.stream("quakes", key: .string, value: .string)
            .groupByKey(key: .string, value: .string).windowedBy(windows).count(materializedAs: "quake-counts")
            .suppress(.untilWindowCloses, named: "quakes-final")
        let news = builder.stream("news", key: .string, value: .string)
            .groupByKey(key: .string, value: .string).windowedBy(windows).count(materializedAs: "news-counts")
            .suppress(.untilWindowCloses, named: "news-final")
        quakes.outerJoin(news, named: "per-window", materializedAs: "joined-counts", value: .string) {
            "\($0 ?? 0)/\($1 ?? 0)"
        }
        .toStream()
        .to("out", key: .windowed(.string, windowSize: ms(10)), value: .optional(.string))
        let driver = try TopologyTestDriver(try builder.build())
        let quakeInput = driver.createInputTopic("quakes", key: .string, value: .string)
        let newsInput = driver.createInputTopic("news", key: .string, value: .string)
        let out = driver.createOutputTopic("out", key: .windowed(.string, windowSize: ms(10)), value: .optional(.string))
        try quakeInput.pipeInputs([("FR", "q", 1), ("FR", "q", 3)])
        try newsInput.pipeInput("FR", "n", timestamp: 2)
        try quakeInput.pipeInput("ZZ", "q", timestamp: 20)  // closes [0,10) for the quake suppression only
        #expect(try out.readRecords().map(describe) == ["FR@0-10=2/0"])
        try newsInput.pipeInput("ZZ", "n", timestamp: 21)  // now the news suppression emits its final count
        #expect(try out.readRecords().map(describe) == ["FR@0-10=2/1"])
        #expect(try driver.keyValueStore(
            "joined-counts", key: .windowed(.string, windowSize: ms(10)), value: .string
        ).map { "\($0.key.key)@\($0.key.window.start)=\($0.value)" } == ["FR@0=2/1"])
    }
}
