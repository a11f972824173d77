import Foundation
import TributaryCore

/// How the query port turns key text from a URL into a store's key bytes, and stored bytes into JSON.
///
/// | format | key in the URL | key and value in responses |
/// |---|---|---|
/// | `string` | the text itself (percent-encoded in the URL) | JSON string |
/// | `int64` | decimal, e.g. `-42` | JSON number |
/// | `double` | decimal, e.g. `2.5` | JSON number (`"NaN"`, `"Infinity"`, `"-Infinity"` as strings) |
/// | `json` | the JSON text exactly as the serde writes it (keys sorted, no spaces) | the JSON value itself |
/// | `bytes`, `opaque` | base64 (standard or URL-safe alphabet, padding optional) | base64 string |
package enum QueryCodec {
    /// The key bytes that `text` names in a store whose keys are in `format`.
    package static func keyBytes(_ text: String, format: SerdeFormat, store: String) throws(QueryError) -> [UInt8] {
        switch format {
        case .string:
            return Array(text.utf8)
        case .int64:
            guard let value = Int64(text) else {
                throw QueryError(400, "key '\(text)' is not an integer: store '\(store)' has 64-bit integer keys, written in decimal (e.g. 42 or -7)")
            }
            return withUnsafeBytes(of: value.bigEndian) { Array($0) }
        case .double:
            guard let value = Double(text) else {
                throw QueryError(400, "key '\(text)' is not a number: store '\(store)' has double keys, written in decimal (e.g. 2.5)")
            }
            return withUnsafeBytes(of: value.bitPattern.bigEndian) { Array($0) }
        case .json:
            let bytes = Array(text.utf8)
            do {
                _ = try JSONValue.parse(bytes)
            } catch {
                throw QueryError(400, "key '\(text)' is not JSON: store '\(store)' has JSON keys; write the JSON text as the topology's serde writes it (keys sorted, no spaces), percent-encoded")
            }
            return bytes
        case .bytes, .opaque:
            guard let bytes = base64Decode(text) else {
                throw QueryError(400, "key '\(text)' is not base64: store '\(store)' has \(format == .bytes ? "raw byte" : "custom-serde") keys, written in base64 (standard or URL-safe alphabet)")
            }
            return bytes
        }
    }

    /// The JSON text of stored bytes in `format`.
    package static func json(_ bytes: [UInt8], format: SerdeFormat) -> String {
        switch format {
        case .string:
            if let text = String(validating: bytes, as: UTF8.self) { return JSONText.string(text) }
            return JSONText.string(Data(bytes).base64EncodedString())
        case .int64:
            guard bytes.count == 8 else { return JSONText.string(Data(bytes).base64EncodedString()) }
            return String(bytes.reduce(Int64(0)) { ($0 << 8) | Int64($1) })
        case .double:
            guard bytes.count == 8 else { return JSONText.string(Data(bytes).base64EncodedString()) }
            let value = Double(bitPattern: bytes.reduce(UInt64(0)) { ($0 << 8) | UInt64($1) })
            if value.isNaN { return "\"NaN\"" }
            if value.isInfinite { return value > 0 ? "\"Infinity\"" : "\"-Infinity\"" }
            return "\(value)"
        case .json:
            if (try? JSONValue.parse(bytes)) != nil { return String(decoding: bytes, as: UTF8.self) }
            return JSONText.string(Data(bytes).base64EncodedString())
        case .bytes, .opaque:
            return JSONText.string(Data(bytes).base64EncodedString())
        }
    }

    /// Base64 in either alphabet, padding optional; `nil` if `text` is not base64.
    static func base64Decode(_ text: String) -> [UInt8]? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard).map { Array($0) }
    }

    /// Epoch ms from a query parameter: an integer (epoch ms) or an ISO-8601 time.
    package static func time(_ text: String, parameter: String) throws(QueryError) -> Int64 {
        if let millis = Int64(text) { return millis }
        if let millis = ISO8601Timestamp.parse(text) { return millis }
        throw QueryError(400, "\(parameter)='\(text)' is not a time: give epoch milliseconds (1767225600000) or ISO-8601 (2026-01-01T00:00:00Z; write '+' in an offset as %2B)")
    }
}
