import Testing
import TributaryCore
import TributaryTesting

@Suite struct SuppressTests {
    /// Final counts of tumbling windows of 10 ms with 5 ms grace, written to `final`.
    func finalCounts(_ suppressed: Suppressed, size: Int64 = 10, grace: Int64 = 5) throws -> Topology {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string)
            .groupByKey(key: .string, value: .string)
            .windowedBy(TimeWindows.ofSizeAndGrace(size: ms(size), grace: ms(grace)))
            .count(materializedAs: "counts")
            .suppress(suppressed, named: "final")
            .toStream()
            .to("final", key: .windowed(.string, windowSize: ms(size)), value: .optional(.int64))
        return try builder.build()
    }

    @Test func emitFinalEmitsOneResultPerWindowOnceStreamTimePassesEndPlusGraceAndNeverAgain() throws {
        let driver = try TopologyTestDriver(try finalCounts(.untilWindowCloses), applicationID: "app")
        let input = driver.createInputTopic("in", key: .string, value: .string)
        let out = driver.createOutputTopic("final", key: .windowed(.string, windowSize: ms(10)), value: .optional(.int64))
        try input.pipeInputs([("a", "x", 1), ("a", "x", 4), ("b", "x", 7), ("a", "x", 12), ("a", "x", 14)])
        // Stream time 14 < 10 + 5: [0,10) is still open.
        #expect(try out.readRecords().isEmpty)
        try input.pipeInput("a", "x", timestamp: 15)
        #expect(try out.readRecords().map(describe) == ["a@0-10=2", "b@0-10=1"])
        // Late for [0,10): dropped by the aggregation, nothing re-emitted.
        try input.pipeInput("a", "x", timestamp: 9)
        try input.pipeInput("b", "x", timestamp: 0)
        try input.pipeInputs([("a", "x", 16), ("a", "x", 30)])
        // Stream time 30 >= 20 + 5: [10,20) = {12, 14, 15, 16}.
        #expect(try out.readRecords().map(describe) == ["a@10-20=4"])
        try input.pipeInputs([("a", "x", 2), ("a", "x", 18), ("a", "x", 100)])
        // Windows [0,10) and [10,20) have expired from the store by now; still no second result for them.
        try input.pipeInputs([("a", "x", 5), ("b", "x", 3)])
        #expect(try out.readRecords().map(describe) == ["a@30-40=1"])
        #expect(driver.lateDroppedCount == 6)
        // The buffer is a changelogged store.
        #expect(!driver.rawRecords("app-final-store-changelog").isEmpty)
    }

    @Test func withWallClockCloseAnIdlePartitionEmitsOnceTheWallClockCarriesItPastEndPlusGrace() throws {
        let driver = try TopologyTestDriver(
            try finalCounts(.untilWindowCloses(wallClockCloseAfter: .seconds(10)), size: 5_000, grace: 1_000))
        let input = driver.createInputTopic("in", key: .string, value: .string)
        let out = driver.createOutputTopic(
            "final", key: .windowed(.string, windowSize: ms(5_000)), value: .optional(.int64))
        try input.pipeInputs([("a", "x", 1_000), ("a", "x", 2_000)])
        // Wall clock 0 at the last record. At 9.999 s the partition has not been idle for 10 s.
        try driver.advanceWallClockTime(by: .milliseconds(9_999))
        #expect(try out.readRecords().isEmpty)
        // At 10 s: now = stream time 2000 + 10000 idle = 12000 >= window end 5000 + grace 1000.
        try driver.advanceWallClockTime(by: .milliseconds(1))
        #expect(try out.readRecords().map(describe) == ["a@0-5000=2"])
        // A record for the emitted window, not late by stream time (3000 < 5000 + 1000): the aggregate counts it,
        // the suppression discards the update.
        try input.pipeInput("a", "x", timestamp: 3_000)
        try driver.advanceWallClockTime(by: .seconds(60))
        #expect(try out.readRecords().isEmpty)
        #expect(driver.lateDroppedCount == 0)
        #expect(try driver.windowStore("counts", key: .string, value: .int64).map(describe) == ["a@0=3"])
    }

    @Test func theBufferChangelogHoldsEachPendingWindowUntilItIsEmittedThenATombstone() throws {
        let driver = try TopologyTestDriver(try finalCounts(.untilWindowCloses), applicationID: "app")
        let input = driver.createInputTopic("in", key: .string, value: .string)
        try input.pipeInputs([("a", "x", 1), ("a", "x", 2)])
        let windowKey = Serde<Windowed<String>>.windowed(.string, windowSize: ms(10))
        var pendingKey: [UInt8] = []
        OrderedKeyEncoding.appendTime(10, to: &pendingKey)
        pendingKey += try #require(try windowKey.serializeOptional(Windowed(key: "a", window: Window(start: 0, end: 10))))
        // Replaying the changelog rebuilds the buffer: window [0,10) of a pending with its latest count, 2.
        var buffer: [[UInt8]: [UInt8]] = [:]
        for record in driver.rawRecords("app-final-store-changelog") { buffer[record.key ?? []] = record.value }
        let pending = try #require(buffer[pendingKey])
        #expect(try Serde<Int64>.int64.deserializeOptional(Array(pending.dropFirst(8))) == 2)
        try input.pipeInput("a", "x", timestamp: 15)
        // Emitted: the entry's last changelog record is a tombstone, so compaction drops it; the suppression's
        // time, 15, is logged under the empty key.
        let changelog = driver.rawRecords("app-final-store-changelog")
        #expect(changelog.last { $0.key == pendingKey }.map { $0.value == nil } == true)
        buffer = [:]
        for record in changelog { buffer[record.key ?? []] = record.value }
        #expect(buffer[pendingKey] == nil)
        let closedThrough = try #require(buffer[[]])
        #expect(OrderedKeyEncoding.readTime(closedThrough, at: 0) == 15)
    }

    @Test func withoutWallClockCloseAnIdlePartitionEmitsNothing() throws {
        let driver = try TopologyTestDriver(try finalCounts(.untilWindowCloses, size: 5_000, grace: 1_000))
        let input = driver.createInputTopic("in", key: .string, value: .string)
        try input.pipeInputs([("a", "x", 1_000), ("a", "x", 2_000)])
        try driver.advanceWallClockTime(by: .seconds(3_600))
        #expect(driver.rawRecords("final").isEmpty)
    }

    @Test func emitFinalOnSessionsEmitsOnlyTheMergedSessionOnceItCloses() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string).groupByKey(key: .string, value: .string)
            .windowedBy(SessionWindows.ofInactivityGapAndGrace(ms(20), ms(50)))
            .count(materializedAs: "sessions")
            .suppress(.untilWindowCloses)
            .toStream()
            .to("final", key: .sessionWindowed(.string), value: .optional(.int64))
        let driver = try TopologyTestDriver(try builder.build())
        let input = driver.createInputTopic("in", key: .string, value: .string)
        let out = driver.createOutputTopic("final", key: .sessionWindowed(.string), value: .optional(.int64))
        // [0,0] and [30,30], then 15 merges them into [0,30]; nothing has closed ([0,0] would at 0 + 50).
        try input.pipeInputs([("a", "x", 0), ("a", "x", 30), ("a", "x", 15)])
        #expect(try out.readRecords().isEmpty)
        // Stream time 79 < 30 + 50: still open; at 80 closed. The merged-away sessions are never emitted.
        try input.pipeInput("b", "x", timestamp: 79)
        #expect(try out.readRecords().isEmpty)
        try input.pipeInput("b", "x", timestamp: 80)
        #expect(try out.readRecords().map(describe) == ["a@0-30=3"])
        try input.pipeInput("b", "x", timestamp: 200)
        #expect(try out.readRecords().map(describe) == ["b@79-80=2"])
    }

    @Test func withoutSuppressEveryUpdateIsEmitted() throws {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string).groupByKey(key: .string, value: .string)
            .windowedBy(TimeWindows.ofSizeAndGrace(size: ms(10), grace: ms(0)))
            .count(materializedAs: "counts").toStream()
            .to("eager", key: .windowed(.string, windowSize: ms(10)), value: .optional(.int64))
        let driver = try TopologyTestDriver(try builder.build())
        try driver.createInputTopic("in", key: .string, value: .string).pipeInputs([("a", "x", 1), ("a", "x", 2)])
        let out = driver.createOutputTopic("eager", key: .windowed(.string, windowSize: ms(10)), value: .optional(.int64))
        #expect(try out.readRecords().map(describe) == ["a@0-10=1", "a@0-10=2"])
    }
}
