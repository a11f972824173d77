/// A fixed set of object keys that ``JSONValue/fields(_:)`` finds in one pass over an object.
///
/// Build it once (a `static let` beside the type that decodes) and reuse it for every document: looking up `n`
/// keys one by one scans the object `n` times, while a key set reads each member's key once and matches it in a
/// small hash table. At most ``maxCount`` keys.
///
/// Immutable after `init`, hence `@unchecked Sendable` despite its buffers.
public final class JSONKeySet: @unchecked Sendable {
    /// The most keys a set can hold.
    public static let maxCount = 16
    static let bucketCount = 128

    /// The keys, in the order given.
    public let names: [String]
    /// The keys' UTF-8 bytes, back to back; key `i` is `utf8[utf8Start[i]..<utf8Start[i + 1]]`.
    private let utf8: UnsafeMutableBufferPointer<UInt8>
    private let utf8Start: UnsafeMutableBufferPointer<Int>
    /// Each key's first (up to) 8 bytes as a little-endian word, zero-padded: most keys are compared whole in one
    /// instruction.
    private let prefixes: UnsafeMutableBufferPointer<UInt64>
    /// For reads by `String` key: ``guessSlot(count:first:)`` to the position of the first key with that length and
    /// first byte, or -1. A guess is confirmed with `==`, which for two equal literals compares two words.
    private let guesses: UnsafeMutableBufferPointer<Int8>
    /// Open-addressing table from ``bucket(prefix:count:)`` to the key's position in `names`; -1 is empty.
    /// Invariant: at least seven eighths of the buckets are empty, so every probe sequence ends.
    private let buckets: UnsafeMutableBufferPointer<Int8>

    /// A set of `names`, which must be distinct and at most ``maxCount``.
    public init(_ names: [String]) {
        precondition(names.count <= Self.maxCount, "a JSONKeySet holds at most \(Self.maxCount) keys")
        precondition(Set(names).count == names.count, "duplicate keys in JSONKeySet \(names)")
        self.names = names
        let bytes = names.flatMap(\.utf8)
        utf8 = .allocate(capacity: max(bytes.count, 1))
        _ = utf8.initialize(from: bytes)
        utf8Start = .allocate(capacity: names.count + 1)
        utf8Start[0] = 0
        for (position, name) in names.enumerated() { utf8Start[position + 1] = utf8Start[position] + name.utf8.count }
        prefixes = .allocate(capacity: max(names.count, 1))
        guesses = .allocate(capacity: 64)
        guesses.initialize(repeating: -1)
        for (position, name) in names.enumerated() {
            let slot = Self.guessSlot(count: name.utf8.count, first: name.utf8.first ?? 0)
            if guesses[slot] < 0 { guesses[slot] = Int8(position) }
        }
        buckets = .allocate(capacity: Self.bucketCount)
        buckets.initialize(repeating: -1)
        for (position, name) in names.enumerated() {
            let key = Array(name.utf8)
            let prefix = key.withUnsafeBufferPointer { Self.prefix(of: $0, readable: $0.count) }
            prefixes[position] = prefix
            var bucket = Self.bucket(prefix: prefix, count: key.count)
            while buckets[bucket] >= 0 { bucket = (bucket + 1) & (Self.bucketCount - 1) }
            buckets[bucket] = Int8(position)
        }
    }

    deinit {
        utf8.deallocate()
        utf8Start.deallocate()
        prefixes.deallocate()
        guesses.deallocate()
        buckets.deallocate()
    }

    /// The first `min(key.count, 8)` bytes of `key` as a little-endian word, zero-padded. `readable`: how many bytes
    /// from `key`'s start may be read (at least `key.count`); with 8 or more, one unaligned load does it.
    @inline(__always)
    static func prefix(of key: UnsafeBufferPointer<UInt8>, readable: Int) -> UInt64 {
        let count = key.count
        if readable >= 8 {
            let word = UInt64(littleEndian: UnsafeRawPointer(key.baseAddress!).loadUnaligned(as: UInt64.self))
            return count >= 8 ? word : word & ((1 << (UInt64(count) &* 8)) &- 1)
        }
        var word: UInt64 = 0
        for index in 0..<min(count, 8) { word |= UInt64(key[index]) << (UInt64(index) &* 8) }
        return word
    }

    @inline(__always)
    static func guessSlot(count: Int, first: UInt8) -> Int { (count &* 31 &+ Int(first)) & 63 }

    @inline(__always)
    static func bucket(prefix: UInt64, count: Int) -> Int {
        (Int(truncatingIfNeeded: (prefix &* 0x9E37_79B9_7F4A_7C15) >> 57) ^ count) & (bucketCount - 1)
    }

    /// The position of the key whose UTF-8 bytes are `key`, or `nil` if it is not in the set. `readable`: how many
    /// bytes from `key`'s start may be read (at least `key.count`).
    @inline(__always)
    func position(of key: UnsafeBufferPointer<UInt8>, readable: Int) -> Int? {
        let count = key.count
        let prefix = Self.prefix(of: key, readable: readable)
        var bucket = Self.bucket(prefix: prefix, count: count)
        while true {
            let position = Int(buckets[bucket])
            if position < 0 { return nil }
            let start = utf8Start[position]
            if prefixes[position] == prefix && utf8Start[position + 1] - start == count
                && (count <= 8 || memcmpBytes(utf8.baseAddress! + start + 8, key.baseAddress! + 8, count - 8))
            {
                return position
            }
            bucket = (bucket + 1) & (Self.bucketCount - 1)
        }
    }

    /// The position of `key` in the set; a key outside the set is a programming error.
    @inline(__always)
    func position(of key: String) -> Int {
        let guess = Int(guesses[Self.guessSlot(count: key.utf8.count, first: key.utf8.first ?? 0)])
        if guess >= 0 && names[guess] == key { return guess }
        var key = key
        guard let found = key.withUTF8({ position(of: $0, readable: $0.count) }) else {
            preconditionFailure("key \"\(key)\" is not in the JSONKeySet \(names)")
        }
        return found
    }
}
