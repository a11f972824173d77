import TributaryCore

/// Makes a fresh, empty key-value store for one conformance check.
public typealias KeyValueStoreFactory = () throws -> any KeyValueBytesStore

/// The conformance checks every ``KeyValueBytesStore`` must pass.
public enum KeyValueStoreConformance {
    /// Every check, for `@Test(arguments: KeyValueStoreConformance.checks)`.
    public static let checks: [StoreConformanceCheck<KeyValueStoreFactory>] = [
        .init("put, get, overwrite and delete round-trip; an empty value is present") { make, e in
            let store = try make()
            defer { store.close() }
            try e.expectEqual(try store.get([1]), nil, "get of a missing key")
            try store.put([1], [10, 11])
            try store.put([2], [])
            try e.expectEqual(try store.get([1]), [10, 11], "get after put")
            try e.expectEqual(try store.get([2]), [], "an empty value")
            try store.put([1], [12])
            try e.expectEqual(try store.get([1]), [12], "get after overwrite")
            try store.delete([1])
            try store.delete([99])
            try e.expectEqual(try store.get([1]), nil, "get after delete")
            try e.expectEqual(keys(try store.all()), [[2]], "keys after delete")
            try store.put([1], [13])
            try e.expectEqual(try store.get([1]), [13], "get after put following delete")
        },
        .init("keys sort in unsigned byte order with prefixes first and the empty key smallest") { make, e in
            let store = try make()
            defer { store.close() }
            let expected: [[UInt8]] = [
                [], [0x00], [0x00, 0x00], [0x00, 0xFF], [0x01], [0x01, 0x00], [0x7F], [0x80], [0xFF],
                [0xFF, 0x00], [0xFF, 0xFF],
            ]
            var generator = SeededGenerator(seed: 1)
            for key in expected.shuffled(using: &generator) { try store.put(key, key) }
            let all = try store.all()
            try e.expectEqual(keys(all), expected, "ascending keys")
            try e.expect(all.allSatisfy { $0.key == $0.value }, "every value belongs to its key")
            try e.expectEqual(
                keys(try store.range(from: nil, to: nil, reverse: true)), expected.reversed(), "descending keys")
            try e.expectEqual(try store.get([]), [], "the empty key is a key")
        },
        .init("range includes from, excludes to, and treats nil as open") { make, e in
            let store = try make()
            defer { store.close() }
            for byte: UInt8 in [1, 2, 3, 4, 5] { try store.put([byte], [byte]) }
            try e.expectEqual(keys(try store.range(from: [2], to: [4], reverse: false)), [[2], [3]], "[2, 4)")
            try e.expectEqual(keys(try store.range(from: nil, to: [3], reverse: false)), [[1], [2]], "(nil, 3)")
            try e.expectEqual(keys(try store.range(from: [4], to: nil, reverse: false)), [[4], [5]], "[4, nil)")
            try e.expectEqual(
                keys(try store.range(from: [2, 0], to: [4, 0], reverse: false)), [[3], [4]], "[2 0, 4 0)")
            try e.expectEqual(try store.range(from: [3], to: [3], reverse: false), [], "an empty range")
            try e.expectEqual(try store.range(from: [4], to: [2], reverse: false), [], "an inverted range")
            try e.expectEqual(try store.range(from: nil, to: [], reverse: false), [], "below the empty key")
            try e.expectEqual(keys(try store.range(from: [], to: [2], reverse: false)), [[1]], "[empty, 2)")
            try e.expectEqual(keys(try store.range(from: [0], to: [9], reverse: false)).count, 5, "[0, 9)")
        },
        .init("reverse range returns the same bounds descending") { make, e in
            let store = try make()
            defer { store.close() }
            for byte: UInt8 in [1, 2, 3, 4, 5] { try store.put([byte], [byte]) }
            try e.expectEqual(keys(try store.range(from: [2], to: [4], reverse: true)), [[3], [2]], "[2, 4)")
            try e.expectEqual(keys(try store.range(from: nil, to: [3], reverse: true)), [[2], [1]], "(nil, 3)")
            try e.expectEqual(keys(try store.range(from: [4], to: nil, reverse: true)), [[5], [4]], "[4, nil)")
            try e.expectEqual(
                keys(try store.range(from: [2, 0], to: [4, 0], reverse: true)), [[4], [3]], "[2 0, 4 0)")
            try e.expectEqual(
                keys(try store.range(from: nil, to: [9], reverse: true)), [[5], [4], [3], [2], [1]], "(nil, 9)")
            try e.expectEqual(try store.range(from: nil, to: [1], reverse: true), [], "below the smallest key")
            try e.expectEqual(try store.range(from: [4], to: [2], reverse: true), [], "an inverted range")
        },
        .init("prefix scan returns exactly the keys starting with the prefix, ascending") { make, e in
            let store = try make()
            defer { store.close() }
            let all: [[UInt8]] = [
                [0x01], [0x01, 0x00], [0x01, 0xFF], [0x01, 0xFF, 0xFF], [0x02], [0xFF], [0xFF, 0x01], [0xFF, 0xFF],
            ]
            for key in all.reversed() { try store.put(key, [0]) }
            try e.expectEqual(
                keys(try store.prefixScan([0x01])), [[0x01], [0x01, 0x00], [0x01, 0xFF], [0x01, 0xFF, 0xFF]],
                "prefix 01")
            try e.expectEqual(
                keys(try store.prefixScan([0x01, 0xFF])), [[0x01, 0xFF], [0x01, 0xFF, 0xFF]], "prefix 01 FF")
            try e.expectEqual(
                keys(try store.prefixScan([0xFF])), [[0xFF], [0xFF, 0x01], [0xFF, 0xFF]],
                "prefix FF (no upper bound)")
            try e.expectEqual(keys(try store.prefixScan([0xFF, 0xFF])), [[0xFF, 0xFF]], "prefix FF FF")
            try e.expectEqual(try store.prefixScan([0x03]), [], "a prefix no key has")
            try e.expectEqual(keys(try store.prefixScan([])), all, "the empty prefix")
        },
        .init("approximate count is zero when empty and tracks distinct keys") { make, e in
            let store = try make()
            defer { store.close() }
            try e.expectEqual(try store.approximateCount(), 0, "count of an empty store")
            for index in 0..<100 { try store.put([UInt8(index)], [1]) }
            for index in 0..<100 { try store.put([UInt8(index)], [2]) }
            let count = try store.approximateCount()
            try e.expect(count >= 50 && count <= 200, "count after 100 distinct keys is \(count)")
        },
        .init("values of any size and content round-trip") { make, e in
            let store = try make()
            defer { store.close() }
            let large = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
            try store.put([0x00], large)
            try store.put([0xFF], [0x00, 0xFF, 0x00])
            try e.expect(try store.get([0x00]) == large, "a 200 kB value")
            try e.expectEqual(try store.get([0xFF]), [0x00, 0xFF, 0x00], "a binary value")
            try e.expect(try store.all().map(\.value) == [large, [0x00, 0xFF, 0x00]], "values in a scan")
        },
        .init("random puts, deletes and ranges agree with a sorted model") { make, e in
            let store = try make()
            defer { store.close() }
            var generator = SeededGenerator(seed: 42)
            var model: [[UInt8]: [UInt8]] = [:]
            for step in 0..<3_000 {
                let key = generator.edgeKey(maxLength: 5)
                if Int.random(in: 0..<4, using: &generator) == 0 {
                    try store.delete(key)
                    model[key] = nil
                } else {
                    let value = [UInt8(truncatingIfNeeded: step), UInt8(truncatingIfNeeded: step >> 8)]
                    try store.put(key, value)
                    model[key] = value
                }
                guard step % 250 == 0 else { continue }
                let from: [UInt8]? = Bool.random(using: &generator) ? generator.edgeKey() : nil
                let to: [UInt8]? = Bool.random(using: &generator) ? generator.edgeKey() : nil
                let reverse = Bool.random(using: &generator)
                var expected = model.filter { pair in
                    (from.map { !ByteOrder.lexicographicallyPrecedes(pair.key, $0) } ?? true)
                        && (to.map { ByteOrder.lexicographicallyPrecedes(pair.key, $0) } ?? true)
                }.map { KeyValueBytes(key: $0.key, value: $0.value) }
                expected.sort { ByteOrder.lexicographicallyPrecedes($0.key, $1.key) }
                if reverse { expected.reverse() }
                try e.expectEqual(
                    try store.range(from: from, to: to, reverse: reverse), expected,
                    "step \(step): range(from: \(from.map(hex) ?? "nil"), to: \(to.map(hex) ?? "nil"), reverse: \(reverse))")
                let prefix = generator.edgeKey(maxLength: 2)
                try e.expectEqual(
                    keys(try store.prefixScan(prefix)),
                    model.keys.filter { $0.starts(with: prefix) }.sorted(by: ByteOrder.lexicographicallyPrecedes),
                    "step \(step): prefixScan(\(hex(prefix)))")
            }
            for (key, value) in model {
                try e.expectEqual(try store.get(key), value, "get(\(hex(key))) at the end")
            }
            try e.expectEqual(try store.all().count, model.count, "number of keys at the end")
        },
        .init("a checkpointing store returns the last checkpoint written, replaced whole") { make, e in
            let store = try make()
            defer { store.close() }
            guard let checkpointing = store as? any OffsetCheckpointing else { return }
            try e.expectEqual(try checkpointing.checkpoint(), [:], "checkpoint of a new store")
            try store.put([1], [1])
            try checkpointing.writeCheckpoint(["changelog-0": 1, "changelog-1": 7])
            try e.expectEqual(try checkpointing.checkpoint(), ["changelog-0": 1, "changelog-1": 7], "first checkpoint")
            try store.put([2], [2])
            try checkpointing.writeCheckpoint(["changelog-0": 2])
            try e.expectEqual(try checkpointing.checkpoint(), ["changelog-0": 2], "replacing checkpoint")
            try e.expectEqual(keys(try store.all()), [[1], [2]], "data after checkpoints")
        },
    ]
}

/// The keys of a scan result.
func keys(_ pairs: [KeyValueBytes]) -> [[UInt8]] { pairs.map(\.key) }

/// Hex digits of `bytes`, for failure messages.
func hex(_ bytes: [UInt8]) -> String {
    bytes.isEmpty ? "[]" : bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: true) }.joined(separator: " ")
}
