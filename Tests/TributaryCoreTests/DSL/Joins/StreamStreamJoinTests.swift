import Testing
import TributaryCore
import TributaryTesting

/// Stream-stream windowed joins under the test driver: which pairs join, result timestamps, grace and late
/// records, and when left/outer results for unmatched records appear.
@Suite struct StreamStreamJoinTests {
    /// |Δt| <= 10 ms, grace 5 ms.
    let windows = JoinWindows.ofTimeDifferenceAndGrace(ms(10), ms(5))

    @Test func innerJoinPairsEveryRecordWithinTheWindowAndStampsTheLaterTime() throws {
        let driver = try TopologyTestDriver(try streamJoinTopology(.inner, windows: windows))
        let left = driver.createInputTopic("left", key: .string, value: .string)
        let right = driver.createInputTopic("right", key: .string, value: .string)
        let out = driver.createOutputTopic("out", key: .string, value: .string)
        try left.pipeInput("a", "A1", timestamp: 100)
        try right.pipeInput("a", "B1", timestamp: 105)  // |105 - 100| = 5
        try right.pipeInput("a", "B2", timestamp: 111)  // |111 - 100| = 11 > 10: no pair with A1
        try right.pipeInput("b", "C1", timestamp: 110)  // another key: nothing
        #expect(try out.readRecords().map(describeJoin) == ["A1+B1@105"])
        // A2 at 112 meets B1 (7) and B2 (1), in the right store's time order.
        try left.pipeInput("a", "A2", timestamp: 112)
        #expect(try out.readRecords().map(describeJoin) == ["A2+B1@112", "A2+B2@112"])
        // Inner joins never emit unmatched records, however far stream time moves.
        try left.pipeInput("z", "Z", timestamp: 1_000)
        #expect(try out.readRecords().isEmpty)
        #expect(driver.lateDroppedCount == 0)
    }

    @Test func outOfOrderRecordsWithinGraceJoinAndLateOnesAreDroppedAndCounted() throws {
        let driver = try TopologyTestDriver(try streamJoinTopology(.inner, windows: windows))
        let left = driver.createInputTopic("left", key: .string, value: .string)
        let right = driver.createInputTopic("right", key: .string, value: .string)
        let out = driver.createOutputTopic("out", key: .string, value: .string)
        try right.pipeInput("a", "B1", timestamp: 105)
        try right.pipeInput("a", "B2", timestamp: 111)
        try left.pipeInput("x", "X", timestamp: 112)  // stream time 112
        // 108 is 4 ms behind stream time (grace 5): accepted, joins B1 (3) and B2 (3).
        try left.pipeInput("a", "A3", timestamp: 108)
        #expect(try out.readRecords().map(describeJoin) == ["A3+B1@108", "A3+B2@111"])
        // 107 is exactly grace behind: still accepted.
        try left.pipeInput("a", "A4", timestamp: 107)
        #expect(try out.readRecords().map(describeJoin) == ["A4+B1@107", "A4+B2@111"])
        // 106 is 6 ms behind: late on either side, although B1 would be within 10 ms.
        try left.pipeInput("a", "A5", timestamp: 106)
        try right.pipeInput("a", "B3", timestamp: 100)
        #expect(try out.readRecords().isEmpty)
        #expect(driver.lateDroppedCount == 2)
        // Late records are not stored: a later record does not meet them.
        try left.pipeInput("a", "A6", timestamp: 110)
        #expect(try out.readRecords().map(describeJoin) == ["A6+B1@110", "A6+B2@111"])
        let leftStore = try driver.windowStore("lr-left-store", key: .string, value: .string)
        #expect(leftStore.map { "\($0.key)@\($0.windowStart)" } == ["a@107", "a@108", "a@110", "x@112"])
    }

    @Test func leftJoinEmitsAnUnmatchedRecordOnlyWhenItsWindowClosesAndNeverForAMatchedOne() throws {
        let driver = try TopologyTestDriver(try streamJoinTopology(.left, windows: windows), applicationID: "app")
        let left = driver.createInputTopic("left", key: .string, value: .string)
        let right = driver.createInputTopic("right", key: .string, value: .string)
        let out = driver.createOutputTopic("out", key: .string, value: .string)
        try left.pipeInput("a", "A1", timestamp: 100)  // closes once stream time > 100 + 10 + 5
        try left.pipeInput("c", "C1", timestamp: 101)  // closes once stream time > 116
        #expect(try out.readRecords().isEmpty)  // not eagerly
        try right.pipeInput("a", "B1", timestamp: 109)  // a match before A1's window closes
        #expect(try out.readRecords().map(describeJoin) == ["A1+B1@109"])
        try right.pipeInput("z", "Z", timestamp: 115)
        try right.pipeInput("z", "Z", timestamp: 116)
        // Stream time 116: A1 matched (no null result for it); C1's window is still open (116 is not > 116).
        #expect(try out.readRecords().isEmpty)
        try right.pipeInput("z", "Z", timestamp: 117)
        #expect(try out.readRecords().map(describeJoin) == ["C1+null@101"])
        // Unmatched right records never produce a result in a left join.
        try left.pipeInput("q", "Q", timestamp: 500)
        #expect(try out.readRecords().isEmpty)
        // The outer store is empty except for Q (pending), and the emitted entries were tombstoned in its changelog.
        let pending = driver.rawRecords("app-lr-outer-store-changelog").reduce(into: [[UInt8]: [UInt8]?]()) {
            $0[$1.key ?? []] = $1.value
        }
        #expect(pending.values.filter { $0 != nil }.count == 1)
        #expect(pending.values.filter { $0 == nil }.count == 2)  // A1 (matched) and C1 (emitted)
    }

    @Test func outerJoinEmitsUnmatchedRecordsOfBothSidesEachAtItsOwnWindowClose() throws {
        // Right records may be 2 ms before or 10 ms after a left record: a left record closes at t + 10 + grace,
        // a right one at t + 2 + grace.
        let asymmetric = windows.before(ms(2))
        let driver = try TopologyTestDriver(try streamJoinTopology(.outer, windows: asymmetric))
        let left = driver.createInputTopic("left", key: .string, value: .string)
        let right = driver.createInputTopic("right", key: .string, value: .string)
        let out = driver.createOutputTopic("out", key: .string, value: .string)
        try right.pipeInput("a", "B1", timestamp: 100)  // closes once stream time > 107
        try left.pipeInput("b", "L1", timestamp: 100)  // closes once stream time > 115
        try left.pipeInput("x", "X1", timestamp: 107)
        #expect(try out.readRecords().isEmpty)
        try left.pipeInput("x", "X2", timestamp: 108)
        #expect(try out.readRecords().map(describeJoin) == ["null+B1@100"])
        // R1 at 112 looks for left records of b in [102, 114]: L1 at 100 is not among them.
        try right.pipeInput("b", "R1", timestamp: 112)
        // RX at 109 meets X1 and X2 (left records in [99, 111]); they leave the outer store.
        try right.pipeInput("x", "RX", timestamp: 109)
        #expect(try out.readRecords().map(describeJoin) == ["X1+RX@109", "X2+RX@109"])
        try right.pipeInput("q", "Q", timestamp: 116)
        #expect(try out.readRecords().map(describeJoin) == ["L1+null@100"])
        try left.pipeInput("z", "Z", timestamp: 200)
        // R1 (112) and Q (116) closed, in time order; Z stays pending.
        #expect(try out.readRecords().map(describeJoin) == ["null+R1@112", "null+Q@116"])
        #expect(driver.lateDroppedCount == 0)
    }

    @Test func recordsWithTheSameKeyAndTimeAreAllKeptAndAllJoined() throws {
        let driver = try TopologyTestDriver(try streamJoinTopology(.outer, windows: windows))
        let left = driver.createInputTopic("left", key: .string, value: .string)
        let right = driver.createInputTopic("right", key: .string, value: .string)
        let out = driver.createOutputTopic("out", key: .string, value: .string)
        try left.pipeInput("a", "A1", timestamp: 10)
        try left.pipeInput("a", "A2", timestamp: 10)
        try right.pipeInput("a", "B1", timestamp: 12)
        #expect(try out.readRecords().map(describeJoin) == ["A1+B1@12", "A2+B1@12"])
        try left.pipeInput("k", "K1", timestamp: 40)
        try left.pipeInput("k", "K2", timestamp: 40)
        try left.pipeInput("z", "Z", timestamp: 100)
        // Both unmatched values at (k, 40) are emitted; the matched ones at (a, 10) are not.
        #expect(try out.readRecords().map(describeJoin) == ["K1+null@40", "K2+null@40"])
    }

    @Test func theJoinStoreChangelogsRebuildTheStores() throws {
        let driver = try TopologyTestDriver(
            try streamJoinTopology(.outer, windows: windows), applicationID: "app",
            partitions: ["left": 2, "right": 2, "out": 2])
        let left = driver.createInputTopic("left", key: .string, value: .string)
        let right = driver.createInputTopic("right", key: .string, value: .string)
        // Partition 0 (one task, stream time 132 at the end): A1 meets R1; B1 and C1 close at 130 > t + 15 and are
        // emitted; A2 and R2 stay pending. Partition 1 (another task): D1 pending.
        try left.pipeInput("a", "A1", timestamp: 100, partition: 0)
        try left.pipeInput("b", "B1", timestamp: 101, partition: 0)
        try left.pipeInput("c", "C1", timestamp: 103, partition: 0)
        try right.pipeInput("a", "R1", timestamp: 104, partition: 0)
        try left.pipeInput("a", "A2", timestamp: 130, partition: 0)
        try right.pipeInput("b", "R2", timestamp: 132, partition: 0)
        try right.pipeInput("d", "D1", timestamp: 131, partition: 1)
        for (store, kind) in [("lr-left-store", "window"), ("lr-right-store", "window"), ("lr-outer-store", "kv")] {
            // Replay each partition's changelog, in order, into an empty store; compare with the live store.
            var rebuilt: [String] = []
            for partition: Int32 in [0, 1] {
                let records = driver.rawRecords("app-\(store)-changelog").filter { $0.partition == partition }
                let fresh: StateStore =
                    kind == "window" ? InMemoryWindowStore(name: store, retentionMs: 25) : InMemoryKeyValueStore(name: store)
                for record in records { try ChangelogRecord.apply(key: record.key, value: record.value, to: fresh) }
                if let window = fresh as? InMemoryWindowStore {
                    rebuilt += try window.fetchAll(from: .min, to: .max).map { "\($0.key)@\($0.windowStart)=\($0.value)" }
                } else if let keyValue = fresh as? InMemoryKeyValueStore {
                    rebuilt += try keyValue.all().map { "\($0.key)=\($0.value)" }
                }
            }
            var live: [String] = []
            for id in driver.streamTimes.keys.sorted() {
                let stored = try #require(driver.stores(of: id)[store])
                if let window = stored as? WindowBytesStore {
                    live += try window.fetchAll(from: .min, to: .max).map { "\($0.key)@\($0.windowStart)=\($0.value)" }
                } else if let keyValue = stored as? KeyValueBytesStore {
                    live += try keyValue.all().map { "\($0.key)=\($0.value)" }
                }
            }
            #expect(!rebuilt.isEmpty, "\(store)")
            #expect(rebuilt == live, "\(store)")
        }
        let outer = driver.createOutputTopic("out", key: .string, value: .string)
        #expect(try outer.readRecords().map(describeJoin) == ["A1+R1@104", "B1+null@101", "C1+null@103"])
        let pending = try driver.keyValueStore("lr-outer-store", key: .bytes, value: .bytes).compactMap {
            OuterJoinStoreLayout.decode($0.key).map { "\(String(decoding: $0.key, as: UTF8.self))@\($0.time)" }
        }
        #expect(pending == ["a@130", "b@132", "d@131"])
    }
}

/// Late join records can go to a dead-letter topic, like late records of windowed aggregations.
@Suite struct StreamStreamJoinLateRecordTests {
    @Test func lateJoinRecordsAreDeadLetteredWithTheLateStage() throws {
        let builder = StreamsBuilder()
        let left = builder.stream("left", key: .string, value: .string)
        let right = builder.stream("right", key: .string, value: .string)
        left.join(
            right, windows: .ofTimeDifferenceAndGrace(ms(10), ms(0)), named: "lr", key: .string, value: .string,
            otherValue: .string, lateRecords: .deadLetter(topic: "late")
        ) { "\($0)+\($1)" }
        .to("out", key: .string, value: .string)
        let driver = try TopologyTestDriver(try builder.build())
        try driver.createInputTopic("left", key: .string, value: .string).pipeInput("a", "A", timestamp: 50)
        try driver.createInputTopic("right", key: .string, value: .string).pipeInput("a", "B", timestamp: 49)
        #expect(driver.lateDroppedCount == 1)
        #expect(driver.deadLetteredCount == 1)
        let dead = try #require(driver.rawRecords("late").first)
        #expect(dead.value == utf8("B"))
        #expect(headerText(dead.headers, DeadLetterHeaders.stage) == "late")
        #expect(headerText(dead.headers, DeadLetterHeaders.topic) == "right")
        #expect(try driver.createOutputTopic("out", key: .string, value: .string).readRecords().isEmpty)
    }
}
