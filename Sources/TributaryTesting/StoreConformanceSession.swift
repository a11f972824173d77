import TributaryCore

/// Makes a fresh, empty session store with the given retention (ms) for one conformance check.
public typealias SessionStoreFactory = (_ retentionMs: Int64) throws -> any SessionBytesStore

/// The conformance checks every ``SessionBytesStore`` must pass.
public enum SessionStoreConformance {
    /// A retention long enough that nothing in a check expires unless the check means it to.
    static let long: Int64 = 1_000_000

    /// Every check, for `@Test(arguments: SessionStoreConformance.checks)`.
    public static let checks: [StoreConformanceCheck<SessionStoreFactory>] = [
        .init("put, fetch, overwrite and put nil round-trip per key and session") { make, e in
            let store = try make(long)
            defer { store.close() }
            try e.expectEqual(store.retentionMs, long, "retentionMs")
            let session = SessionWindow(start: 0, end: 10)
            try e.expectEqual(try store.fetch([1], session: session), nil, "fetch of a missing session")
            try store.put([1], session: session, [1])
            try store.put([1], session: SessionWindow(start: 0, end: 11), [2])
            try store.put([2], session: session, [3])
            try e.expectEqual(try store.fetch([1], session: session), [1], "fetch (1, [0, 10])")
            try e.expectEqual(try store.fetch([1], session: SessionWindow(start: 0, end: 11)), [2], "fetch (1, [0, 11])")
            try e.expectEqual(try store.fetch([1], session: SessionWindow(start: 1, end: 10)), nil, "other start")
            try e.expectEqual(try store.fetch([2], session: session), [3], "fetch (2, [0, 10])")
            try store.put([1], session: session, [4, 4])
            try e.expectEqual(try store.fetch([1], session: session), [4, 4], "fetch after overwrite")
            try store.put([1], session: session, nil)
            try store.put([9], session: session, nil)
            try e.expectEqual(try store.fetch([1], session: session), nil, "fetch after put nil")
            try e.expectEqual(
                sessions(try store.findSessions([1], earliestEnd: .min, latestStart: .max)), [SessionWindow(start: 0, end: 11)],
                "remaining sessions of key 1")
        },
        .init("findSessions returns sessions with end >= earliestEnd and start <= latestStart, bounds inclusive") { make, e in
            let store = try make(long)
            defer { store.close() }
            for (start, end): (Int64, Int64) in [(40, 50), (0, 10), (20, 30)] {
                try store.put([5], session: SessionWindow(start: start, end: end), [UInt8(start)])
            }
            try store.put([6], session: SessionWindow(start: 12, end: 18), [0])
            let find = { (earliestEnd: Int64, latestStart: Int64) in
                sessions(try store.findSessions([5], earliestEnd: earliestEnd, latestStart: latestStart))
            }
            try e.expectEqual(try find(25, 45), [.init(start: 20, end: 30), .init(start: 40, end: 50)], "[25, 45]")
            try e.expectEqual(try find(11, 19), [], "a gap between sessions")
            try e.expectEqual(try find(10, 0), [.init(start: 0, end: 10)], "both bounds inclusive")
            // A record at t = 15 with gap 5 merges with sessions ending at >= 10 and starting at <= 20.
            try e.expectEqual(try find(10, 20), [.init(start: 0, end: 10), .init(start: 20, end: 30)], "merge query")
            try e.expectEqual(try find(51, .max), [], "after every session")
            try e.expectEqual(try find(.min, -1), [], "before every session")
            try e.expectEqual(
                try store.findSessions([5], earliestEnd: 0, latestStart: 100).map(\.value), [[0], [20], [40]], "values")
        },
        .init("sessions come back ordered by end, then start") { make, e in
            let store = try make(long)
            defer { store.close() }
            let expected: [SessionWindow] = [
                .init(start: -20, end: -5), .init(start: 12, end: 12), .init(start: 10, end: 15), .init(start: 0, end: 20),
                .init(start: 5, end: 20),
            ]
            var generator = SeededGenerator(seed: 5)
            for session in expected.shuffled(using: &generator) { try store.put([1], session: session, [1]) }
            try e.expectEqual(
                sessions(try store.findSessions([1], earliestEnd: .min, latestStart: .max)), expected, "order")
            try e.expectEqual(expected, expected.sorted(), "SessionWindow's own order agrees")
        },
        .init("keys that are prefixes of each other keep separate sessions") { make, e in
            let store = try make(long)
            defer { store.close() }
            let related: [[UInt8]] = [[], [0x61], [0x61, 0x00], [0x61, 0x00, 0x00], [0x61, 0x62], [0x61, 0xFF]]
            for (index, key) in related.enumerated() {
                try store.put(key, session: SessionWindow(start: 0, end: 5), [UInt8(index)])
                try store.put(key, session: SessionWindow(start: 6, end: 9), [UInt8(index)])
            }
            for (index, key) in related.enumerated() {
                let found = try store.findSessions(key, earliestEnd: .min, latestStart: .max)
                try e.expectEqual(
                    sessions(found), [.init(start: 0, end: 5), .init(start: 6, end: 9)], "sessions of key \(hex(key))")
                try e.expect(found.allSatisfy { $0.value == [UInt8(index)] }, "values of key \(hex(key))")
            }
        },
        .init("sessions ending before retention before the latest end are hidden, then dropped by expire") { make, e in
            let store = try make(100)
            defer { store.close() }
            try store.put([1], session: .init(start: 0, end: 10), [1])
            try store.put([1], session: .init(start: 50, end: 60), [2])
            try e.expectEqual(try store.fetch([1], session: .init(start: 0, end: 10)), [1], "before expiry")
            try store.put([2], session: .init(start: 150, end: 200), [3])  // latest end 200: ends before 100 expire
            try e.expectEqual(try store.fetch([1], session: .init(start: 0, end: 10)), nil, "expired by fetch")
            try e.expectEqual(
                sessions(try store.findSessions([1], earliestEnd: .min, latestStart: .max)), [], "expired by find")
            try store.put([1], session: .init(start: 0, end: 100), [4])
            try e.expectEqual(
                sessions(try store.findSessions([1], earliestEnd: .min, latestStart: .max)), [.init(start: 0, end: 100)],
                "a session ending exactly at the boundary is live")
            try store.put([1], session: .init(start: 0, end: 99), [5])
            try e.expectEqual(try store.fetch([1], session: .init(start: 0, end: 99)), nil, "a write to an expired session is ignored")
            try store.expire(before: 150)
            try e.expectEqual(
                sessions(try store.findSessions([1], earliestEnd: .min, latestStart: .max)), [], "key 1 after expire")
            try e.expectEqual(
                sessions(try store.findSessions([2], earliestEnd: .min, latestStart: .max)), [.init(start: 150, end: 200)],
                "key 2 after expire")
        },
        .init("expire drops every session that ended before the given time") { make, e in
            let store = try make(long)
            defer { store.close() }
            for key: UInt8 in [1, 2] {
                for end in stride(from: Int64(10), through: 50, by: 10) {
                    try store.put([key], session: .init(start: end - 5, end: end), [key])
                }
            }
            try store.expire(before: 30)
            for key: UInt8 in [1, 2] {
                try e.expectEqual(
                    sessions(try store.findSessions([key], earliestEnd: .min, latestStart: .max)).map(\.end), [30, 40, 50],
                    "ends of key \(key) after expire(before: 30)")
            }
            try store.put([3], session: .init(start: 0, end: 1), [3])
            try e.expectEqual(try store.fetch([3], session: .init(start: 0, end: 1)), [3], "a live session written after expire")
            try store.expire(before: 30)
            try e.expectEqual(try store.fetch([3], session: .init(start: 0, end: 1)), nil, "expire drops it too")
        },
        .init("random sessions agree with a sorted model") { make, e in
            let store = try make(long)
            defer { store.close() }
            var generator = SeededGenerator(seed: 11)
            var model: [SessionKey: [UInt8]] = [:]
            for step in 0..<2_000 {
                let key = generator.edgeKey(maxLength: 2)
                let start = Int64.random(in: -30...30, using: &generator)
                let session = SessionWindow(start: start, end: start + Int64.random(in: 0...10, using: &generator))
                let value: [UInt8]? = Int.random(in: 0..<4, using: &generator) == 0 ? nil : [UInt8(truncatingIfNeeded: step)]
                try store.put(key, session: session, value)
                model[SessionKey(key: key, session: session)] = value
                guard step % 100 == 0 else { continue }
                let probe = generator.edgeKey(maxLength: 2)
                let earliestEnd = Int64.random(in: -40...40, using: &generator)
                let latestStart = Int64.random(in: -40...40, using: &generator)
                let expected = model.filter {
                    $0.key.key == probe && $0.key.session.end >= earliestEnd && $0.key.session.start <= latestStart
                }.map(\.key.session).sorted()
                try e.expectEqual(
                    sessions(try store.findSessions(probe, earliestEnd: earliestEnd, latestStart: latestStart)), expected,
                    "step \(step): findSessions(\(hex(probe)), \(earliestEnd), \(latestStart))")
            }
        },
    ]
}

/// A (key, session) pair, hashable for the model.
struct SessionKey: Hashable {
    var key: [UInt8]
    var session: SessionWindow
}

/// The sessions of a `findSessions` result.
func sessions(_ found: [(session: SessionWindow, value: [UInt8])]) -> [SessionWindow] { found.map(\.session) }
