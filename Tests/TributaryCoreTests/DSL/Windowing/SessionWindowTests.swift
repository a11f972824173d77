import Testing
import TributaryCore
import TributaryTesting

@Suite struct SessionWindowTests {
    func counting() throws -> Topology {
        let builder = StreamsBuilder()
        builder.stream("in", key: .string, value: .string)
            .groupByKey(key: .string, value: .string)
            .windowedBy(SessionWindows.ofInactivityGapAndGrace(ms(20), ms(100)))
            .count(materializedAs: "sessions")
            .toStream()
            .to("out", key: .sessionWindowed(.string), value: .optional(.int64))
        return try builder.build()
    }

    @Test func aRecordBridgingTwoSessionsMergesThemAndTombstonesTheMergedAwaySessions() throws {
        let driver = try TopologyTestDriver(try counting(), applicationID: "app")
        let input = driver.createInputTopic("in", key: .string, value: .string)
        let out = driver.createOutputTopic("out", key: .sessionWindowed(.string), value: .optional(.int64))
        try input.pipeInputs([("a", "x", 0), ("a", "x", 30)])
        // 30 - 0 > gap 20: two sessions.
        #expect(try out.readRecords().map(describe) == ["a@0-0=1", "a@30-30=1"])
        try input.pipeInput("a", "x", timestamp: 15)
        // 15 is within 20 of both: they merge into [0,30] with 1 + 1 + 1.
        #expect(try out.readRecords().map(describe) == ["a@0-0=nil", "a@30-30=nil", "a@0-30=3"])
        try input.pipeInput("a", "x", timestamp: 20)
        // Inside the session: no merge, no tombstone.
        #expect(try out.readRecords().map(describe) == ["a@0-30=4"])
        try input.pipeInput("b", "x", timestamp: 16)
        #expect(try out.readRecords().map(describe) == ["b@16-16=1"])
        try input.pipeInput("a", "x", timestamp: 50)
        // Exactly gap after the session's end 30: it extends the session, replacing [0,30].
        #expect(try out.readRecords().map(describe) == ["a@0-30=nil", "a@0-50=5"])
        let store = try driver.sessionStore("sessions", key: .string, value: .int64)
        #expect(store.map { "\($0.key)@\($0.session.start)-\($0.session.end)=\($0.value)" } == ["a@0-50=5", "b@16-16=1"])

        // The changelog is keyed by the store layout; the merged-away sessions get tombstones.
        let changelog = try driver.rawRecords("app-sessions-changelog").map { record in
            let stored = try #require(record.key)
            let (key, session) = try #require(SessionStoreKeyLayout.decode(stored))
            let value = try record.value.map { try Serde<Int64>.int64.deserializeOptional($0) }
            return "\(String(decoding: key, as: UTF8.self))@\(session.start)-\(session.end)=\(value.map { "\($0)" } ?? "nil")"
        }
        #expect(
            changelog == [
                "a@0-0=1", "a@30-30=1", "a@0-0=nil", "a@30-30=nil", "a@0-30=3", "a@0-30=4", "b@16-16=1",
                "a@0-30=nil", "a@0-50=5",
            ])
    }

    @Test func aRecordWhoseSessionClosedIsDroppedAsLate() throws {
        let driver = try TopologyTestDriver(try counting())
        let input = driver.createInputTopic("in", key: .string, value: .string)
        try input.pipeInputs([("a", "x", 0), ("a", "x", 200)])
        // Stream time 200: [0,0] expired (its end is more than gap 20 + grace 100 before the latest end 200).
        // A record at 10 makes a session ending at 10, closed since 10 + 100 <= 200.
        try input.pipeInput("a", "x", timestamp: 10)
        #expect(driver.lateDroppedCount == 1)
        let store = try driver.sessionStore("sessions", key: .string, value: .int64)
        #expect(store.map { "\($0.session.start)-\($0.session.end)=\($0.value)" } == ["200-200=1"])
        // Inside grace, a record merges with the open session [200,200].
        try input.pipeInput("a", "x", timestamp: 190)
        #expect(driver.lateDroppedCount == 1)
        #expect(
            try driver.sessionStore("sessions", key: .string, value: .int64).map {
                "\($0.session.start)-\($0.session.end)=\($0.value)"
            } == ["190-200=2"])
    }
}
