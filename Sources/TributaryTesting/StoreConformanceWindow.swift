import TributaryCore

/// Makes a fresh, empty window store with the given retention (ms) for one conformance check.
public typealias WindowStoreFactory = (_ retentionMs: Int64) throws -> any WindowBytesStore

/// One window as a check compares it.
struct WindowEntry: Equatable, CustomStringConvertible {
    var key: [UInt8]
    var start: Int64
    var value: [UInt8]

    var description: String { "(\(hex(key)) @\(start) = \(hex(value)))" }
}

/// The conformance checks every ``WindowBytesStore`` must pass.
public enum WindowStoreConformance {
    /// A retention long enough that nothing in a check expires unless the check means it to.
    static let long: Int64 = 1_000_000

    /// Every check, for `@Test(arguments: WindowStoreConformance.checks)`.
    public static let checks: [StoreConformanceCheck<WindowStoreFactory>] = [
        .init("put, fetch, overwrite and put nil round-trip per key and window start") { make, e in
            let store = try make(long)
            defer { store.close() }
            try e.expectEqual(store.retentionMs, long, "retentionMs")
            try e.expectEqual(try store.fetch([1], windowStart: 10), nil, "fetch of a missing window")
            try store.put([1], windowStart: 10, [1])
            try store.put([1], windowStart: 20, [2])
            try store.put([2], windowStart: 10, [3])
            try e.expectEqual(try store.fetch([1], windowStart: 10), [1], "fetch (1, 10)")
            try e.expectEqual(try store.fetch([1], windowStart: 20), [2], "fetch (1, 20)")
            try e.expectEqual(try store.fetch([2], windowStart: 10), [3], "fetch (2, 10)")
            try e.expectEqual(try store.fetch([2], windowStart: 20), nil, "fetch (2, 20)")
            try store.put([1], windowStart: 10, [9, 9])
            try e.expectEqual(try store.fetch([1], windowStart: 10), [9, 9], "fetch after overwrite")
            try store.put([1], windowStart: 10, nil)
            try store.put([7], windowStart: 10, nil)
            try e.expectEqual(try store.fetch([1], windowStart: 10), nil, "fetch after put nil")
            try e.expectEqual(
                entries(try store.fetchAll(from: .min, to: .max)),
                [WindowEntry(key: [1], start: 20, value: [2]), WindowEntry(key: [2], start: 10, value: [3])],
                "fetchAll after put nil")
        },
        .init("fetch by key returns starts within the inclusive time range, ascending") { make, e in
            let store = try make(long)
            defer { store.close() }
            for start: Int64 in [30, -10, 20, 0, -1, 10, 5] { try store.put([7], windowStart: start, [UInt8(start + 10)]) }
            try store.put([8], windowStart: 15, [0])
            try e.expectEqual(starts(try store.fetch([7], from: 10, to: 20)), [10, 20], "[10, 20]")
            try e.expectEqual(starts(try store.fetch([7], from: 11, to: 19)), [], "[11, 19]")
            try e.expectEqual(starts(try store.fetch([7], from: 20, to: 10)), [], "an inverted range")
            try e.expectEqual(
                starts(try store.fetch([7], from: .min, to: .max)), [-10, -1, 0, 5, 10, 20, 30], "every start")
            try e.expectEqual(
                try store.fetch([7], from: -1, to: 0).map(\.value), [[9], [10]], "values in [-1, 0]")
            try e.expectEqual(starts(try store.fetch([9], from: .min, to: .max)), [], "a key without windows")
        },
        .init("fetchAll orders by key in byte order, then start, within the time range") { make, e in
            let store = try make(long)
            defer { store.close() }
            let orderedKeys: [[UInt8]] = [[], [0x00], [0x00, 0x00], [0x00, 0xFF], [0x01], [0x01, 0x00], [0xFF], [0xFF, 0xFF]]
            var generator = SeededGenerator(seed: 3)
            var expected: [WindowEntry] = []
            for key in orderedKeys {
                for start: Int64 in [-5, 0, 100] { expected.append(WindowEntry(key: key, start: start, value: key + [0xAA])) }
            }
            for entry in expected.shuffled(using: &generator) {
                try store.put(entry.key, windowStart: entry.start, entry.value)
            }
            try e.expectEqual(entries(try store.fetchAll(from: .min, to: .max)), expected, "every window")
            try e.expectEqual(
                entries(try store.fetchAll(from: 0, to: 99)), expected.filter { $0.start == 0 }, "starts in [0, 99]")
            try e.expectEqual(entries(try store.fetchAll(from: 1, to: 0)), [], "an inverted range")
        },
        .init("keys that are prefixes of each other keep separate windows") { make, e in
            let store = try make(long)
            defer { store.close() }
            let related: [[UInt8]] = [[0x61], [0x61, 0x00], [0x61, 0x00, 0x00], [0x61, 0x62], [0x61, 0x00, 0xFF], []]
            for (index, key) in related.enumerated() {
                for start: Int64 in [0, 1] { try store.put(key, windowStart: start, [UInt8(index)]) }
            }
            for (index, key) in related.enumerated() {
                let windows = try store.fetch(key, from: .min, to: .max)
                try e.expectEqual(starts(windows), [0, 1], "starts of key \(hex(key))")
                try e.expect(windows.allSatisfy { $0.value == [UInt8(index)] }, "values of key \(hex(key))")
            }
            let sortedKeys = related.sorted(by: ByteOrder.lexicographicallyPrecedes)
            try e.expectEqual(
                try store.fetchAll(from: .min, to: .max).map(\.key), sortedKeys.flatMap { [$0, $0] },
                "fetchAll key order")
        },
        .init("windows older than retention before the latest start are hidden, then dropped by expire") { make, e in
            let store = try make(100)
            defer { store.close() }
            try store.put([1], windowStart: 0, [0])
            try store.put([1], windowStart: 50, [50])
            try store.put([2], windowStart: 40, [40])
            try e.expectEqual(try store.fetch([1], windowStart: 0), [0], "window 0 before it expires")
            try store.put([2], windowStart: 150, [150])  // latest start 150: windows before 50 are expired
            try e.expectEqual(try store.fetch([1], windowStart: 0), nil, "expired window 0 by point fetch")
            try e.expectEqual(starts(try store.fetch([1], from: .min, to: .max)), [50], "key 1 range keeps the boundary")
            try e.expectEqual(starts(try store.fetch([2], from: .min, to: .max)), [150], "key 2 range")
            try e.expectEqual(
                entries(try store.fetchAll(from: .min, to: .max)),
                [WindowEntry(key: [1], start: 50, value: [50]), WindowEntry(key: [2], start: 150, value: [150])],
                "fetchAll hides expired windows")
            try store.put([3], windowStart: 10, [10])
            try e.expectEqual(try store.fetch([3], windowStart: 10), nil, "a write to an expired window is ignored")
            try store.expire(before: 50)
            try e.expectEqual(
                entries(try store.fetchAll(from: .min, to: .max)).map(\.start), [50, 150], "after expire(before: 50)")
            try store.expire(before: 151)
            try e.expectEqual(entries(try store.fetchAll(from: .min, to: .max)), [], "after expire(before: 151)")
            try store.put([1], windowStart: 160, [160])
            try e.expectEqual(starts(try store.fetch([1], from: .min, to: .max)), [160], "a new window after expiry")
        },
        .init("expire drops every window that starts before the given time, and can repeat") { make, e in
            let store = try make(long)
            defer { store.close() }
            for key: UInt8 in [1, 2, 3] {
                for start in stride(from: Int64(0), through: 90, by: 10) { try store.put([key], windowStart: start, [key]) }
            }
            try store.expire(before: 40)
            for key: UInt8 in [1, 2, 3] {
                try e.expectEqual(
                    starts(try store.fetch([key], from: .min, to: .max)), [40, 50, 60, 70, 80, 90],
                    "starts of key \(key) after expire(before: 40)")
            }
            try store.expire(before: 40)
            try e.expectEqual(try store.fetchAll(from: .min, to: .max).count, 18, "repeating expire changes nothing")
            try store.put([4], windowStart: 10, [4])  // still within retention of the latest start
            try e.expectEqual(try store.fetch([4], windowStart: 10), [4], "a live window written after expire")
            try store.expire(before: 40)
            try e.expectEqual(try store.fetch([4], windowStart: 10), nil, "expire drops windows written after it too")
            try store.expire(before: .max)
            try e.expectEqual(try store.fetchAll(from: .min, to: .max).count, 0, "expire(before: .max)")
        },
        .init("random windows agree with a sorted model") { make, e in
            let store = try make(long)
            defer { store.close() }
            var generator = SeededGenerator(seed: 7)
            var model: [WindowKey: [UInt8]] = [:]
            for step in 0..<2_000 {
                let key = generator.edgeKey(maxLength: 3)
                let start = Int64.random(in: -50...50, using: &generator)
                if Int.random(in: 0..<4, using: &generator) == 0 {
                    try store.put(key, windowStart: start, nil)
                    model[WindowKey(key: key, start: start)] = nil
                } else {
                    let value = [UInt8(truncatingIfNeeded: step)]
                    try store.put(key, windowStart: start, value)
                    model[WindowKey(key: key, start: start)] = value
                }
                guard step % 200 == 0 else { continue }
                let from = Int64.random(in: -60...60, using: &generator)
                let to = Int64.random(in: -60...60, using: &generator)
                let expected = model.filter { $0.key.start >= from && $0.key.start <= to }
                    .map { WindowEntry(key: $0.key.key, start: $0.key.start, value: $0.value) }
                    .sorted { keyThenTime(($0.key, $0.start), ($1.key, $1.start)) }
                try e.expectEqual(entries(try store.fetchAll(from: from, to: to)), expected, "step \(step): fetchAll(\(from), \(to))")
                let probe = generator.edgeKey(maxLength: 3)
                try e.expectEqual(
                    try store.fetch(probe, from: from, to: to).map { WindowEntry(key: probe, start: $0.windowStart, value: $0.value) },
                    expected.filter { $0.key == probe }, "step \(step): fetch(\(hex(probe)), \(from), \(to))")
            }
        },
    ]
}

/// A (key, start) pair, hashable for the model.
struct WindowKey: Hashable {
    var key: [UInt8]
    var start: Int64
}

/// Orders (key, time) pairs by key in ``ByteOrder``, then time.
func keyThenTime(_ lhs: ([UInt8], Int64), _ rhs: ([UInt8], Int64)) -> Bool {
    let order = ByteOrder.compare(lhs.0, rhs.0)
    return order != 0 ? order < 0 : lhs.1 < rhs.1
}

/// The windows of a `fetchAll` result as comparable values.
func entries(_ windows: [(key: [UInt8], windowStart: Int64, value: [UInt8])]) -> [WindowEntry] {
    windows.map { WindowEntry(key: $0.key, start: $0.windowStart, value: $0.value) }
}

/// The starts of a per-key `fetch` result.
func starts(_ windows: [(windowStart: Int64, value: [UInt8])]) -> [Int64] { windows.map(\.windowStart) }
