/// Appends one flat JSON object field by field to a byte buffer: the GDELT record encoder, faster than
/// `JSONEncoder` and with the keys in file order.
///
/// Output is fixed (downstream reads these bytes): integers in decimal, doubles as `Double.description`,
/// `null` for nil, strings with `"`, `\`, `\n`, `\r`, `\t` escaped and other control characters as `\u00XX`.
///
/// Each field is written in one step through a pointer into room made for its longest possible encoding
/// (`out` is extended with zeros ahead of `length`; the unused tail is cut off at the end).
struct JSONObjectWriter {
    private var out: [UInt8] = []
    /// The bytes written so far; `out[length...]` is room not yet written.
    private var length = 0
    private var first = true

    /// Appends one object to `buffer` (after what it holds already) with the fields `body` writes.
    static func append(to buffer: inout [UInt8], _ body: (inout JSONObjectWriter) -> Void) {
        var writer = JSONObjectWriter()
        // Moves the storage in and out so writing never copies it (the buffer stays uniquely referenced).
        swap(&writer.out, &buffer)
        writer.length = writer.out.count
        writer.write(maxCount: 1) { $0[0] = UInt8(ascii: "{"); return 1 }
        body(&writer)
        writer.write(maxCount: 1) { $0[0] = UInt8(ascii: "}"); return 1 }
        writer.out.removeLast(writer.out.count - writer.length)
        swap(&writer.out, &buffer)
    }

    /// Lets `body` write at most `maxCount` bytes at the end; it returns how many it wrote.
    private mutating func write(maxCount: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        if out.count - length < maxCount {
            out.append(contentsOf: repeatElement(0, count: max(maxCount, 1024)))
        }
        let start = length
        length += out.withUnsafeMutableBufferPointer { body($0.baseAddress! + start) }
    }

    /// Writes `,"name":` (no comma before the first) and then the value with `value`, which writes at most
    /// `valueMaxCount` bytes. `name` is a column name: ASCII that needs no escaping.
    private mutating func field(
        _ name: StaticString, valueMaxCount: Int, _ value: (UnsafeMutablePointer<UInt8>) -> Int
    ) {
        let isFirst = first
        first = false
        write(maxCount: name.utf8CodeUnitCount + 4 + valueMaxCount) { start in
            var p = start
            if !isFirst {
                p[0] = UInt8(ascii: ",")
                p += 1
            }
            p[0] = UInt8(ascii: "\"")
            p += 1
            p.update(from: name.utf8Start, count: name.utf8CodeUnitCount)
            p += name.utf8CodeUnitCount
            p[0] = UInt8(ascii: "\"")
            p[1] = UInt8(ascii: ":")
            p += 2
            p += value(p)
            return p - start
        }
    }

    private mutating func null(_ name: StaticString) {
        field(name, valueMaxCount: 4) { Self.copy("null", to: $0) }
    }

    mutating func int(_ name: StaticString, _ value: Int64?) {
        guard let value else { return null(name) }
        field(name, valueMaxCount: 20) { Self.writeDecimal(value, to: $0) }
    }

    mutating func int(_ name: StaticString, _ value: Int?) {
        int(name, value.map(Int64.init))
    }

    mutating func double(_ name: StaticString, _ value: Double?) {
        guard let value else { return null(name) }
        var text = value.description
        text.withUTF8 { digits in
            field(name, valueMaxCount: digits.count) { p in
                p.update(from: digits.baseAddress!, count: digits.count)
                return digits.count
            }
        }
    }

    mutating func string(_ name: StaticString, _ value: String?) {
        guard var value else { return null(name) }
        value.withUTF8 { text in
            // Every byte becomes at most 6 (`\u00XX`), plus the quotes.
            field(name, valueMaxCount: 6 * text.count + 2) { Self.writeQuoted(text, to: $0) }
        }
    }

    private static func copy(_ text: StaticString, to p: UnsafeMutablePointer<UInt8>) -> Int {
        p.update(from: text.utf8Start, count: text.utf8CodeUnitCount)
        return text.utf8CodeUnitCount
    }

    /// Writes `value` in decimal, as `String(value)` writes it (at most 20 bytes); returns the count.
    private static func writeDecimal(_ value: Int64, to p: UnsafeMutablePointer<UInt8>) -> Int {
        // The magnitude as unsigned, so Int64.min has one too.
        var magnitude = value.magnitude
        var digits = 0
        var rest = magnitude
        repeat {
            digits += 1
            rest /= 10
        } while rest != 0
        let sign = value < 0 ? 1 : 0
        if sign == 1 { p[0] = UInt8(ascii: "-") }
        var index = sign + digits
        repeat {
            index -= 1
            p[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
            magnitude /= 10
        } while magnitude != 0
        return sign + digits
    }

    /// Writes the UTF-8 text `bytes` as a JSON string literal (at most `6 × count + 2` bytes); runs that need
    /// no escaping are copied whole. Returns the count written.
    private static func writeQuoted(_ bytes: UnsafeBufferPointer<UInt8>, to start: UnsafeMutablePointer<UInt8>) -> Int {
        var p = start
        p[0] = UInt8(ascii: "\"")
        p += 1
        var runStart = 0
        func copyRun(upTo end: Int) {
            guard end > runStart else { return }
            p.update(from: bytes.baseAddress! + runStart, count: end - runStart)
            p += end - runStart
        }
        for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            copyRun(upTo: index)
            runStart = index + 1
            switch byte {
            case UInt8(ascii: "\""): p += copy(#"\""#, to: p)
            case UInt8(ascii: "\\"): p += copy(#"\\"#, to: p)
            case 0x0A: p += copy(#"\n"#, to: p)
            case 0x0D: p += copy(#"\r"#, to: p)
            case 0x09: p += copy(#"\t"#, to: p)
            default:
                let hex: StaticString = "0123456789abcdef"
                p += copy(#"\u00"#, to: p)
                p[0] = hex.utf8Start[Int(byte >> 4)]
                p[1] = hex.utf8Start[Int(byte & 15)]
                p += 2
            }
        }
        copyRun(upTo: bytes.count)
        p[0] = UInt8(ascii: "\"")
        p += 1
        return p - start
    }
}
