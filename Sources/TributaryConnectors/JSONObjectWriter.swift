/// Appends one flat JSON object field by field: the GDELT record encoder, faster than `JSONEncoder` and
/// with the keys in file order.
struct JSONObjectWriter {
    private var out: [UInt8]
    private var first = true

    init(into out: [UInt8]) {
        self.out = out
        self.out.append(UInt8(ascii: "{"))
    }

    private mutating func key(_ name: String) {
        if !first { out.append(UInt8(ascii: ",")) }
        first = false
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: name.utf8)  // column names need no escaping
        out.append(contentsOf: "\":".utf8)
    }

    mutating func int(_ name: String, _ value: Int64?) {
        key(name)
        if let value { out.append(contentsOf: String(value).utf8) } else { out.append(contentsOf: "null".utf8) }
    }

    mutating func double(_ name: String, _ value: Double?) {
        key(name)
        if let value { out.append(contentsOf: value.description.utf8) } else { out.append(contentsOf: "null".utf8) }
    }

    mutating func string(_ name: String, _ value: String?) {
        key(name)
        guard let value else {
            out.append(contentsOf: "null".utf8)
            return
        }
        Self.appendQuoted(value, to: &out)
    }

    mutating func finish() -> [UInt8] {
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Appends `value` as a JSON string literal (quotes, backslashes and control characters escaped).
    static func appendQuoted(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case 0x0A: out.append(contentsOf: "\\n".utf8)
            case 0x0D: out.append(contentsOf: "\\r".utf8)
            case 0x09: out.append(contentsOf: "\\t".utf8)
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: "\\u00".utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 15)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
