/// The tab-separated fields of one export row, read in place from the row's bytes.
///
/// Values are the ones the `Substring` parser gave: text is the field decoded as UTF-8 with invalid bytes
/// replaced (decoding a field alone gives what decoding the row and splitting it gave, as a TAB ends any
/// invalid sequence), and numbers are `Int64(text)` / `Double(text)`. Plain decimal forms are converted here
/// without building a `String`; every other form goes through those initialisers, so both agree on all input.
struct GDELTFields {
    private let line: UnsafeBufferPointer<UInt8>
    /// Field `i` is `line[bounds[i] ..< bounds[i + 1] - 1]`: `bounds[i + 1] - 1` is the TAB after it, or the end.
    private let bounds: UnsafeBufferPointer<Int>

    /// Splits `line` on TAB and calls `body` with its fields.
    /// - Throws: ``GDELTRowError/wrongColumnCount(_:)`` unless there are exactly `count` fields; what `body` throws.
    static func withFields<R>(
        of line: UnsafeBufferPointer<UInt8>, count: Int, _ body: (GDELTFields) throws(GDELTRowError) -> R
    ) throws(GDELTRowError) -> R {
        let result: Result<R, GDELTRowError> = withUnsafeTemporaryAllocation(of: Int.self, capacity: count + 1) { bounds in
            // One pass: the start of every field up to the last expected one, then only counting.
            var fields = 1
            bounds[0] = 0
            for (index, byte) in line.enumerated() where byte == 0x09 {
                if fields < count { bounds[fields] = index + 1 }
                fields += 1
            }
            guard fields == count else { return .failure(.wrongColumnCount(fields)) }
            bounds[count] = line.count + 1
            do throws(GDELTRowError) {
                return .success(try body(GDELTFields(line: line, bounds: UnsafeBufferPointer(bounds))))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The bytes of field `i`.
    func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: line[bounds[i]..<(bounds[i + 1] - 1)])
    }

    /// Field `i` as text.
    func string(_ i: Int) -> String { String(decoding: bytes(i), as: UTF8.self) }

    /// Field `i` as text, nil when empty.
    func text(_ i: Int) -> String? { bounds[i + 1] - 1 == bounds[i] ? nil : string(i) }

    /// Field `i` as an integer, nil when empty.
    /// - Throws: ``GDELTRowError/badNumber(column:value:)`` when it is not one.
    func int(_ i: Int) throws(GDELTRowError) -> Int? {
        let field = bytes(i)
        if field.isEmpty { return nil }
        guard let value = Self.int64(field) else {
            throw .badNumber(column: GDELTEvent.columnNames[i], value: string(i))
        }
        return Int(value)
    }

    /// Field `i` as a finite double, nil when empty.
    /// - Throws: ``GDELTRowError/badNumber(column:value:)`` when it is not one.
    func double(_ i: Int) throws(GDELTRowError) -> Double? {
        let field = bytes(i)
        if field.isEmpty { return nil }
        guard let value = Self.double(field), value.isFinite else {
            throw .badNumber(column: GDELTEvent.columnNames[i], value: string(i))
        }
        return value
    }

    /// `Int64(text)`: `-?[0-9]{1,18}` (which cannot overflow) directly, anything else through the initialiser.
    static func int64(_ field: UnsafeBufferPointer<UInt8>) -> Int64? {
        let negative = field.first == UInt8(ascii: "-")
        let digits = UnsafeBufferPointer(rebasing: field[(negative ? 1 : 0)...])
        if (1...18).contains(digits.count) {
            var value: Int64 = 0
            for byte in digits {
                let digit = byte &- UInt8(ascii: "0")
                guard digit <= 9 else { return Int64(String(decoding: field, as: UTF8.self)) }
                value = value * 10 + Int64(digit)
            }
            return negative ? -value : value
        }
        return Int64(String(decoding: field, as: UTF8.self))
    }

    /// `Double(text)`. `-?[0-9]+(\.[0-9]+)?` with at most 15 digits is converted directly: the digits as an
    /// integer are exact in a double (< 2^53), so are the powers of ten up to 10^22, and one IEEE division of
    /// two exact values is correctly rounded, as `strtod` is (Clinger's fast path). Anything else goes through
    /// the initialiser.
    static func double(_ field: UnsafeBufferPointer<UInt8>) -> Double? {
        let negative = field.first == UInt8(ascii: "-")
        var index = negative ? 1 : 0
        var mantissa: Int64 = 0
        var digits = 0
        var fractionDigits = 0
        var integerDigits = 0
        var seenPoint = false
        while index < field.count {
            let byte = field[index]
            index += 1
            if byte == UInt8(ascii: "."), !seenPoint, integerDigits > 0 {
                seenPoint = true
                continue
            }
            let digit = byte &- UInt8(ascii: "0")
            guard digit <= 9, digits < 15 else { return Double(String(decoding: field, as: UTF8.self)) }
            mantissa = mantissa * 10 + Int64(digit)
            digits += 1
            if seenPoint { fractionDigits += 1 } else { integerDigits += 1 }
        }
        guard integerDigits > 0, !seenPoint || fractionDigits > 0 else {
            return Double(String(decoding: field, as: UTF8.self))
        }
        let magnitude = Double(mantissa) / powersOfTen[fractionDigits]
        return negative ? -magnitude : magnitude
    }

    /// 10^0 ... 10^15, each exact in a double.
    private static let powersOfTen: [Double] = [
        1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
    ]
}
