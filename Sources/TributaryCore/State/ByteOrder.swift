/// Unsigned lexicographic order of byte strings, the order every Tributary store keeps its keys in.
///
/// Bytes compare as unsigned values (0x00 first, 0xFF last); when one string is a prefix of the other,
/// the shorter one comes first, so the empty key is the smallest of all. RocksDB's default bytewise
/// comparator uses exactly this order, so in-memory and RocksDB stores agree.
public enum ByteOrder {
    /// Compares `lhs` and `rhs`: a negative number if `lhs` comes first, zero if they are equal, a positive
    /// number if `rhs` comes first.
    public static func compare(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int {
        lhs.withUnsafeBufferPointer { left in
            rhs.withUnsafeBufferPointer { right in
                let common = min(left.count, right.count)
                var index = 0
                // Eight bytes at a time: as big-endian integers, words order like their bytes.
                if common >= 8, let leftBase = left.baseAddress, let rightBase = right.baseAddress {
                    while common - index >= 8 {
                        let a = UInt64(bigEndian: UnsafeRawPointer(leftBase + index).loadUnaligned(as: UInt64.self))
                        let b = UInt64(bigEndian: UnsafeRawPointer(rightBase + index).loadUnaligned(as: UInt64.self))
                        if a != b { return a < b ? -1 : 1 }
                        index += 8
                    }
                }
                while index < common {
                    let a = left[index]
                    let b = right[index]
                    if a != b { return a < b ? -1 : 1 }
                    index += 1
                }
                // Equal up to the shorter length: the shorter (a prefix of the other) comes first.
                return left.count == right.count ? 0 : (left.count < right.count ? -1 : 1)
            }
        }
    }

    /// True when `lhs` comes strictly before `rhs`.
    public static func lexicographicallyPrecedes(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        compare(lhs, rhs) < 0
    }

    /// The smallest byte string greater than every string that starts with `prefix`, or `nil` when there is
    /// none (`prefix` is empty or all 0xFF). Drops trailing 0xFF bytes and increments the last remaining
    /// byte: `[0x01, 0xFF]` gives `[0x02]`.
    public static func prefixUpperBound(_ prefix: [UInt8]) -> [UInt8]? {
        var bound = prefix
        while let last = bound.last {
            if last == 0xFF {
                bound.removeLast()
            } else {
                bound[bound.count - 1] = last + 1
                return bound
            }
        }
        return nil
    }

    /// The smallest byte string greater than `bytes` (its immediate successor): `bytes` followed by 0x00.
    /// Turns an inclusive upper bound into the exclusive one range scans take.
    public static func successor(_ bytes: [UInt8]) -> [UInt8] {
        bytes + [0x00]
    }
}
