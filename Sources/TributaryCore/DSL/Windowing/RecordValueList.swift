/// The serialized values of the records of one key at one timestamp: each value as a 4-byte big-endian length
/// (`0xFFFFFFFF` for Kafka null) followed by its bytes, in arrival order.
enum RecordValueList {
    static func encode(_ values: [[UInt8]?]) -> [UInt8] {
        var bytes: [UInt8] = []
        for value in values {
            let length = value.map { UInt32($0.count) } ?? UInt32.max
            for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: length >> UInt32(shift))) }
            if let value { bytes += value }
        }
        return bytes
    }

    static func decode(_ bytes: [UInt8]) throws -> [[UInt8]?] {
        var values: [[UInt8]?] = []
        var index = 0
        while index < bytes.count {
            guard index + 4 <= bytes.count else { throw SerdeError.malformed("truncated record list") }
            let length = bytes[index..<(index + 4)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            index += 4
            if length == UInt32.max {
                values.append(nil)
                continue
            }
            guard index + Int(length) <= bytes.count else { throw SerdeError.malformed("truncated record list") }
            values.append(Array(bytes[index..<(index + Int(length))]))
            index += Int(length)
        }
        return values
    }
}
