import Testing
import TributaryCore

/// Byte order, the sorted map and the composite key layouts the window and session stores share.
@Suite struct StoreKeyLayoutTests {
    @Test(arguments: [
        ([], [], 0), ([], [0x00], -1), ([0x00], [0xFF], -1), ([0xFF], [0x00, 0x00], 1), ([0x01, 0x02], [0x01], 1),
        ([0x80], [0x7F], 1), ([0x01, 0x02], [0x01, 0x02], 0),
    ] as [([UInt8], [UInt8], Int)])
    func byteOrderComparesUnsignedWithPrefixesFirst(_ lhs: [UInt8], _ rhs: [UInt8], _ expected: Int) {
        #expect(ByteOrder.compare(lhs, rhs).signum() == expected)
        #expect(ByteOrder.compare(rhs, lhs).signum() == -expected)
        #expect(ByteOrder.lexicographicallyPrecedes(lhs, rhs) == (expected < 0))
    }

    @Test func prefixUpperBoundSkipsTrailingFFBytes() {
        #expect(ByteOrder.prefixUpperBound([0x01, 0xFF]) == [0x02])
        #expect(ByteOrder.prefixUpperBound([0x00]) == [0x01])
        #expect(ByteOrder.prefixUpperBound([0xFF, 0xFF]) == nil)
        #expect(ByteOrder.prefixUpperBound([]) == nil)
        #expect(ByteOrder.successor([0x01]) == [0x01, 0x00])
    }

    @Test func sortedMapKeepsOrderAcrossChunkSplitsAndRemovals() {
        var map = SortedByteMap<Int>()
        let count = SortedByteMap<Int>.maxChunkCount * 5
        // Descending inserts: every insert goes to the front of the first chunk.
        for index in (0..<count).reversed() { map.updateValue(index, forKey: bigEndian(index)) }
        #expect(map.count == count)
        #expect(map.entries().map(\.value) == Array(0..<count))
        #expect(map.updateValue(-1, forKey: bigEndian(7)) == 7)
        for index in stride(from: 0, to: count, by: 2) { #expect(map.removeValue(forKey: bigEndian(index)) != nil) }
        #expect(map.removeValue(forKey: bigEndian(0)) == nil)
        #expect(map.count == count / 2)
        #expect(map.entries(from: bigEndian(100), to: bigEndian(106)).map(\.value) == [101, 103, 105])
        #expect(map.entries(from: bigEndian(100), to: bigEndian(106), reverse: true).map(\.value) == [105, 103, 101])
        #expect(map.value(for: bigEndian(7)) == -1)
        #expect(map.value(for: bigEndian(8)) == nil)
        for index in stride(from: 1, to: count, by: 2) { map.removeValue(forKey: bigEndian(index)) }
        #expect(map.isEmpty)
        #expect(map.entries().isEmpty)
    }

    @Test(arguments: [[], [0x00], [0x00, 0x00], [0xFF, 0x00, 0x01], [0x61, 0x62]] as [[UInt8]])
    func windowAndSessionKeysDecodeToWhatWasEncoded(_ key: [UInt8]) {
        for time: Int64 in [.min, -1, 0, 1, .max] {
            let window = WindowStoreKeyLayout.encode(key, windowStart: time)
            #expect(WindowStoreKeyLayout.decode(window)?.key == key)
            #expect(WindowStoreKeyLayout.decode(window)?.windowStart == time)
            let session = SessionWindow(start: time / 2, end: time)
            let stored = SessionStoreKeyLayout.encode(key, session: session)
            #expect(SessionStoreKeyLayout.decode(stored)?.key == key)
            #expect(SessionStoreKeyLayout.decode(stored)?.session == session)
        }
    }

    @Test func encodedKeysSortLikeTheKeysThenTimes() {
        let keys: [[UInt8]] = [[], [0x00], [0x00, 0x00], [0x00, 0x01], [0x00, 0xFF], [0x01], [0x61], [0x61, 0x00], [0x61, 0x62], [0xFF]]
        let times: [Int64] = [.min, -256, -1, 0, 1, 255, 256, .max]
        var expected: [[UInt8]] = []
        for key in keys { for time in times { expected.append(WindowStoreKeyLayout.encode(key, windowStart: time)) } }
        #expect(expected.sorted(by: ByteOrder.lexicographicallyPrecedes) == expected)
        for key in keys {
            let prefix = OrderedKeyEncoding.keyPrefix(key)
            let own = expected.filter { $0.starts(with: prefix) }
            #expect(own.count == times.count, "no other key's entries start with \(key)'s prefix")
        }
    }

    @Test func malformedCompositeKeysDoNotDecode() {
        #expect(WindowStoreKeyLayout.decode([0x61, 0x00, 0x01]) == nil)
        #expect(WindowStoreKeyLayout.decode([0x61, 0x00, 0x00, 1, 2]) == nil)
        #expect(SessionStoreKeyLayout.decode(WindowStoreKeyLayout.encode([1], windowStart: 0)) == nil)
    }

    @Test func retentionBoundaryStartsOpenAndSaturates() {
        var boundary = RetentionBoundary(retentionMs: 100)
        #expect(boundary.earliestLive == .min)
        boundary.observe(150)
        boundary.observe(20)
        #expect(boundary.latest == 150)
        #expect(boundary.earliestLive == 50)
        #expect(boundary.isLive(50) && !boundary.isLive(49))
        var wide = RetentionBoundary(retentionMs: .max)
        wide.observe(-10)
        #expect(wide.earliestLive == .min)
    }

    /// Four big-endian bytes of `value`, which sort like the numbers.
    private func bigEndian(_ value: Int) -> [UInt8] {
        withUnsafeBytes(of: UInt32(value).bigEndian, Array.init)
    }
}
