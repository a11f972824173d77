/// Appends one flat JSON object field by field to a byte buffer: the GDELT record encoder, faster than
/// `JSONEncoder` and with the keys in file order.
///
/// Output is fixed (downstream reads these bytes): integers in decimal, doubles as `Double.description`,
/// `null` for nil, strings with `"`, `\`, `\n`, `\r`, `\t` escaped and other control characters as `\u00XX`.
struct JSONObjectWriter {
    private var out: [UInt8] = []
    private var first = true

    /// Appends one object to `buffer` (after what it holds already) with the fields `body` writes.
    static func append(to buffer: inout [UInt8], _ body: (inout JSONObjectWriter) -> Void) {
        var writer = JSONObjectWriter()
        // Moves the storage in and out so appending never copies it (the buffer stays uniquely referenced).
        swap(&writer.out, &buffer)
        writer.out.append(UInt8(ascii: "{"))
        body(&writer)
        writer.out.append(UInt8(ascii: "}"))
        swap(&writer.out, &buffer)
    }

    /// `name` is a column name: ASCII that needs no escaping.
    private mutating func key(_ name: StaticString) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        out.append(UInt8(ascii: "\""))
        Self.append(name, to: &out)
        Self.append("\":", to: &out)
    }

    private mutating func null() { Self.append("null", to: &out) }

    private static func append(_ text: StaticString, to out: inout [UInt8]) {
        out.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func int(_ name: StaticString, _ value: Int64?) {
        key(name)
        guard let value else { return null() }
        Self.appendDecimal(value, to: &out)
    }

    mutating func int(_ name: StaticString, _ value: Int?) {
        int(name, value.map(Int64.init))
    }

    mutating func double(_ name: StaticString, _ value: Double?) {
        key(name)
        guard let value else { return null() }
        out.append(contentsOf: value.description.utf8)
    }

    mutating func string(_ name: StaticString, _ value: String?) {
        key(name)
        guard let value else { return null() }
        Self.appendQuoted(value, to: &out)
    }

    /// Appends `value` in decimal, as `String(value)` writes it.
    static func appendDecimal(_ value: Int64, to out: inout [UInt8]) {
        // The magnitude as unsigned, so Int64.min has one too.
        var magnitude = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = 20
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude != 0
            if value < 0 { out.append(UInt8(ascii: "-")) }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start..<20]))
        }
    }

    /// Appends `value` as a JSON string literal (quotes, backslashes and control characters escaped).
    static func appendQuoted(_ value: String, to out: inout [UInt8]) {
        var value = value
        value.withUTF8 { appendQuoted($0, to: &out) }
    }

    /// Appends the UTF-8 text `bytes` as a JSON string literal; runs that need no escaping are copied whole.
    static func appendQuoted(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var runStart = 0
        for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            runStart = index + 1
            switch byte {
            case UInt8(ascii: "\""): append("\\\"", to: &out)
            case UInt8(ascii: "\\"): append("\\\\", to: &out)
            case 0x0A: append("\\n", to: &out)
            case 0x0D: append("\\r", to: &out)
            case 0x09: append("\\t", to: &out)
            default:
                let hex: StaticString = "0123456789abcdef"
                append("\\u00", to: &out)
                out.append(hex.utf8Start[Int(byte >> 4)])
                out.append(hex.utf8Start[Int(byte & 15)])
            }
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        out.append(UInt8(ascii: "\""))
    }
}
