#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// Foundation's JSONEncoder/JSONDecoder special-case a few Foundation types (with default strategies): `Data` as a
// Base64 string, `URL` as its absolute string and `Decimal` as a number. These helpers keep the byte coders
// compatible for those types; everything else goes through `Codable` unchanged. (`Date`'s own `Codable`
// conformance already matches the default `.deferredToDate` strategy.)

extension JSONValueDecoder {
    /// Decodes `T` the way Foundation's `JSONDecoder` special-cases it, or returns `nil` for ordinary types.
    @inline(__always)
    func decodeFoundationType<T>(_ type: T.Type) throws -> T? {
        if T.self == Data.self {
            let text = try document.string(index, path: self, key: nil)
            guard let data = Data(base64Encoded: text) else {
                throw DecodingError.dataCorrupted(
                    DecodingError.Context(codingPath: codingPath, debugDescription: "Encountered Data is not valid Base64."))
            }
            return (data as! T)
        }
        if T.self == URL.self {
            let text = try document.string(index, path: self, key: nil)
            guard let url = URL(string: text) else {
                throw DecodingError.dataCorrupted(
                    DecodingError.Context(codingPath: codingPath, debugDescription: "Invalid URL string."))
            }
            return (url as! T)
        }
        if T.self == Decimal.self {
            guard document.tape[index].kind == .number else {
                throw mismatch(Decimal.self, document.tape[index], codingPath: codingPath)
            }
            guard let decimal = Decimal(string: document.numberText(at: index)) else {
                throw DecodingError.dataCorrupted(
                    DecodingError.Context(
                        codingPath: codingPath,
                        debugDescription: "Parsed JSON number <\(document.numberText(at: index))> does not fit in Decimal."))
            }
            return (decimal as! T)
        }
        return nil
    }
}

extension JSONValueEncoder {
    /// Encodes `value` the way Foundation's `JSONEncoder` special-cases it; returns `false` for ordinary types.
    @inline(__always)
    func encodeFoundationType<T: Encodable>(_ value: T) throws -> Bool {
        if T.self == Data.self {
            try encode((value as! Data).base64EncodedString())
            return true
        }
        if T.self == URL.self {
            try encode((value as! URL).absoluteString)
            return true
        }
        if T.self == Decimal.self {
            writeRaw(Array((value as! Decimal).description.utf8))
            return true
        }
        return false
    }
}
