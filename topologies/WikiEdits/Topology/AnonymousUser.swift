/// Replaces IP-address user names by a keyed hash, so edits by one address stay linkable without the address.
///
/// The hash is SipHash-2-4 (a keyed pseudo-random function) of the address under a 128-bit secret; without
/// the secret, the hash cannot be reversed by trying all IPv4 addresses.
public struct AnonymousUser: Sendable {
    let k0: UInt64
    let k1: UInt64

    /// Creates a hasher with a 128-bit secret.
    public init(secret: (UInt64, UInt64)) {
        (k0, k1) = secret
    }

    /// `ip-` and 16 hex digits for an IP address; `nil` for a registered or temporary account name.
    public func pseudonym(for user: String) -> String? {
        guard Self.isIPAddress(user) else { return nil }
        let hash = SipHash24.hash(Array(user.utf8), k0: k0, k1: k1)
        let hex = String(hash, radix: 16)
        return "ip-" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Whether `text` is an IPv4 address in dotted-quad form or an IPv6 address (with `::` compression and an
    /// optional embedded IPv4 tail). Read as UTF-8 bytes: any non-ASCII character makes it not an address.
    public static func isIPAddress(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in isIPv4(bytes[...]) || isIPv6(bytes) }
    }

    /// Four `.`-separated parts of one to three ASCII digits, each at most 255.
    static func isIPv4(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        var dots = 0
        var digits = 0
        var value = 0
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, dots < 3 else { return false }
                dots += 1
                digits = 0
                value = 0
            } else {
                let digit = Int(byte &- UInt8(ascii: "0"))
                guard digit < 10, digits < 3 else { return false }
                digits += 1
                value = value * 10 + digit
                guard value <= 255 else { return false }
            }
        }
        return dots == 3 && digits > 0
    }

    static func isIPv6(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let colon = UInt8(ascii: ":")
        guard bytes.count <= 45, bytes.contains(colon) else { return false }
        // Where the one `::` is, if any (non-overlapping, from the left: `:::` is `::` then `:`).
        var compression: Int?
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == colon && bytes[index + 1] == colon {
                guard compression == nil else { return false }
                compression = index
                index += 2
            } else {
                index += 1
            }
        }
        let pieces = compression.map { [0..<$0, ($0 + 2)..<bytes.count] } ?? [0..<bytes.count]
        var groups = 0
        for (number, piece) in pieces.enumerated() where !piece.isEmpty {
            var fieldStart = piece.lowerBound
            for position in piece.lowerBound...piece.upperBound where position == piece.upperBound || bytes[position] == colon {
                let field = bytes[fieldStart..<position]
                let isLast = number == pieces.count - 1 && position == piece.upperBound
                if isLast && field.contains(UInt8(ascii: ".")) {
                    guard isIPv4(field) else { return false }
                    groups += 2
                } else {
                    guard (1...4).contains(field.count), field.allSatisfy(isHexDigit) else { return false }
                    groups += 1
                }
                fieldStart = position + 1
            }
        }
        return compression == nil ? groups == 8 : groups < 8
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10 || (byte | 0x20) &- UInt8(ascii: "a") < 6
    }
}

/// SipHash-2-4 (Aumasson and Bernstein), 64-bit output.
enum SipHash24 {
    static func hash(_ data: [UInt8], k0: UInt64, k1: UInt64) -> UInt64 {
        var v0: UInt64 = 0x736f_6d65_7073_6575 ^ k0
        var v1: UInt64 = 0x646f_7261_6e64_6f6d ^ k1
        var v2: UInt64 = 0x6c79_6765_6e65_7261 ^ k0
        var v3: UInt64 = 0x7465_6462_7974_6573 ^ k1
        func rotl(_ x: UInt64, _ b: UInt64) -> UInt64 { (x << b) | (x >> (64 - b)) }
        func round() {
            v0 &+= v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32)
            v2 &+= v3; v3 = rotl(v3, 16); v3 ^= v2
            v0 &+= v3; v3 = rotl(v3, 21); v3 ^= v0
            v2 &+= v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32)
        }
        let blocks = data.count / 8
        for block in 0..<blocks {
            var m: UInt64 = 0
            for byte in 0..<8 { m |= UInt64(data[block * 8 + byte]) << (8 * UInt64(byte)) }
            v3 ^= m
            round(); round()
            v0 ^= m
        }
        var last = UInt64(data.count & 0xff) << 56
        for byte in 0..<(data.count % 8) { last |= UInt64(data[blocks * 8 + byte]) << (8 * UInt64(byte)) }
        v3 ^= last
        round(); round()
        v0 ^= last
        v2 ^= 0xff
        round(); round(); round(); round()
        return v0 ^ v1 ^ v2 ^ v3
    }
}
