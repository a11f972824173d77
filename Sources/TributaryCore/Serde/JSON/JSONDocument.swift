/// One value of a parsed JSON document, in document order (a "tape").
///
/// Scalars occupy one token; an array is its token followed by its elements; an object is its token followed by
/// alternating key and value tokens. Containers record where their subtree ends, so a reader can skip a value in
/// O(1) without looking at its contents.
struct JSONToken {
    /// What the token is.
    enum Kind: UInt8 {
        case null, `true`, `false`, string, number, array, object
    }

    var kind: Kind
    /// Strings: the content contains a backslash escape. Numbers: the literal has a fraction or an exponent.
    var flag: Bool
    /// Scalars: byte offset of the first byte (strings: after the opening quote). Containers: element count
    /// (objects: number of key–value pairs).
    var a: UInt32
    /// Scalars: byte offset just past the last byte (strings: of the closing quote). Containers: index of the
    /// token after the subtree.
    var b: UInt32
}

/// A syntax error, with the byte offset where parsing stopped.
struct JSONSyntaxError: Error, CustomStringConvertible {
    var message: String
    var offset: Int
    var description: String { "\(message) at byte offset \(offset)." }
}

/// UTF-8 JSON text and its validated token tape.
///
/// Parsing checks the whole document against RFC 8259 (plus an optional leading UTF-8 byte-order mark, which the
/// RFC permits parsers to ignore), including the UTF-8 and escapes inside strings, so decoding a string or number
/// later never fails for syntactic reasons.
///
/// The tape is a buffer the document owns and never mutates after `init`: every token index a reader derives from
/// it (a container's `b`, `index + 1` below `b`) is inside it, so readers index it without bounds checks.
/// `@unchecked Sendable` because of that pointer; the document is immutable.
final class JSONDocument: @unchecked Sendable {
    /// The maximum nesting depth of arrays and objects.
    static let maxDepth = 512

    let bytes: [UInt8]
    let tape: UnsafeBufferPointer<JSONToken>

    init(_ bytes: [UInt8]) throws(JSONSyntaxError) {
        self.bytes = bytes
        guard bytes.count < Int(UInt32.max) else { throw JSONSyntaxError(message: "Document too large", offset: 0) }
        let parsed = bytes.withUnsafeBufferPointer { buffer -> Result<UnsafeBufferPointer<JSONToken>, JSONSyntaxError> in
            var parser = JSONParser(bytes: buffer)
            do throws(JSONSyntaxError) {
                try parser.parseDocument()
                return .success(parser.takeTape())
            } catch {
                parser.discardTape()
                return .failure(error)
            }
        }
        tape = try parsed.get()
    }

    deinit { tape.deallocate() }

    /// The index of the token after the value at `index` and its subtree.
    @inline(__always)
    func next(after index: Int) -> Int {
        let token = tape[index]
        return token.kind.rawValue >= JSONToken.Kind.array.rawValue ? Int(token.b) : index + 1
    }
}

/// The single-pass validating tokenizer behind ``JSONDocument``.
///
/// Tokens go to a buffer the parser allocates and grows; ``takeTape()`` hands it over (sized to the tokens
/// written) and ``discardTape()`` frees it. Exactly one of the two must be called.
struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    var depth = 0
    private var tokens: UnsafeMutablePointer<JSONToken>
    private var tokenCount = 0
    private var tokenCapacity: Int

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        // About one token per 12 bytes in typical event JSON; grown by doubling when a document is denser.
        tokenCapacity = bytes.count / 8 + 8
        tokens = .allocate(capacity: tokenCapacity)
    }

    /// The tokens written, in a buffer the caller now owns (free it with `deallocate()`).
    mutating func takeTape() -> UnsafeBufferPointer<JSONToken> {
        UnsafeBufferPointer(start: tokens, count: tokenCount)
    }

    /// Frees the token buffer (after a syntax error).
    mutating func discardTape() {
        tokens.deallocate()
        tokenCount = 0
    }

    @inline(__always)
    mutating func emit(_ token: JSONToken) {
        if tokenCount == tokenCapacity { growTape() }
        (tokens + tokenCount).initialize(to: token)
        tokenCount += 1
    }

    @inline(never)
    mutating func growTape() {
        let larger = UnsafeMutablePointer<JSONToken>.allocate(capacity: tokenCapacity * 2)
        larger.moveInitialize(from: tokens, count: tokenCount)
        tokens.deallocate()
        tokens = larger
        tokenCapacity *= 2
    }

    mutating func parseDocument() throws(JSONSyntaxError) {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3 }
        skipWhitespace()
        guard position < bytes.count else { throw error("Unexpected end of file") }
        try parseValue()
        skipWhitespace()
        if position < bytes.count { throw error("Unexpected character '\(describe(bytes[position]))' after top-level value") }
    }

    func error(_ message: String) -> JSONSyntaxError { JSONSyntaxError(message: message, offset: position) }

    func describe(_ byte: UInt8) -> String {
        byte >= 0x20 && byte < 0x7F ? String(UnicodeScalar(byte)) : "0x" + String(byte, radix: 16, uppercase: true)
    }

    @inline(__always)
    mutating func skipWhitespace() {
        var scan = position
        while scan < bytes.count {
            switch bytes[scan] {
            case 0x20, 0x0A, 0x0D, 0x09: scan &+= 1
            default:
                position = scan
                return
            }
        }
        position = scan
    }

    /// Moves past the digits at `position`.
    @inline(__always)
    mutating func skipDigits() {
        var scan = position
        while scan < bytes.count && isDigit(bytes[scan]) { scan &+= 1 }
        position = scan
    }

    mutating func parseValue() throws(JSONSyntaxError) {
        guard position < bytes.count else { throw error("Unexpected end of file") }
        switch bytes[position] {
        case UInt8(ascii: "\""):
            let (start, end, escaped) = try scanString()
            emit(JSONToken(kind: .string, flag: escaped, a: UInt32(start), b: UInt32(end)))
        case UInt8(ascii: "{"): try parseObject()
        case UInt8(ascii: "["): try parseArray()
        case UInt8(ascii: "t"): try literal("true", .true)
        case UInt8(ascii: "f"): try literal("false", .false)
        case UInt8(ascii: "n"): try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try scanNumber()
        case let byte: throw error("Unexpected character '\(describe(byte))'")
        }
    }

    mutating func literal(_ text: StaticString, _ kind: JSONToken.Kind) throws(JSONSyntaxError) {
        let count = text.utf8CodeUnitCount
        guard bytes.count - position >= count else { throw error("Unexpected end of file") }
        let pointer = text.utf8Start
        for offset in 0..<count where bytes[position + offset] != pointer[offset] {
            throw error("Invalid literal")
        }
        emit(JSONToken(kind: kind, flag: false, a: UInt32(position), b: UInt32(position + count)))
        position += count
    }

    mutating func parseObject() throws(JSONSyntaxError) {
        depth += 1
        guard depth <= JSONDocument.maxDepth else { throw error("Too many nested arrays or objects") }
        let tokenIndex = tokenCount
        emit(JSONToken(kind: .object, flag: false, a: 0, b: 0))
        position += 1
        skipWhitespace()
        var count: UInt32 = 0
        if position < bytes.count && bytes[position] == UInt8(ascii: "}") {
            position += 1
        } else {
            while true {
                guard position < bytes.count else { throw error("Unexpected end of file in object") }
                guard bytes[position] == UInt8(ascii: "\"") else { throw error("Expected a string key in object") }
                let (start, end, escaped) = try scanString()
                emit(JSONToken(kind: .string, flag: escaped, a: UInt32(start), b: UInt32(end)))
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                    throw error("Expected ':' after object key")
                }
                position += 1
                skipWhitespace()
                try parseValue()
                count += 1
                skipWhitespace()
                guard position < bytes.count else { throw error("Unexpected end of file in object") }
                let byte = bytes[position]
                position += 1
                if byte == UInt8(ascii: ",") {
                    skipWhitespace()
                    continue
                }
                if byte == UInt8(ascii: "}") { break }
                position -= 1
                throw error("Expected ',' or '}' in object")
            }
        }
        tokens[tokenIndex].a = count
        tokens[tokenIndex].b = UInt32(tokenCount)
        depth -= 1
    }

    mutating func parseArray() throws(JSONSyntaxError) {
        depth += 1
        guard depth <= JSONDocument.maxDepth else { throw error("Too many nested arrays or objects") }
        let tokenIndex = tokenCount
        emit(JSONToken(kind: .array, flag: false, a: 0, b: 0))
        position += 1
        skipWhitespace()
        var count: UInt32 = 0
        if position < bytes.count && bytes[position] == UInt8(ascii: "]") {
            position += 1
        } else {
            while true {
                try parseValue()
                count += 1
                skipWhitespace()
                guard position < bytes.count else { throw error("Unexpected end of file in array") }
                let byte = bytes[position]
                position += 1
                if byte == UInt8(ascii: ",") {
                    skipWhitespace()
                    continue
                }
                if byte == UInt8(ascii: "]") { break }
                position -= 1
                throw error("Expected ',' or ']' in array")
            }
        }
        tokens[tokenIndex].a = count
        tokens[tokenIndex].b = UInt32(tokenCount)
        depth -= 1
    }

    /// Scans a number literal, checking the RFC 8259 grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    mutating func scanNumber() throws(JSONSyntaxError) {
        let start = position
        var fractional = false
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, isDigit(bytes[position]) else { throw error("Expected a digit in number") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if position < bytes.count && isDigit(bytes[position]) { throw error("Leading zero in number") }
        } else {
            skipDigits()
        }
        if position < bytes.count && bytes[position] == UInt8(ascii: ".") {
            fractional = true
            position += 1
            guard position < bytes.count, isDigit(bytes[position]) else { throw error("Expected a digit after '.'") }
            skipDigits()
        }
        if position < bytes.count && (bytes[position] | 0x20) == UInt8(ascii: "e") {
            fractional = true
            position += 1
            if position < bytes.count && (bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-")) {
                position += 1
            }
            guard position < bytes.count, isDigit(bytes[position]) else { throw error("Expected a digit in exponent") }
            skipDigits()
        }
        emit(JSONToken(kind: .number, flag: fractional, a: UInt32(start), b: UInt32(position)))
    }

    @inline(__always)
    func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    /// Scans a string starting at its opening quote; returns the content range and whether it has escapes.
    @inline(__always)
    mutating func scanString() throws(JSONSyntaxError) -> (Int, Int, Bool) {
        position += 1
        let start = position
        var escaped = false
        let count = bytes.count
        let base = UnsafeRawPointer(bytes.baseAddress!)
        while true {
            // Plain ASCII bytes (no quote, backslash, control character or non-ASCII byte) 16, then 8 at a time,
            // with the position in a local: the loop's only state, kept in a register and without overflow checks
            // (`scan + 16 <= count` cannot overflow: `count` is a buffer's size).
            var scan = position
            scanning: do {
                while scan &+ 16 <= count {
                    let low = Self.specialBytes(base.loadUnaligned(fromByteOffset: scan, as: UInt64.self))
                    let high = Self.specialBytes(base.loadUnaligned(fromByteOffset: scan &+ 8, as: UInt64.self))
                    if low | high != 0 {
                        // The lowest flagged byte is the first special one (borrows only propagate upwards).
                        scan &+= low != 0 ? low.trailingZeroBitCount &>> 3 : 8 &+ high.trailingZeroBitCount &>> 3
                        break scanning
                    }
                    scan &+= 16
                }
                while scan &+ 8 <= count {
                    let special = Self.specialBytes(base.loadUnaligned(fromByteOffset: scan, as: UInt64.self))
                    if special != 0 {
                        scan &+= special.trailingZeroBitCount &>> 3
                        break scanning
                    }
                    scan &+= 8
                }
            }
            position = scan
            guard position < count else { throw error("Unterminated string") }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return (start, position - 1, escaped)
            case UInt8(ascii: "\\"):
                escaped = true
                try scanEscape()
            case 0..<0x20:
                throw error("Unescaped control character in string")
            case 0x20..<0x80:
                position += 1
            default:
                try scanMultibyte(byte)
            }
        }
    }

    /// The high bit of each byte of `word` (8 bytes of a string, little-endian) that may be a quote, backslash,
    /// control character or non-ASCII byte; the lowest flagged byte is the first such byte.
    @inline(__always)
    static func specialBytes(_ word: UInt64) -> UInt64 {
        let word = UInt64(littleEndian: word)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        return ((word &- ones &* 0x20) | (quote &- ones) & ~quote | (backslash &- ones) & ~backslash | word)
            & 0x8080_8080_8080_8080
    }

    mutating func scanEscape() throws(JSONSyntaxError) {
        position += 1
        guard position < bytes.count else { throw error("Unterminated string") }
        switch bytes[position] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            position += 1
        case UInt8(ascii: "u"):
            position += 1
            let unit = try hex4()
            if unit & 0xFC00 == 0xD800 {
                guard bytes.count - position >= 6, bytes[position] == UInt8(ascii: "\\"),
                    bytes[position + 1] == UInt8(ascii: "u")
                else { throw error("Unpaired UTF-16 surrogate in string") }
                position += 2
                let low = try hex4()
                guard low & 0xFC00 == 0xDC00 else { throw error("Unpaired UTF-16 surrogate in string") }
            } else if unit & 0xFC00 == 0xDC00 {
                throw error("Unpaired UTF-16 surrogate in string")
            }
        default:
            throw error("Invalid escape sequence in string")
        }
    }

    mutating func hex4() throws(JSONSyntaxError) -> UInt16 {
        guard bytes.count - position >= 4 else { throw error("Unterminated string") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            guard let digit = JSONParser.hexValue(bytes[position]) else { throw error("Invalid \\u escape in string") }
            value = value << 4 | UInt16(digit)
            position += 1
        }
        return value
    }

    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Validates one multi-byte UTF-8 sequence (no overlong forms, surrogates or code points above U+10FFFF).
    mutating func scanMultibyte(_ lead: UInt8) throws(JSONSyntaxError) {
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default: throw error("Invalid UTF-8 in string")
        }
        guard bytes.count - position >= length else { throw error("Invalid UTF-8 in string") }
        let second = bytes[position + 1]
        guard second >= lower && second <= upper else { throw error("Invalid UTF-8 in string") }
        for offset in 2..<max(length, 2) where bytes[position + offset] & 0xC0 != 0x80 {
            throw error("Invalid UTF-8 in string")
        }
        position += length
    }
}
