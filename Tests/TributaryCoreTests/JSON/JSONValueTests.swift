import Foundation
import Testing

@testable import TributaryCore

/// `JSONValue`, the hand-written decoding API: reading, and errors identical to `JSONByteDecoder`'s.
@Suite struct JSONValueTests {
    func parse(_ text: String) throws -> JSONValue { try JSONValue.parse(Array(text.utf8)) }

    /// Runs `body`, expecting it to throw; returns the error's summary (case, type, coding path).
    func failure(_ body: () throws -> some Any) -> String {
        do {
            let value = try body()
            return "no error: \(value)"
        } catch {
            return JSONReference.summary(error)
        }
    }

    @Test func kindsAndScalars() throws {
        let value = try parse(#"{"s": "a\"b\u00e9", "i": -42, "f": 2.5, "t": true, "n": null, "a": [1, "x"], "o": {}}"#)
        #expect(value.kind == .object)
        #expect(try value.string("s") == "a\"bé")
        #expect(try value.int("i") == -42)
        #expect(try value.int64("i") == -42)
        #expect(try value.double("i") == -42)
        #expect(try value.double("f") == 2.5)
        #expect(try value.bool("t"))
        #expect(value["n"]?.isNull == true)
        #expect(value["n"]?.kind == .null)
        #expect(value["t"]?.kind == .bool)
        #expect(value["f"]?.kind == .number)
        #expect(value["s"]?.kind == .string)
        #expect(value["a"]?.kind == .array)
        #expect(value["o"]?.kind == .object)
        #expect(value["missing"] == nil)
        #expect(value["s"]?["s"] == nil, "a string has no keys")
        #expect(try value["s"]?.string() == "a\"bé")
        #expect(try parse("7").int() == 7)
        #expect(try parse("1e2").int() == 100, "integral values with an exponent are integers, as in JSONDecoder")
        #expect(try parse("false").bool() == false)
        #expect(try parse("null").isNull)
    }

    @Test func optionalAccessorsTreatMissingAndNullAsNil() throws {
        let value = try parse(#"{"n": null, "s": "x", "i": 1, "b": false, "d": 0.5, "o": {"k": 1}, "a": [2]}"#)
        #expect(try value.optionalString("n") == nil)
        #expect(try value.optionalString("missing") == nil)
        #expect(try value.optionalString("s") == "x")
        #expect(try value.optionalInt("i") == 1)
        #expect(try value.optionalInt64("n") == nil)
        #expect(try value.optionalInt64("i") == 1)
        #expect(try value.optionalBool("b") == false)
        #expect(try value.optionalBool("missing") == nil)
        #expect(try value.optionalDouble("d") == 0.5)
        #expect(try value.optionalDouble("n") == nil)
        #expect(try value.optionalObject("o")?.int("k") == 1)
        #expect(try value.optionalObject("n") == nil)
        #expect(try value.optionalArray("a")?.map { try $0.int() } == [2])
        #expect(try value.optionalArray("missing") == nil)
        #expect(failure { try value.optionalString("i") } == "typeMismatch String at i")
        #expect(failure { try value.optionalObject("a") } == "typeMismatch Dictionary<String, Any> at a")
        #expect(failure { try value.optionalArray("o") } == "typeMismatch Array<Any> at o")
    }

    @Test func arrays() throws {
        let value = try parse(#"[[1, 2], {"x": [3]}, "s", null, []]"#)
        let elements = try value.elements
        #expect(elements.count == 5)
        #expect(elements.underestimatedCount == 5)
        #expect(elements.map(\.kind) == [.array, .object, .string, .null, .array])
        let all = Array(elements)
        #expect(try all[0].elements.map { try $0.int() } == [1, 2])
        #expect(try all[1].array("x").map { try $0.int64() } == [3])
        #expect(try all[4].elements.count == 0)
        #expect(failure { try all[2].elements } == "typeMismatch Array<Any> at [2]")
        #expect(failure { try all[1].array("missing") } == "keyNotFound missing at [1]")
    }

    @Test func duplicateKeysFirstOccurrenceWinsAsInTheDecoder() throws {
        struct Pair: Decodable, Equatable { var a: Int }
        let text = #"{"a": 1, "a": "two", "\u0061": 3}"#
        let value = try parse(text)
        #expect(try value.int("a") == 1)
        #expect(try JSONByteDecoder().decode(Pair.self, from: Array(text.utf8)) == Pair(a: 1))
        let escapedFirst = try parse(#"{"\u0061": 3, "a": 1}"#)
        #expect(try escapedFirst.int("a") == 3, "escaped keys compare by their decoded text")
    }

    @Test func keysNeedNotBeASCIIOrContiguous() throws {
        let value = try parse(#"{"clé": 1, "🙂": 2}"#)
        #expect(try value.int("clé") == 1)
        #expect(try value.int("🙂") == 2)
        let bridged = String(decoding: Array("clé".utf8), as: UTF8.self)
        #expect(value[bridged] != nil)
        #expect(value["cle"] == nil)
    }

    @Test func errorsHaveTheDecodersCasesAndCodingPaths() throws {
        let value = try parse(#"{"a": [{"b": {"c": "x"}}, 1], "n": null, "big": 1e400, "frac": 1.5, "neg": -1}"#)
        let b = try Array(value.array("a"))[0].object("b")
        #expect(b.codingPath.map(\.stringValue) == ["a", "Index 0", "b"])
        #expect(failure { try b.int("c") } == "typeMismatch Int at a.[0].b.c")
        #expect(failure { try b.string("d") } == "keyNotFound d at a.[0].b")
        #expect(failure { try b.object("c") } == "typeMismatch Dictionary<String, Any> at a.[0].b.c")
        #expect(failure { try Array(value.array("a"))[1].string("k") } == "typeMismatch Dictionary<String, Any> at a.[1]")
        #expect(failure { try value.string("n") } == "valueNotFound String at n")
        #expect(failure { try value.bool("n") } == "valueNotFound Bool at n")
        #expect(failure { try value.object("n") } == "valueNotFound Dictionary<String, Any> at n")
        #expect(failure { try value.double("big") } == "dataCorrupted")
        #expect(failure { try value.int("frac") } == "dataCorrupted")
        #expect(failure { try value.int("big") } == "dataCorrupted")
        #expect(try value.int("neg") == -1)
        #expect(failure { try value.elements } == "typeMismatch Array<Any> at ")
        #expect(failure { try parse("null").object() } == "valueNotFound Dictionary<String, Any> at ")
        #expect(failure { try parse("[]").string("k") } == "typeMismatch Dictionary<String, Any> at ")

        // Descriptions and coding paths, not just the summaries, match the Codable decoder's.
        struct Inner: Decodable { var c: Int }
        struct Middle: Decodable { var b: Inner }
        struct Outer: Decodable { var a: [Middle] }
        let text = Array(#"{"a": [{"b": {"c": 1e400}}]}"#.utf8)
        let decoder = Result { try JSONByteDecoder().decode(Outer.self, from: text) }
        let handWritten = Result { try Array(JSONValue.parse(text).array("a"))[0].object("b").int("c") }
        guard case .failure(let decoderError) = decoder, case .failure(let handWrittenError) = handWritten else {
            Issue.record("expected both to fail: \(decoder), \(handWritten)")
            return
        }
        #expect(JSONReference.summary(handWrittenError) == "dataCorrupted")
        #expect(debugDescription(handWrittenError) == debugDescription(decoderError))
        #expect((handWrittenError as? DecodingError).map(codingPathText) == (decoderError as? DecodingError).map(codingPathText))
        #expect(debugDescription(handWrittenError) == "Number 1e400 is not representable in Int.")
    }

    func codingPathText(_ error: DecodingError) -> String {
        guard case .dataCorrupted(let context) = error else { return "" }
        return context.codingPath.map(\.stringValue).joined(separator: ".")
    }

    @Test func parseErrorsMatchTheDecoder() {
        for text in ["", "{", #"{"a": 1,}"#, "[1 2]", "\u{FEFF}", "nul", #""\ud800""#] {
            let bytes = Array(text.utf8)
            let decoder = failure { try JSONByteDecoder().decode(Int.self, from: bytes) }
            #expect(failure { try JSONValue.parse(bytes) } == decoder, "\(text)")
            var messages: [String] = []
            for body in [{ _ = try JSONValue.parse(bytes) }, { _ = try JSONByteDecoder().decode(Int.self, from: bytes) }] {
                do { try body() } catch { messages.append(debugDescription(error)) }
            }
            #expect(messages.count == 2 && messages[0] == messages[1], "\(text)")
        }
        #expect(throws: Never.self) { try JSONValue.parse(Array("\u{FEFF}[]".utf8)) }
    }

    /// A hand-written reader and the `Codable` decoding of the same shape agree, value or error, on many documents.
    @Test func handWrittenDecodingAgreesWithCodable() {
        struct Shape: Codable, Equatable {
            var name: String
            var count: Int
            var total: Int64?
            var ratio: Double
            var flag: Bool?
            var tags: [String]
            var child: Child?

            struct Child: Codable, Equatable {
                var id: Int64
                var note: String?
            }

            init(name: String, count: Int, total: Int64?, ratio: Double, flag: Bool?, tags: [String], child: Child?) {
                (self.name, self.count, self.total, self.ratio, self.flag, self.tags, self.child) =
                    (name, count, total, ratio, flag, tags, child)
            }

            init(json: JSONValue) throws {
                name = try json.string("name")
                count = try json.int("count")
                total = try json.optionalInt64("total")
                ratio = try json.double("ratio")
                flag = try json.optionalBool("flag")
                tags = try json.array("tags").map { try $0.string() }
                child = try json.optionalObject("child").map { child in
                    Child(id: try child.int64("id"), note: try child.optionalString("note"))
                }
            }
        }
        let fields = [
            ("name", #""n""#), ("count", "3"), ("total", "-9"), ("ratio", "0.25"), ("flag", "true"),
            ("tags", #"["a", "b"]"#), ("child", #"{"id": 7, "note": "x"}"#),
        ]
        let replacements: [String?] = [
            nil, "null", #""s""#, "1", "1.5", "1e400", "9223372036854775808", "true", "[]", #"[1]"#, #"["t"]"#, "{}",
            #"{"id": "x"}"#, #"{"id": 1, "note": 2}"#,
        ]
        var documents: [String] = []
        for replacement in replacements {
            for (key, _) in fields {
                let replaced = fields.compactMap { $0.0 == key ? replacement.map { (key, $0) } : $0 }
                documents.append("{" + replaced.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
            }
        }
        documents += ["[]", "null", "5"]
        var decoded = 0
        for document in documents {
            let bytes = Array(document.utf8)
            let expected = Result { try JSONByteDecoder().decode(Shape.self, from: bytes) }
            let actual = Result { try Shape(json: try JSONValue.parse(bytes)) }
            switch (expected, actual) {
            case (.success(let left), .success(let right)):
                #expect(left == right, "\(document)")
                decoded += 1
            case (.failure(let left), .failure(let right)):
                #expect(JSONReference.summary(left) == JSONReference.summary(right), "\(document)")
                #expect(debugDescription(left) == debugDescription(right) || isKeyNotFound(left), "\(document)")
            default:
                Issue.record("\(document): Codable \(expected), hand-written \(actual)")
            }
        }
        #expect(decoded > 5)
    }

    /// The error's context description (its coding path's key types differ between the two decoders).
    func debugDescription(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context),
            .dataCorrupted(let context):
            return context.debugDescription
        default: return "\(error)"
        }
    }

    /// `keyNotFound` names its key type in the debug description, which differs (`CodingKeys` vs `JSONCodingKey`).
    func isKeyNotFound(_ error: any Error) -> Bool {
        if case .keyNotFound = error as? DecodingError { return true }
        return false
    }

    @Test func serdeWithHandWrittenDecodingChecksAndReportsLikeCodable() throws {
        struct Point: Codable, Equatable {
            var x: Int
            var label: String?
        }
        let handWritten = Serde<Point>.json(maxBytes: 64) { json in
            Point(x: try json.int("x"), label: try json.optionalString("label"))
        }
        let codable = Serde<Point>.json(Point.self, maxBytes: 64)
        for text in [
            #"{"x": 1, "label": "a"}"#, #"{"x": 1}"#, #"{"x": "1"}"#, #"{"label": "a"}"#, #"{"x": null}"#, "[]", "{",
            "", #"{"x": 1, "label": "\#(String(repeating: "y", count: 64))"}"#, #"{"x": 1.5}"#,
        ] {
            let bytes = Array(text.utf8)
            let left = Result { try codable.deserializeOptional(bytes) }
            let right = Result { try handWritten.deserializeOptional(bytes) }
            #expect("\(left)" == "\(right)", "\(text)")
        }
        #expect(try handWritten.serializeOptional(Point(x: 1, label: nil)) == codable.serializeOptional(Point(x: 1, label: nil)))
        struct Custom: Error {}
        let throwing = Serde<Point>.json { _ in throw Custom() }
        #expect(throws: Custom.self) { try throwing.deserializeOptional(Array("{}".utf8)) }
    }
}
