import Testing
import TributaryCore
import TributaryTesting

/// Keeps, per key, the latest value seen in each 100 ms bucket of a window store, and the values of each key's
/// sessions (records within 50 ms) in a session store, through the Processor API accessors.
final class BucketingProcessor: Processor {
    private var buckets: WindowStore<String, String>!
    private var sessions: SessionStore<String, String>!
    private var context: ProcessorContext<String, String>!

    func initialize(context: ProcessorContext<String, String>) throws {
        self.context = context
        buckets = try context.windowStore("buckets", key: .string, value: .string)
        sessions = try context.sessionStore("sessions", key: .string, value: .string)
    }

    func process(_ record: Record<String, String>) throws {
        let start = record.timestamp / 100 * 100
        try buckets.put(record.key, windowStart: start, record.value)
        let t = record.timestamp
        var merged = SessionWindow(start: t, end: t)
        var values = [record.value]
        for (session, value) in try sessions.findSessions(record.key, earliestEnd: t - 50, latestStart: t + 50) {
            merged = SessionWindow(start: min(merged.start, session.start), end: max(merged.end, session.end))
            values.insert(value, at: 0)
            try sessions.remove(record.key, session: session)
        }
        try sessions.put(record.key, session: merged, values.joined(separator: "+"))
        let inBucket = try buckets.fetch(record.key, from: 0, to: start).map { "\($0.windowStart):\($0.value)" }
        try context.forward(record.withValue(inBucket.joined(separator: ",")))
    }
}

@Suite struct WindowStoreProcessorTests {
    @Test func processorsReadAndWriteWindowAndSessionStoresThroughTheirContext() throws {
        let builder = StreamsBuilder()
        builder.addStateStore(StoreSpec(name: "buckets", kind: .window(retentionMs: 1_000)))
        builder.addStateStore(StoreSpec(name: "sessions", kind: .session(retentionMs: 1_000)))
        builder.stream("in", key: .string, value: .string)
            .process(named: "bucketing", stores: ["buckets", "sessions"]) { BucketingProcessor() }
            .to("out", key: .string, value: .string)
        let driver = try TopologyTestDriver(try builder.build(), applicationID: "app")
        let input = driver.createInputTopic("in", key: .string, value: .string)
        try input.pipeInputs([("k", "a", 10), ("k", "b", 150), ("k", "c", 120)])
        #expect(try driver.createOutputTopic("out", key: .string, value: .string).readValues() == ["0:a", "0:a,100:b", "0:a,100:c"])
        #expect(
            try driver.windowStore("buckets", key: .string, value: .string).map(describe) == ["k@0=a", "k@100=c"])
        // 120 bridges nothing with 10 (110 apart) but joins 150.
        #expect(
            try driver.sessionStore("sessions", key: .string, value: .string).map {
                "\($0.session.start)-\($0.session.end)=\($0.value)"
            } == ["10-10=a", "120-150=b+c"])
        // Both stores are logged under their own key layouts.
        let windowKeys = driver.rawRecords("app-buckets-changelog").compactMap { $0.key.flatMap(WindowStoreKeyLayout.decode) }
        #expect(windowKeys.map(\.windowStart) == [0, 100, 100])
        let sessionLog = driver.rawRecords("app-sessions-changelog")
        #expect(sessionLog.count == 4)
        #expect(sessionLog[2].value == nil)
        #expect(sessionLog[2].key.flatMap(SessionStoreKeyLayout.decode)?.session == SessionWindow(start: 150, end: 150))
    }
}
