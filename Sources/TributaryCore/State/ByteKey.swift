/// Bytes as a hash key that hashes its buffer in one call: `[UInt8]` feeds the hasher one element at a time,
/// which made hashing the dominant cost of byte-keyed dictionaries and sets on the per-record path.
/// Equality is the bytes' equality, so a dictionary keyed by `ByteKey` behaves like one keyed by `[UInt8]`.
struct ByteKey: Hashable {
    let bytes: [UInt8]

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    static func == (lhs: ByteKey, rhs: ByteKey) -> Bool { lhs.bytes == rhs.bytes }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
}
