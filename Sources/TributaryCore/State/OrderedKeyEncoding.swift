/// Order-preserving binary encodings for composite store keys, shared by the in-memory and RocksDB window
/// and session stores so both keep the same layout and therefore the same order.
///
/// - A user key is written escaped and terminated: every 0x00 byte becomes `00 FF`, and the key ends with
///   `00 00`. The result sorts exactly like the raw key in ``ByteOrder`` (a key sorts before its
///   extensions: `"a"` → `61 00 00` precedes `"a\0"` → `61 00 FF 00 00` precedes `"ab"` → `61 62 00 00`),
///   and it is prefix-free: no encoded key is a prefix of another's, so the entries of keys that are
///   prefixes of each other never interleave. (A length prefix would also separate keys but would sort
///   `"b"` before `"aa"`, breaking the stores' key order.)
/// - A time (`Int64`, ms) is written as 8 bytes big-endian with the sign bit flipped, so negative times sort
///   before positive ones.
public enum OrderedKeyEncoding {
    /// Appends the escaped, terminated form of `key` to `bytes`.
    public static func appendKey(_ key: [UInt8], to bytes: inout [UInt8]) {
        // Room for the escapes-free key, its terminator and the 8-byte time the window and session layouts append.
        bytes.reserveCapacity(bytes.count + key.count + 2 + 8)
        if !key.contains(0x00) {
            // Nothing to escape (the common case): one copy.
            bytes.append(contentsOf: key)
            bytes.append(0x00)
            bytes.append(0x00)
            return
        }
        for byte in key {
            bytes.append(byte)
            if byte == 0x00 { bytes.append(0xFF) }
        }
        bytes.append(0x00)
        bytes.append(0x00)
    }

    /// The escaped, terminated form of `key` alone: the prefix every composite key of `key` starts with.
    public static func keyPrefix(_ key: [UInt8]) -> [UInt8] {
        var bytes: [UInt8] = []
        appendKey(key, to: &bytes)
        return bytes
    }

    /// Decodes an escaped key starting at `start` of `bytes`: the key and the index just past its
    /// terminator, or `nil` if the bytes are not a valid encoding.
    public static func readKey(_ bytes: [UInt8], from start: Int = 0) -> (key: [UInt8], end: Int)? {
        var key: [UInt8] = []
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte != 0x00 {
                key.append(byte)
                index += 1
                continue
            }
            guard index + 1 < bytes.count else { return nil }
            switch bytes[index + 1] {
            case 0x00: return (key, index + 2)
            case 0xFF: key.append(0x00)
            default: return nil
            }
            index += 2
        }
        return nil
    }

    /// Appends `time` as 8 big-endian bytes with the sign bit flipped.
    public static func appendTime(_ time: Int64, to bytes: inout [UInt8]) {
        let flipped = UInt64(bitPattern: time) ^ (1 << 63)
        withUnsafeBytes(of: flipped.bigEndian) { bytes.append(contentsOf: $0) }
    }

    /// Reads a time written by ``appendTime(_:to:)`` at `start`; `bytes` must hold 8 bytes there.
    public static func readTime(_ bytes: [UInt8], at start: Int) -> Int64 {
        precondition(start >= 0 && start + 8 <= bytes.count, "a time needs 8 bytes")
        var flipped: UInt64 = 0
        for index in start..<(start + 8) {
            flipped = flipped << 8 | UInt64(bytes[index])
        }
        return Int64(bitPattern: flipped ^ (1 << 63))
    }
}
