/// Reading scalar values out of a validated ``JSONDocument``.
extension JSONDocument {
    /// The string value of the string token at `index`.
    func string(at index: Int) -> String {
        let token = tape[index]
        return bytes.withUnsafeBufferPointer { buffer in
            let content = UnsafeBufferPointer(rebasing: buffer[Int(token.a)..<Int(token.b)])
            if !token.flag { return String(decoding: content, as: UTF8.self) }
            return Self.unescape(content)
        }
    }

    /// Whether the string token at `index` equals `key`'s UTF-8 bytes.
    @inline(__always)
    func stringEquals(at index: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let token = tape[index]
        if token.flag { return string(at: index).utf8.elementsEqual(key) }
        let length = Int(token.b &- token.a)
        guard length == key.count else { return false }
        if length == 0 { return true }
        return bytes.withUnsafeBufferPointer { buffer in
            memcmpBytes(buffer.baseAddress! + Int(token.a), key.baseAddress!, length)
        }
    }

    /// Decodes the escapes of already-validated string content.
    static func unescape(_ content: UnsafeBufferPointer<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(content.count)
        var index = 0
        func hex4(_ at: Int) -> UInt32 {
            var value: UInt32 = 0
            for offset in 0..<4 { value = value << 4 | UInt32(JSONParser.hexValue(content[at + offset])!) }
            return value
        }
        while index < content.count {
            let byte = content[index]
            guard byte == UInt8(ascii: "\\") else {
                output.append(byte)
                index += 1
                continue
            }
            let escape = content[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(index)
                index += 4
                if scalar & 0xFC00 == 0xD800 {
                    let low = hex4(index + 2)
                    index += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                output.append(contentsOf: UTF8.encode(Unicode.Scalar(scalar)!)!)
            default: output.append(escape)  // " \ /
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The literal text of the number token at `index`.
    func numberText(at index: Int) -> String {
        let token = tape[index]
        return bytes.withUnsafeBufferPointer { String(decoding: $0[Int(token.a)..<Int(token.b)], as: UTF8.self) }
    }

    /// The number token at `index` as an integer literal's magnitude and sign, or `nil` if it has a fraction or
    /// exponent or does not fit in a `UInt64`.
    @inline(__always)
    func integerLiteral(at index: Int) -> (negative: Bool, magnitude: UInt64)? {
        let token = tape[index]
        if token.flag { return nil }
        return bytes.withUnsafeBufferPointer { buffer in
            var position = Int(token.a)
            let end = Int(token.b)
            let negative = buffer[position] == UInt8(ascii: "-")
            if negative { position += 1 }
            var value: UInt64 = 0
            while position < end {
                let digit = UInt64(buffer[position] &- UInt8(ascii: "0"))
                let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(digit)
                if overflow1 || overflow2 { return nil }
                value = sum
                position += 1
            }
            return (negative, value)
        }
    }

    /// The number token at `index` as a correctly rounded `Double` (infinite if out of range).
    func double(at index: Int) -> Double {
        if let (negative, magnitude) = integerLiteral(at: index), magnitude <= 1 << 53 {
            let value = Double(magnitude)
            return negative ? -value : value
        }
        if let value = fastDouble(at: index) { return value }
        return Double(numberText(at: index)) ?? .nan
    }

    /// Clinger's fast path: a decimal with at most 15 significant digits and a small power-of-ten scale is exact
    /// as one IEEE multiplication or division.
    private func fastDouble(at index: Int) -> Double? {
        let token = tape[index]
        return bytes.withUnsafeBufferPointer { buffer -> Double? in
            var position = Int(token.a)
            let end = Int(token.b)
            let negative = buffer[position] == UInt8(ascii: "-")
            if negative { position += 1 }
            var mantissa: UInt64 = 0
            var digits = 0
            var scale = 0
            var seenPoint = false
            while position < end {
                let byte = buffer[position]
                if byte == UInt8(ascii: ".") {
                    seenPoint = true
                } else if byte &- UInt8(ascii: "0") < 10 {
                    if mantissa != 0 || byte != UInt8(ascii: "0") { digits += 1 }
                    mantissa = mantissa &* 10 &+ UInt64(byte &- UInt8(ascii: "0"))
                    if seenPoint { scale -= 1 }
                    if digits > 15 { return nil }
                } else {
                    break  // exponent
                }
                position += 1
            }
            if position < end {
                position += 1
                var exponentNegative = false
                if buffer[position] == UInt8(ascii: "-") || buffer[position] == UInt8(ascii: "+") {
                    exponentNegative = buffer[position] == UInt8(ascii: "-")
                    position += 1
                }
                var exponent = 0
                while position < end {
                    exponent = exponent * 10 + Int(buffer[position] &- UInt8(ascii: "0"))
                    if exponent > 400 { return nil }
                    position += 1
                }
                scale += exponentNegative ? -exponent : exponent
            }
            guard scale >= -22 && scale <= 22 else { return nil }
            var value = Double(mantissa)
            if scale < 0 { value /= Self.powersOfTen[-scale] } else { value *= Self.powersOfTen[scale] }
            return negative ? -value : value
        }
    }

    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22,
    ]
}

@inline(__always)
func memcmpBytes(_ lhs: UnsafePointer<UInt8>, _ rhs: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    var index = 0
    while count - index >= 8 {
        let left = UnsafeRawPointer(lhs + index).loadUnaligned(as: UInt64.self)
        let right = UnsafeRawPointer(rhs + index).loadUnaligned(as: UInt64.self)
        if left != right { return false }
        index += 8
    }
    while index < count {
        if lhs[index] != rhs[index] { return false }
        index += 1
    }
    return true
}
