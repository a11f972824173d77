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
    /// Open-addressing table from ``bucket(count:first:last:)`` to the key's position in `names`; -1 is empty.
    /// Invariant: at least three quarters of the buckets are empty, so every probe sequence ends.
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
        buckets = .allocate(capacity: Self.bucketCount)
        buckets.initialize(repeating: -1)
        for (position, name) in names.enumerated() {
            let key = Array(name.utf8)
            var bucket = Self.bucket(count: key.count, first: key.first ?? 0, last: key.last ?? 0)
            while buckets[bucket] >= 0 { bucket = (bucket + 1) & (Self.bucketCount - 1) }
            buckets[bucket] = Int8(position)
        }
    }

    deinit {
        utf8.deallocate()
        utf8Start.deallocate()
        buckets.deallocate()
    }

    @inline(__always)
    static func bucket(count: Int, first: UInt8, last: UInt8) -> Int {
        (count &* 37 ^ Int(first) &* 5 ^ Int(last) &* 17) & (bucketCount - 1)
    }

    /// The position of the key whose UTF-8 bytes are `key`, or `nil` if it is not in the set.
    @inline(__always)
    func position(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        let count = key.count
        var bucket = Self.bucket(count: count, first: count > 0 ? key[0] : 0, last: count > 0 ? key[count - 1] : 0)
        while true {
            let position = Int(buckets[bucket])
            if position < 0 { return nil }
            let start = utf8Start[position]
            if utf8Start[position + 1] - start == count
                && (count == 0 || memcmpBytes(utf8.baseAddress! + start, key.baseAddress!, count))
            {
                return position
            }
            bucket = (bucket + 1) & (Self.bucketCount - 1)
        }
    }

    /// The position of `key` in the set; a key outside the set is a programming error.
    @inline(__always)
    func position(of key: String) -> Int {
        var key = key
        guard let found = key.withUTF8({ position(of: $0) }) else {
            preconditionFailure("key \"\(key)\" is not in the JSONKeySet \(names)")
        }
        return found
    }
}
